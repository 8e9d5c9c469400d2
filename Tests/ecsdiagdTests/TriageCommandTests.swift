import Foundation
import Testing

/// The `ecsdiagd triage` command line: exit statuses, formats, no colour or progress when not on a terminal.
@Suite(.serialized)
struct TriageCommandTests {
    static let story = "SampleLogs/scenarios/anti-primer-story"

    private func run(_ arguments: [String], environment: [String: String] = [:]) throws -> TriageBinary.Result? {
        guard TriageBinary.executable != nil else {
            Issue.record("ecsdiagd executable not found beside the test bundle or under .build*/…/debug: build it first")
            return nil
        }
        return try TriageBinary.run(arguments, environment: environment)
    }

    @Test func usageErrorsExitTwo() throws {
        for arguments in [
            ["triage"],
            ["triage", "--journal", Self.story],
            ["triage", "--since", "2h", Self.story],
            ["triage", "--journal", "--since", "yesterday-ish"],
            ["triage", "--format", "html", Self.story],
            ["triage", "SampleLogs/does-not-exist"],
        ] {
            guard let r = try run(arguments) else { return }
            #expect(r.status == 2, "\(arguments): exit \(r.status), stderr \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(arguments): printed a report")
        }
    }

    @Test func healthyScenarioFindsNothingAndExitsZero() throws {
        guard let r = try run(["triage", "--format", "json", "SampleLogs/scenarios/healthy"]) else { return }
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((object["findings"] as? [Any])?.isEmpty == true)
        let checks = try #require(object["checks"] as? [[String: Any]])
        #expect(checks.count == 4)
    }

    @Test func storyGivesTheFourFindingsInTheStorysOrder() throws {
        guard let r = try run(["triage", "--format", "json", Self.story]) else { return }
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.map { $0["rule"] as? String } == ["access-denied", "restart-loop", "saturation", "missing-logs"])
        #expect(findings.map { $0["cause"] as? String } == ["task-role-missing-permission", "health-check-grace-period", "fixed-desired-count", "no-log-output"])
        let timelines = try #require(object["timelines"] as? [[String: Any]])
        #expect(timelines.map { $0["service"] as? String } == ["orders-api"])
    }

    @Test func textWithoutATerminalHasNoColourAndNoProgress() throws {
        guard let r = try run(["triage", Self.story], environment: ["NO_COLOR": ""]) else { return }
        #expect(r.status == 0)
        #expect(!r.stdout.contains("\u{1B}"))
        #expect(!r.stderr.contains("\r"))
        #expect(r.stdout.contains("ROOT-CAUSE CHAIN"))
        #expect(r.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 || $0.contains("$ ") || $0.hasPrefix("       ") })
    }

    @Test func journalFormWorksWithAWindow() throws {
        guard let r = try run(["triage", "--journal", "--since", "2h", "--format", "json"]) else { return }
        // Without journald the reader cannot open the journal (exit 2); with it the report is printed.
        if r.status == 0 {
            #expect(r.stdout.contains("\"origin\": \"journal\""))
        } else {
            #expect(r.status == 2)
            #expect(r.stderr.contains("journal"))
        }
    }
}
