import Foundation

/// Helpers shared by the SystemdJournal test suites.
enum TestSupport {
    /// The package root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SystemdJournalTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The socket journald listens on for native entries.
    static let journalSocket = "/run/systemd/journal/socket"

    /// Whether journald is running (its native socket exists).
    static var journaldIsRunning: Bool {
        var info = stat()
        return stat(journalSocket, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    /// The message recorded when a test needs journald but it is not running.
    static let journaldMissingMessage =
        "journald is not running (no \(journalSocket)): run scripts/start-journald.sh as root, then re-run the tests"

    /// The result of running a process to completion.
    struct ProcessResult {
        var status: Int32
        var standardOutput: Data
        var standardError: String
        var output: String { String(decoding: standardOutput, as: UTF8.self) }
    }

    /// Finds an executable on the usual system paths.
    static func executable(_ name: String) -> String? {
        for directory in ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"] {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs `executable` with `arguments` to completion, collecting standard output and standard error
    /// (through temporary files, so that a chatty child can never block on a full pipe).
    static func run(_ executable: String, _ arguments: [String]) throws -> ProcessResult {
        let directory = try makeTemporaryDirectory("run")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputURL = directory.appendingPathComponent("stdout")
        let errorURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let outputHandle = try FileHandle(forWritingTo: outputURL)
        let errorHandle = try FileHandle(forWritingTo: errorURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outputHandle.close()
        try errorHandle.close()
        return ProcessResult(
            status: process.terminationStatus,
            standardOutput: try Data(contentsOf: outputURL),
            standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }

    /// Creates a fresh temporary directory and returns its path.
    static func makeTemporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("sjt-\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
