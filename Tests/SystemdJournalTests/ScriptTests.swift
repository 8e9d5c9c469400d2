import Foundation
import Testing

/// Runs `scripts/install.sh` and `scripts/start-journald.sh` in ways that have no lasting side effects.
struct ScriptTests {
    static let scripts = TestSupport.repositoryRoot.appendingPathComponent("scripts")

    @Test func installStagesEverythingUnderDestdir() throws {
        let bash = try #require(TestSupport.executable("bash"))
        let stage = try TestSupport.makeTemporaryDirectory("install")
        defer { try? FileManager.default.removeItem(at: stage) }
        let script = Self.scripts.appendingPathComponent("install.sh").path
        // `env` passes DESTDIR/PREFIX/ECSDIAGD_BINARY without touching this process's environment.
        let environment = [
            "DESTDIR=\(stage.path)", "PREFIX=/opt/ecsdiagd", "ECSDIAGD_BINARY=/bin/true",
        ]
        let first = try TestSupport.run("/usr/bin/env", environment + [bash, script])
        #expect(first.status == 0, "install.sh: \(first.standardError)")

        let root = stage.path
        let binary = "\(root)/opt/ecsdiagd/bin/ecsdiagd"
        #expect(FileManager.default.isExecutableFile(atPath: binary))
        let unit = try String(contentsOfFile: "\(root)/etc/systemd/system/ecsdiagd.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/opt/ecsdiagd/bin/ecsdiagd run --config /etc/ecsdiagd/ecsdiagd.toml"))
        #expect(!unit.contains("/usr/local/bin/ecsdiagd"))
        let catalog = "\(root)/usr/lib/systemd/catalog/ecsdiagd.catalog"
        let shippedCatalog = TestSupport.repositoryRoot.appendingPathComponent("systemd/ecsdiagd.catalog").path
        #expect(FileManager.default.contentsEqual(atPath: catalog, andPath: shippedCatalog))
        let config = "\(root)/etc/ecsdiagd/ecsdiagd.toml"
        let shippedConfig = TestSupport.repositoryRoot.appendingPathComponent("systemd/ecsdiagd.toml").path
        #expect(FileManager.default.contentsEqual(atPath: config, andPath: shippedConfig))

        // An existing configuration is never overwritten.
        try "# edited by the operator\n".write(toFile: config, atomically: true, encoding: .utf8)
        let second = try TestSupport.run("/usr/bin/env", environment + [bash, script])
        #expect(second.status == 0)
        #expect(second.output.contains("keeping existing"))
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "# edited by the operator\n")
    }

    @Test func installRejectsUnknownArguments() throws {
        let bash = try #require(TestSupport.executable("bash"))
        let result = try TestSupport.run(bash, [Self.scripts.appendingPathComponent("install.sh").path, "--bogus"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("unknown argument"))
    }

    /// Only the idempotent path is exercised: with journald already running the script must change nothing.
    @Test(.enabled(if: getuid() == 0, "start-journald.sh must run as root"))
    func startJournaldIsIdempotent() throws {
        guard TestSupport.journaldIsRunning else {
            Issue.record(Comment(rawValue: TestSupport.journaldMissingMessage))
            return
        }
        let bash = try #require(TestSupport.executable("bash"))
        let result = try TestSupport.run(bash, [Self.scripts.appendingPathComponent("start-journald.sh").path])
        #expect(result.status == 0, "start-journald.sh: \(result.standardError)")
        #expect(result.output.contains("already exists and accepts entries; nothing to start"))
    }
}
