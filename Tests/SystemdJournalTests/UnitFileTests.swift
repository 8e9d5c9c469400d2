import Foundation
import Testing

/// Checks `systemd/ecsdiagd.service` with systemd's own tools.
struct UnitFileTests {
    static let unitURL = TestSupport.repositoryRoot.appendingPathComponent("systemd/ecsdiagd.service")

    /// Copies the unit to a temporary directory with the ecsdiagd binary replaced by `/bin/true`, because
    /// `systemd-analyze verify` fails when an `Exec*=` binary does not exist.
    private func stagedUnit() throws -> URL {
        let text = try String(contentsOf: Self.unitURL, encoding: .utf8)
        let directory = try TestSupport.makeTemporaryDirectory("unit")
        let url = directory.appendingPathComponent("ecsdiagd.service")
        try text.replacingOccurrences(of: "/usr/local/bin/ecsdiagd", with: "/bin/true")
            .write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    private func settings(_ key: String) throws -> [String] {
        try String(contentsOf: Self.unitURL, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("\(key)=") }
            .map { String($0.dropFirst(key.count + 1)) }
    }

    @Test func declaresTheDaemonContract() throws {
        #expect(try settings("Type") == ["notify"])
        #expect(try settings("NotifyAccess") == ["main"])
        #expect(try settings("ExecStart") == ["/usr/local/bin/ecsdiagd run --config /etc/ecsdiagd/ecsdiagd.toml"])
        #expect(try settings("ExecStartPre") == ["/usr/local/bin/ecsdiagd check-config /etc/ecsdiagd/ecsdiagd.toml"])
        #expect(
            try settings("ExecReload") == [
                "/usr/local/bin/ecsdiagd check-config /etc/ecsdiagd/ecsdiagd.toml", "/bin/kill -HUP $MAINPID",
            ])
        #expect(try settings("WatchdogSec") == ["30s"])
        #expect(try settings("StateDirectory") == ["ecsdiagd"])
        #expect(try settings("DynamicUser") == ["yes"])
    }

    @Test func systemdAnalyzeVerifyIsSilent() throws {
        let analyze = try #require(TestSupport.executable("systemd-analyze"), "systemd-analyze is not installed")
        let unit = try stagedUnit()
        defer { try? FileManager.default.removeItem(at: unit.deletingLastPathComponent()) }
        let result = try TestSupport.run(analyze, ["verify", "--man=no", unit.path])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty, "systemd-analyze verify: \(result.standardError)")
        #expect(result.output.isEmpty, "systemd-analyze verify: \(result.output)")
    }

    @Test func exposureLevelIsAtMostTwo() throws {
        let analyze = try #require(TestSupport.executable("systemd-analyze"), "systemd-analyze is not installed")
        let unit = try stagedUnit()
        defer { try? FileManager.default.removeItem(at: unit.deletingLastPathComponent()) }
        let result = try TestSupport.run(analyze, ["security", "--offline=true", unit.path])
        #expect(result.status == 0, "systemd-analyze security: \(result.standardError)")
        // "→ Overall exposure level for ecsdiagd.service: 0.4 SAFE 😀"
        let line = try #require(
            result.output.split(separator: "\n").first { $0.contains("Overall exposure level") },
            "no exposure line in: \(result.output)")
        let afterColon = try #require(line.split(separator: ":").last)
        let score = try #require(afterColon.split(separator: " ").first.flatMap { Double($0) }, "unparsable: \(line)")
        #expect(score <= 2.0, "\(line)")
    }
}
