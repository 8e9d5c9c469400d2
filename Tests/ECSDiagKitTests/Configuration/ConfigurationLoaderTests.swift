import DiagnosisRules
import ECSDiagKit
import Testing

struct ConfigurationLoaderTests {
    @Test func parsesEverySection() throws {
        let text = """
            # comment
            state_directory = "/var/lib/ecsdiagd"
            start_position = "beginning"
            poll_interval_ms = 250
            coalesce_ms = 0
            checkpoint_interval_ms = 2000
            context = ["/etc/ecsdiagd/context"]

            [[source]]
            path = "/var/log/ecs/*.log"
            [[source]]
            path = "-"

            [engine]
            allowed_lateness_seconds = 45

            [rules.access-denied]
            threshold = 5
            execution_roles = ["legacyExecRole"]

            [rules.restart-loop]
            ready_markers = ["READY"]

            [rules.saturation]
            cpu_percent = 85.5

            [rules.missing-logs]
            silence_seconds = 120
            """
        let config = try ConfigurationLoader.parse(text: text, path: "test.toml")
        #expect(config.startPosition == .beginning)
        #expect(config.pollIntervalMilliseconds == 250)
        #expect(config.coalesceMilliseconds == 0)
        #expect(config.checkpointIntervalMilliseconds == 2000)
        #expect(config.sources == ["/var/log/ecs/*.log", "-"])
        #expect(config.contextPaths == ["/etc/ecsdiagd/context"])
        #expect(config.settings.engine.allowedLatenessSeconds == 45)
        #expect(config.settings.accessDenied.threshold == 5)
        #expect(config.settings.accessDenied.executionRoles == ["legacyExecRole"])
        #expect(config.settings.accessDenied.windowSeconds == 300)
        #expect(config.settings.restartLoop.readyMarkers == ["READY"])
        #expect(config.settings.saturation.cpuPercent == 85.5)
        #expect(config.settings.missingLogs.silenceSeconds == 120)
    }

    @Test func emptyFileGivesTheDefaults() throws {
        let config = try ConfigurationLoader.parse(text: "", path: "empty.toml")
        #expect(config == Configuration())
    }

    @Test(arguments: [
        ("# daemon\nstate_dir = \"/x\"\n", 2, "state_dir", "unknown key"),
        ("# daemon\n\nstart_position = \"middle\"\n", 3, "start_position", "must be \"beginning\" or \"end\""),
        ("[rules.saturation]\ncpu_percent = \"ninety\"\n", 2, "rules.saturation.cpu_percent", "must be a number"),
        ("[rules.saturation]\n# hot\n\ncpu_percent = 0\n", 4, "rules.saturation.cpu_percent", "must be between"),
        ("[rules.restart-loops]\nthreshold = 3\n", 1, "rules.restart-loops", "unknown key"),
        ("[[source]]\npath = \"/a\"\n[[source]]\nglob = \"/b\"\n", 4, "source[1].glob", "unknown key"),
        ("[engine]\nallowed_lateness_seconds = -1\n", 2, "engine.allowed_lateness_seconds", "must be between"),
        ("\nstate_directory = \"relative\"\n", 2, "state_directory", "absolute path"),
    ])
    func badValuesNameFileLineAndKey(text: String, line: Int, key: String, message: String) {
        do {
            _ = try ConfigurationLoader.parse(text: text, path: "/etc/ecsdiagd/ecsdiagd.toml")
            Issue.record("expected an error for \(key)")
        } catch {
            #expect(error.path == "/etc/ecsdiagd/ecsdiagd.toml")
            #expect(error.line == line)
            #expect(error.key == key)
            #expect(error.message.contains(message))
            #expect(error.description.hasPrefix("/etc/ecsdiagd/ecsdiagd.toml:\(line): \(key): "))
        }
    }

    @Test func syntaxErrorsNameTheLine() {
        do {
            _ = try ConfigurationLoader.parse(text: "# x\nstart_position = \n", path: "bad.toml")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.hasPrefix("syntax error"))
        }
    }

    @Test func unreadableFileIsAnError() {
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(path: "/nonexistent/ecsdiagd.toml") }
    }

    @Test func shippedDefaultConfigIsValid() throws {
        let root = URLPath.repositoryRoot()
        let config = try ConfigurationLoader.load(path: root + "/systemd/ecsdiagd.toml")
        #expect(!config.sources.isEmpty)
    }
}

/// Locates the repository from this file's path.
enum URLPath {
    static func repositoryRoot(file: String = #filePath) -> String {
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        while let last = parts.last, last != "Tests" { parts.removeLast() }
        parts.removeLast()
        return parts.joined(separator: "/")
    }
}
