import Foundation
import Testing

/// `ecsdiagd check-config FILE` (what the unit runs before start and reload) and `ecsdiagd run` on a bad file.
@Suite
struct DaemonConfigTests {
    /// A bad configuration and the `FILE:LINE: KEY` its error must name.
    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var line: Int
        var key: String
        var testDescription: String { name }
    }

    static let header = """
        state_directory = "/var/lib/ecsdiagd"
        start_position = "end"
        poll_interval_ms = 100

        """

    static let badCases: [BadCase] = [
        BadCase(name: "unknown top-level key", text: header + "bogus = 1\n", line: 4, key: "bogus"),
        BadCase(name: "bad start_position", text: "state_directory = \"/x\"\nstart_position = \"middle\"\n",
                line: 2, key: "start_position"),
        BadCase(name: "poll interval out of range", text: "\n\npoll_interval_ms = 5000\n", line: 3, key: "poll_interval_ms"),
        BadCase(name: "coalescing delay out of range", text: header + "coalesce_ms = 2000\n", line: 4, key: "coalesce_ms"),
        BadCase(name: "checkpoint interval too short", text: header + "checkpoint_interval_ms = 10\n", line: 4,
                key: "checkpoint_interval_ms"),
        BadCase(name: "relative state directory", text: "# comment\nstate_directory = \"var/lib\"\n", line: 2,
                key: "state_directory"),
        BadCase(name: "unknown key in [[source]]", text: header + "[[source]]\npath = \"/var/log/a.log\"\nglob = \"*\"\n",
                line: 6, key: "source[0].glob"),
        BadCase(name: "second [[source]] without path",
                text: header + "[[source]]\npath = \"/a\"\n\n[[source]]\n# no path\n", line: 7, key: "source[1]"),
        BadCase(name: "wrong type in a rule table",
                text: header + "[[source]]\npath = \"/a\"\n[rules.access-denied]\nthreshold = \"three\"\n",
                line: 7, key: "rules.access-denied.threshold"),
        BadCase(name: "unknown rule", text: header + "[rules.no-such-rule]\nthreshold = 3\n", line: 4,
                key: "rules.no-such-rule"),
        BadCase(name: "engine value out of range", text: header + "[engine]\nallowed_lateness_seconds = -1\n", line: 5,
                key: "engine.allowed_lateness_seconds"),
    ]

    private func write(_ text: String, in dir: DaemonTestDirectory) throws -> String {
        let path = dir.path + "/bad.toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: badCases)
    func checkConfigNamesFileLineAndKey(_ bad: BadCase) async throws {
        let binary = try #require(DaemonHarness.executable, "ecsdiagd executable not found: build it first")
        let dir = try DaemonTestDirectory("check-config")
        defer { dir.remove() }
        let path = try write(bad.text, in: dir)
        let result = try await DaemonHarness.runTool(binary.path, ["check-config", path])
        #expect(result.status != 0, "check-config must fail on \(bad.name)")
        #expect(result.stderr.contains("\(path):\(bad.line): \(bad.key): "),
                "expected \(path):\(bad.line): \(bad.key): …, got: \(result.stderr)")
    }

    @Test func checkConfigSyntaxErrorNamesFileAndLine() async throws {
        let binary = try #require(DaemonHarness.executable, "ecsdiagd executable not found: build it first")
        let dir = try DaemonTestDirectory("check-config-syntax")
        defer { dir.remove() }
        let path = try write(Self.header + "[[source]\npath = \"/a\"\n", in: dir)
        let result = try await DaemonHarness.runTool(binary.path, ["check-config", path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(path):4: "), "syntax error on line 4: \(result.stderr)")
    }

    @Test func checkConfigMissingFile() async throws {
        let binary = try #require(DaemonHarness.executable, "ecsdiagd executable not found: build it first")
        let path = "/nonexistent-\(DaemonHarness.randomTag())/ecsdiagd.toml"
        let result = try await DaemonHarness.runTool(binary.path, ["check-config", path])
        #expect(result.status != 0)
        #expect(result.stderr.contains(path), "\(result.stderr)")
    }

    @Test func checkConfigAcceptsValidFiles() async throws {
        let binary = try #require(DaemonHarness.executable, "ecsdiagd executable not found: build it first")
        let dir = try DaemonTestDirectory("check-config-ok")
        defer { dir.remove() }
        let path = try dir.writeConfig(sources: [dir.logs, dir.logs + "/*.log"])
        let result = try await DaemonHarness.runTool(binary.path, ["check-config", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("OK"), "\(result.stdout)")
        let shipped = DaemonHarness.packageRoot.appendingPathComponent("systemd/ecsdiagd.toml").path
        let shippedResult = try await DaemonHarness.runTool(binary.path, ["check-config", shipped])
        #expect(shippedResult.status == 0, "the shipped default configuration is valid: \(shippedResult.stderr)")
    }

    /// `ecsdiagd run` refuses to start on a bad file, naming file:line: key, without sending READY=1.
    @Test func runRefusesBadConfiguration() async throws {
        let binary = try #require(DaemonHarness.executable, "ecsdiagd executable not found: build it first")
        let dir = try DaemonTestDirectory("run-bad-config")
        defer { dir.remove() }
        let path = try write(Self.header + "bogus = 1\n", in: dir)
        let listener = try DaemonNotifyListener(path: dir.path + "/notify.sock")
        let result = try await DaemonHarness.runTool(
            binary.path, ["run", "--config", path],
            environment: ["PATH": "/usr/bin:/bin", "NOTIFY_SOCKET": listener.path], timeout: .seconds(10))
        #expect(result.status != 0 && result.status != -1, "exit \(result.status)")
        #expect(result.stderr.contains("\(path):4: bogus: "), "\(result.stderr)")
        listener.drain()
        #expect(!listener.messages.contains { $0.assignments["READY"] == "1" }, "no READY=1 on a bad configuration")
    }
}
