import Foundation
import Testing

/// Runs the built `ecsdiagd` binary.
enum TriageBinary {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ecsdiagdTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The `ecsdiagd` executable of this build: `ECSDIAGD_BINARY` when set; else beside the test bundle (the
    /// same build directory, whatever `--scratch-path` was); else the newest `debug/ecsdiagd` under the package's
    /// `.build*` directories.
    static let executable: URL? = {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["ECSDIAGD_BINARY"], fm.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            var dir = URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent()
            // macOS: …/debug/ecsdiagdPackageTests.xctest/Contents/MacOS/ecsdiagdPackageTests
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("ecsdiagd"))
                dir.deleteLastPathComponent()
            }
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("ecsdiagd"))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("ecsdiagd"))
        if let found = candidates.first(where: { fm.isExecutableFile(atPath: $0.path) && !isDirectory($0) }) {
            return found
        }
        var newest: (URL, Date)?
        let roots = (try? fm.contentsOfDirectory(atPath: packageRoot.path))?.filter { $0.hasPrefix(".build") } ?? []
        for root in roots {
            let base = packageRoot.appendingPathComponent(root)
            let subdirs = ["debug"] + ((try? fm.contentsOfDirectory(atPath: base.path)) ?? []).map { "\($0)/debug" }
            for sub in subdirs {
                let url = base.appendingPathComponent(sub).appendingPathComponent("ecsdiagd")
                guard fm.isExecutableFile(atPath: url.path), !isDirectory(url),
                      let date = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
                else { continue }
                if newest == nil || date > newest!.1 { newest = (url, date) }
            }
        }
        return newest?.0
    }()

    private static func isDirectory(_ url: URL) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &dir) && dir.boolValue
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `ecsdiagd` with `arguments` in the package root, with a fixed environment (no colour, 100 columns);
    /// a run longer than `timeout` is killed and reported with status -1.
    static func run(
        _ arguments: [String], environment extra: [String: String] = [:], timeout: Duration = .seconds(120)
    ) throws -> Result {
        guard let executable else { throw CocoaError(.fileNoSuchFile) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("triage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("stdout")
        let err = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var env = ["PATH": "/usr/bin:/bin", "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "LANG": "C.UTF-8"]
        env.merge(extra) { $1 }
        process.environment = env
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // A hung binary must fail the test, not the whole run. (SIGKILL: the child may inherit a signal mask
        // that blocks SIGTERM.)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        var timedOut = false
        if process.isRunning {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Result(
            status: timedOut ? -1 : process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: (timedOut ? "timed out after \(timeout), killed\n" : "") + String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

/// Golden reports of `ecsdiagd triage` for the SampleLogs scenarios, in all three formats.
///
/// `ECSDIAGD_UPDATE_GOLDEN=1 swift test --filter TriageGolden` rewrites the files under
/// `Tests/ecsdiagdTests/Golden/triage/` from the current binary instead of comparing.
@Suite(.serialized)
struct TriageGoldenTests {
    static let goldenDirectory = TriageBinary.packageRoot.appendingPathComponent("Tests/ecsdiagdTests/Golden/triage")
    static let updating = ProcessInfo.processInfo.environment["ECSDIAGD_UPDATE_GOLDEN"] == "1"

    /// One golden file: a scenario in one format.
    struct Case: Sendable, CustomTestStringConvertible {
        var scenario: String
        var format: String
        var ext: String
        var testDescription: String { "\(scenario).\(ext)" }
    }

    static let cases: [Case] = [
        "anti-primer-story", "access-denied", "grace-period", "saturation", "missing-logs", "healthy", "crash-loop",
        "oom-loop", "execution-role",
    ].flatMap { scenario in
        [Case(scenario: scenario, format: "markdown", ext: "md"), Case(scenario: scenario, format: "json", ext: "json"),
         Case(scenario: scenario, format: "text", ext: "txt")]
    }

    @Test(arguments: cases)
    func goldenReport(_ golden: Case) throws {
        let (scenario, format, ext) = (golden.scenario, golden.format, golden.ext)
        guard TriageBinary.executable != nil else {
            Issue.record("ecsdiagd executable not found beside the test bundle or under .build*/…/debug: build it first")
            return
        }
        let result = try TriageBinary.run(["triage", "--format", format, "SampleLogs/scenarios/\(scenario)"])
        #expect(result.status == 0, "exit \(result.status): \(result.stderr)")
        let file = Self.goldenDirectory.appendingPathComponent("\(scenario).\(ext)")
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try Data(result.stdout.utf8).write(to: file)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no golden file \(file.path): run ECSDIAGD_UPDATE_GOLDEN=1 swift test --filter TriageGolden")
            return
        }
        if result.stdout != expected {
            let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let b = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record("""
                \(scenario).\(ext) differs from the golden file at line \(line + 1):
                  golden: \(line < a.count ? String(a[line]) : "<end>")
                  actual: \(line < b.count ? String(b[line]) : "<end>")
                (ECSDIAGD_UPDATE_GOLDEN=1 rewrites the golden files)
                """)
        }
    }
}
