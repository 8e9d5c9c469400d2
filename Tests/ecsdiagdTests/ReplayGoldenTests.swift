import Foundation
import Testing

/// Golden outputs of `ecsdiagd replay` and `ecsdiagd signals` on the bundled SampleLogs.
///
/// `ECSDIAGD_UPDATE_GOLDEN=1 swift test --filter ReplayGolden` rewrites the files under
/// `Tests/ecsdiagdTests/Golden/replay/` from the current binary instead of comparing.
@Suite(.serialized)
struct ReplayGoldenTests {
    static let goldenDirectory = TriageBinary.packageRoot.appendingPathComponent("Tests/ecsdiagdTests/Golden/replay")
    static let updating = ProcessInfo.processInfo.environment["ECSDIAGD_UPDATE_GOLDEN"] == "1"

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var testDescription: String { name }
    }

    static let scenarios = [
        "access-denied", "grace-period", "saturation", "missing-logs", "healthy", "crash-loop", "oom-loop",
        "execution-role/execution-role-used-by-app", "execution-role/no-task-role",
        "execution-role/instance-role-fallback", "execution-role/execution-role-missing-permission",
        "anti-primer-story",
    ]

    static let cases: [Case] =
        scenarios.map { s in
            Case(name: s.replacingOccurrences(of: "/", with: "--") + ".jsonl",
                 arguments: ["replay", "--output", "json", "SampleLogs/scenarios/\(s)"])
        } + [
            Case(name: "anti-primer-story.txt", arguments: ["replay", "SampleLogs/scenarios/anti-primer-story"]),
            Case(name: "anti-primer-story-context.jsonl",
                 arguments: ["replay", "--output", "json", "--context", "SampleLogs/context/broken",
                             "SampleLogs/scenarios/anti-primer-story"]),
            Case(name: "formats-signals.jsonl", arguments: ["signals", "--output", "json", "SampleLogs/formats"]),
        ]

    @Test(arguments: cases)
    func matchesGolden(_ golden: Case) throws {
        let result = try TriageBinary.run(golden.arguments)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let file = Self.goldenDirectory.appendingPathComponent(golden.name)
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try Data(result.stdout.utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(result.stdout == expected, "ecsdiagd \(golden.arguments.joined(separator: " ")) differs from \(golden.name)")
    }

    @Test func replayIsByteIdenticalRunToRun() throws {
        let args = ["replay", "--output", "json", "SampleLogs/scenarios/anti-primer-story"]
        let first = try TriageBinary.run(args)
        let second = try TriageBinary.run(args)
        #expect(first.status == 0)
        #expect(!first.stdout.isEmpty)
        #expect(first.stdout == second.stdout)
        #expect(first.stderr == second.stderr)
    }

    @Test func storyGivesTheFourFootgunsInTheStorysOrder() throws {
        let result = try TriageBinary.run(["replay", "--output", "json", "SampleLogs/scenarios/anti-primer-story"])
        let firing = result.stdout.split(separator: "\n").compactMap { line -> (String, String, String)? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["status"] as? String == "firing",
                  let rule = object["rule"] as? String, let cause = object["cause"] as? String,
                  let at = object["at"] as? String
            else { return nil }
            return (rule, cause, at)
        }
        var firstPerRule: [String] = []
        for (rule, _, _) in firing where !firstPerRule.contains(rule) { firstPerRule.append(rule) }
        #expect(firstPerRule == ["access-denied", "restart-loop", "saturation", "missing-logs"])
        let causes = Dictionary(firing.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        #expect(causes["access-denied"] == "task-role-missing-permission")
        #expect(causes["restart-loop"] == "health-check-grace-period")
        #expect(causes["saturation"] == "fixed-desired-count")
        #expect(causes["missing-logs"] == "no-log-output")
    }

    @Test func unreadablePathExitsWithStatus2() throws {
        let result = try TriageBinary.run(["replay", "/nonexistent/ecsdiagd-logs"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/ecsdiagd-logs"))
        let usage = try TriageBinary.run(["replay"])
        #expect(usage.status == 2)
    }

    @Test func malformedRecordsAreSummarisedWithoutChangingTheStatus() throws {
        let result = try TriageBinary.run(["replay", "Tests/LogDecodingTests/Fixtures"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("truncated gzip"))
        #expect(result.stderr.contains("Tests/LogDecodingTests/Fixtures/broken-json.jsonl:"))
    }
}
