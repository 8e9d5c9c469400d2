import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Shared machinery for the `ecsdiagd run` integration suites (`Daemon*Tests`): the built binary, temporary
/// directories, the daemon as a subprocess, scenario corpora with a unique service name per test, the real
/// journal read back with `journalctl -o json`, the daemon's checkpoint file, and a test-owned `NOTIFY_SOCKET`.
enum DaemonHarness {
    /// The package root (shared with the golden tests).
    static var packageRoot: URL { TriageBinary.packageRoot }

    /// The `ecsdiagd` executable of this build (the golden tests' lookup).
    static var executable: URL? { TriageBinary.executable }

    /// journald's native socket.
    static let journalSocket = "/run/systemd/journal/socket"

    /// Whether journald is running (its native socket exists).
    static var journaldIsRunning: Bool {
        var info = stat()
        return stat(journalSocket, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    /// The binary, or a recorded failure explaining what to do. Also requires a running journald.
    static func requireBinaryAndJournal(sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let binary = try #require(
            executable, "ecsdiagd executable not found beside the test bundle or under .build*/…/debug: build it first",
            sourceLocation: sourceLocation)
        try #require(
            journaldIsRunning,
            "journald is not running (no \(journalSocket)): run scripts/start-journald.sh as root, then re-run",
            sourceLocation: sourceLocation)
        return binary
    }

    /// Eight random lowercase hex digits.
    static func randomTag() -> String {
        String(format: "%08x", UInt32.random(in: .min ... .max))
    }

    /// A fresh service name: `orders-api-<random8>`.
    static func uniqueService() -> String { "orders-api-\(randomTag())" }

    /// Polls `condition` every `interval` until it holds or `timeout` passes; returns whether it held.
    static func waitUntil(
        timeout: Duration = .seconds(20), interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool
    ) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await condition() { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: interval)
        }
    }

    /// `CLOCK_MONOTONIC` now, in microseconds (the clock of `MONOTONIC_USEC=`).
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    /// The result of a short-lived tool run.
    struct ToolResult: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a tool to completion (output through temporary files, so a chatty child never blocks on a pipe);
    /// killed after `timeout`, then reported with status -1.
    static func runTool(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        timeout: Duration = .seconds(20)
    ) async throws -> ToolResult {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecsdiagd-tool-\(randomTag())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("stdout")
        let err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment ?? ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"]
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let finished = await waitUntil(timeout: timeout, interval: .milliseconds(10)) { !process.isRunning }
        if !finished { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return ToolResult(
            status: finished ? process.terminationStatus : -1,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

// MARK: - Temporary directories and configuration

/// A per-test temporary directory with `logs/` and `state/` subdirectories; removed by `remove()`.
struct DaemonTestDirectory {
    let url: URL
    var path: String { url.path }
    var logs: String { url.appendingPathComponent("logs").path }
    var state: String { url.appendingPathComponent("state").path }
    var configPath: String { url.appendingPathComponent("ecsdiagd.toml").path }
    var checkpointPath: String { state + "/checkpoint.json" }

    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ecsdiagd-\(label)-\(DaemonHarness.randomTag())", isDirectory: true)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("logs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("state"), withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Writes the daemon configuration (top-level daemon keys, then one `[[source]]` per path) and returns its path.
    @discardableResult
    func writeConfig(
        sources: [String], startPosition: String = "beginning", pollIntervalMilliseconds: Int = 100,
        checkpointIntervalMilliseconds: Int = 200, extra: String = ""
    ) throws -> String {
        var text = """
            # written by DaemonTestSupport
            state_directory = "\(state)"
            start_position = "\(startPosition)"
            poll_interval_ms = \(pollIntervalMilliseconds)
            checkpoint_interval_ms = \(checkpointIntervalMilliseconds)

            """
        for source in sources { text += "[[source]]\npath = \"\(source)\"\n" }
        text += extra
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        return configPath
    }

    /// The size of a file, or -1 when it does not exist.
    static func size(of path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : -1
    }
}

// MARK: - The daemon as a subprocess

/// `ecsdiagd run` (or any command) as a child process with its standard output and error in files.
/// Always call `stop()` in a `defer`: it SIGKILLs a child that is still running and reaps it.
final class DaemonProcess {
    let process = Process()
    let standardErrorPath: String
    let standardOutputPath: String
    private let outHandle: FileHandle
    private let errHandle: FileHandle
    private var stopped = false

    /// Starts `executable arguments` with a clean environment (plus `environment`).
    init(
        executable: String, arguments: [String], environment: [String: String] = [:], directory: DaemonTestDirectory,
        label: String = "daemon"
    ) throws {
        let tag = DaemonHarness.randomTag()
        standardErrorPath = directory.url.appendingPathComponent("\(label)-\(tag).stderr").path
        standardOutputPath = directory.url.appendingPathComponent("\(label)-\(tag).stdout").path
        _ = FileManager.default.createFile(atPath: standardErrorPath, contents: nil)
        _ = FileManager.default.createFile(atPath: standardOutputPath, contents: nil)
        outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: standardOutputPath))
        errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: standardErrorPath))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8", "NO_COLOR": "1", "TERM": "dumb"]
        env.merge(environment) { $1 }
        process.environment = env
        process.currentDirectoryURL = directory.url
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Starts `ecsdiagd run --config <config>`.
    static func run(
        _ binary: URL, config: String, environment: [String: String] = [:], directory: DaemonTestDirectory
    ) throws -> DaemonProcess {
        try DaemonProcess(
            executable: binary.path, arguments: ["run", "--config", config], environment: environment,
            directory: directory)
    }

    var pid: pid_t { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    func send(_ signal: Int32) { _ = kill(pid, signal) }

    /// Waits for the child to exit: its status (or signal number) and whether it was killed by a signal;
    /// nil when it is still running after `timeout`.
    func waitForExit(timeout: Duration) async -> (status: Int32, signaled: Bool)? {
        let exited = await DaemonHarness.waitUntil(timeout: timeout, interval: .milliseconds(10)) { !process.isRunning }
        guard exited else { return nil }
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }

    /// SIGTERM, then the exit within `timeout` (nil on timeout).
    func terminate(timeout: Duration = .seconds(5)) async -> (status: Int32, signaled: Bool)? {
        send(SIGTERM)
        return await waitForExit(timeout: timeout)
    }

    /// SIGKILL and reap.
    func killNow() async {
        send(SIGKILL)
        _ = await waitForExit(timeout: .seconds(5))
    }

    /// Kills the child if it still runs, reaps it and closes the output files. Idempotent.
    func stop() {
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            _ = kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        try? outHandle.close()
        try? errHandle.close()
    }

    deinit { stop() }

    /// Everything written to standard error so far.
    var standardError: String {
        (try? String(contentsOfFile: standardErrorPath, encoding: .utf8)) ?? ""
    }

    /// Waits until standard error contains every string in `needles`.
    func waitForStandardError(containing needles: [String], timeout: Duration = .seconds(20)) async -> Bool {
        await DaemonHarness.waitUntil(timeout: timeout) {
            let text = standardError
            return needles.allSatisfy { text.contains($0) }
        }
    }
}

// MARK: - Writing log files

/// Appends to a log file through one descriptor that stays open (so it can keep writing after the file was renamed
/// away, like a logger during rename rotation).
final class DaemonLogAppender {
    let path: String
    private(set) var descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit { close() }

    func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    func write(_ bytes: ArraySlice<UInt8>) throws {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            offset += n
        }
    }

    /// Appends `lines` (each followed by `\n`) in `chunks` writes cut at arbitrary byte positions (so partial lines
    /// are common), pausing `pause` between writes.
    func append(_ lines: some Collection<String>, chunks: Int = 8, pause: Duration = .milliseconds(20)) async throws {
        let bytes = DaemonCorpus.bytes(of: lines)
        try await append(bytes: bytes, chunks: chunks, pause: pause)
    }

    func append(bytes: [UInt8], chunks: Int, pause: Duration) async throws {
        guard !bytes.isEmpty else { return }
        let pieces = max(1, min(chunks, bytes.count))
        for i in 0..<pieces {
            let start = bytes.count * i / pieces
            let end = bytes.count * (i + 1) / pieces
            try write(bytes[start..<end])
            if i + 1 < pieces { try await Task.sleep(for: pause) }
        }
    }
}

// MARK: - Scenario corpora

/// Scenario lines from `SampleLogs/scenarios`, merged in event-time order, with `orders-api` rewritten per test so
/// that each test's journal entries are its own.
///
/// The pretty `filter-log-events` document of access-denied becomes one CloudWatch event per line
/// (`jq -c '.events[] + {logGroupName}'`), so that every record is one line and any line boundary is a valid place
/// to cut the stream. Files keep their line order; a line without a recognisable time keeps its predecessor's.
enum DaemonCorpus {
    /// One line of a scenario, before the service name is rewritten.
    struct Line: Sendable {
        var time: Int64
        var scenario: String
        var text: String
    }

    static let scenarios = packageScenarioDirectory()

    private static func packageScenarioDirectory() -> String {
        DaemonHarness.packageRoot.appendingPathComponent("SampleLogs/scenarios").path
    }

    /// Scenario tags used as service-name suffixes in the combined corpus.
    static let tags = ["ad", "gp", "cl", "oo"]

    /// The four scenarios (access-denied, grace-period, crash-loop, oom-loop), merged by event time; the placeholder
    /// service is `orders-api` in every scenario.
    static let combined: [Line] = {
        var lines: [Line] = []
        func add(_ texts: [String], _ scenario: String) {
            var last: Int64 = 0
            for text in texts {
                let time = eventTime(text) ?? last
                last = time
                lines.append(Line(time: time, scenario: scenario, text: text))
            }
        }
        add(
            filterLogEventsAsLines("access-denied/app-logs.filter-log-events.json")
                + fileLines("access-denied/eventbridge-ecs-tasks.jsonl")
                + fileLines("access-denied/alb-access-0905-0931.log"), "ad")
        add(fileLines("grace-period/app-logs.tail-detailed.txt")
            + fileLines("grace-period/eventbridge-task-state-change.jsonl"), "gp")
        add(fileLines("crash-loop/app-logs.tail-detailed.txt") + fileLines("crash-loop/eventbridge-ecs.jsonl"), "cl")
        add(fileLines("oom-loop/app-logs.events.jsonl") + fileLines("oom-loop/container-insights.jsonl")
            + fileLines("oom-loop/eventbridge-ecs.jsonl"), "oo")
        return lines.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }()

    /// 2026-11-20T10:00:00Z in milliseconds.
    static let tenOClock: Int64 = 1_795_168_800_000

    /// The access-denied scenario for `service`, followed by the healthy first minutes of grace-period (service
    /// `<service>-gp`, 09:55–10:00) so that event time passes the resolution of the access-denied alert.
    /// Yields exactly two transitions for `service`: firing at 09:14:41.197 (count 3), resolved at 09:38:43.405
    /// (count 44).
    static func accessDenied(service: String) -> [String] {
        combined.compactMap { line in
            switch line.scenario {
            case "ad": return line.text.replacingOccurrences(of: "orders-api", with: service)
            case "gp" where line.time < tenOClock:
                return line.text.replacingOccurrences(of: "orders-api", with: "\(service)-gp")
            default: return nil
            }
        }
    }

    /// The whole combined corpus with the services `<prefix>-ad`, `<prefix>-gp`, `<prefix>-cl`, `<prefix>-oo`.
    static func combined(prefix: String) -> [String] {
        combined.map { $0.text.replacingOccurrences(of: "orders-api", with: "\(prefix)-\($0.scenario)") }
    }

    static func services(prefix: String) -> [String] { tags.map { "\(prefix)-\($0)" } }

    /// 0-based indexes of the access-denied evidence lines (the botocore ClientError lines) in `lines`.
    static func clientErrorIndexes(_ lines: [String]) -> [Int] {
        lines.indices.filter { lines[$0].contains("botocore.exceptions.ClientError") }
    }

    static func bytes(of lines: some Collection<String>) -> [UInt8] {
        var bytes: [UInt8] = []
        for line in lines {
            bytes.append(contentsOf: line.utf8)
            bytes.append(10)
        }
        return bytes
    }

    // Reading the sample files.

    private static func fileLines(_ relative: String) -> [String] {
        guard let text = try? String(contentsOfFile: "\(scenarios)/\(relative)", encoding: .utf8) else {
            return []
        }
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    private static func filterLogEventsAsLines(_ relative: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: "\(scenarios)/\(relative)"),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let events = root["events"] as? [[String: Any]]
        else { return [] }
        return events.map { event in
            func number(_ key: String) -> String { (event[key] as? NSNumber).map { "\($0.int64Value)" } ?? "0" }
            func string(_ key: String) -> String { jsonString(event[key] as? String ?? "") }
            return "{\"timestamp\":\(number("timestamp")),\"logStreamName\":\(string("logStreamName")),"
                + "\"message\":\(string("message")),\"ingestionTime\":\(number("ingestionTime")),"
                + "\"eventId\":\(string("eventId")),\"logGroupName\":\"/ecs/orders-api\"}"
        }
    }

    /// `s` as a JSON string literal.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // Event time of a line, in Unix milliseconds.

    static func eventTime(_ line: String) -> Int64? {
        let u = Array(line.utf8)
        guard let first = u.first else { return nil }
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) {
            return isoMilliseconds(u[...])  // aws logs tail: "<ISO> <stream> <message>"
        }
        if first == UInt8(ascii: "{") {
            if line.hasPrefix("{\"version\""), let r = line.range(of: "\"time\":\"") {  // EventBridge
                return isoMilliseconds(Array(line[r.upperBound...].utf8)[...])
            }
            if let r = line.range(of: "\"timestamp\":") {  // CloudWatch event
                let digits = line[r.upperBound...].prefix { $0.isNumber }
                return Int64(digits)
            }
            return nil
        }
        // ALB access log: "<type> <ISO> …"
        guard let space = u.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        return isoMilliseconds(u[(space + 1)...])
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]` (UTC) at the start of `u`.
    private static func isoMilliseconds(_ u: ArraySlice<UInt8>) -> Int64? {
        let b = Array(u.prefix(32))
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T") else { return nil }
        func num(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return v
        }
        guard let year = num(0, 4), let month = num(5, 2), let day = num(8, 2), let hour = num(11, 2),
            let minute = num(14, 2), let second = num(17, 2)
        else { return nil }
        var t = tm()
        t.tm_year = Int32(year - 1900)
        t.tm_mon = Int32(month - 1)
        t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour)
        t.tm_min = Int32(minute)
        t.tm_sec = Int32(second)
        var millis = Int64(timegm(&t)) * 1000
        if b.count > 20, b[19] == UInt8(ascii: ".") {
            var fraction = 0
            var digits = 0
            var i = 20
            while i < b.count, digits < 3, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) {
                fraction = fraction * 10 + Int(b[i] - UInt8(ascii: "0"))
                digits += 1
                i += 1
            }
            while digits < 3 {
                fraction *= 10
                digits += 1
            }
            millis += Int64(fraction)
        }
        return millis
    }
}

// MARK: - The journal

/// One ecsdiagd alert entry read back with `journalctl -o json --all`.
struct DaemonJournalAlert: Sendable, CustomStringConvertible {
    var fields: [String: String]

    subscript(_ name: String) -> String? { fields[name] }

    var rule: String { fields["ECSDIAG_RULE"] ?? "" }
    var status: String { fields["ECSDIAG_STATUS"] ?? "" }
    var service: String { fields["ECSDIAG_SERVICE"] ?? "" }
    var evidenceLines: [String] {
        (fields["ECSDIAG_EVIDENCE"] ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// What must match between two runs over the same data: everything the engine decided, with the service
    /// prefix replaced by `SVC`.
    func comparisonKey(servicePrefix: String) -> String {
        let svc = service.replacingOccurrences(of: servicePrefix, with: "SVC")
        return [
            rule, status, fields["ECSDIAG_CAUSE"] ?? "", fields["ECSDIAG_CLUSTER"] ?? "", svc,
            fields["ECSDIAG_AT"] ?? "", fields["ECSDIAG_FIRST_SEEN"] ?? "", fields["ECSDIAG_LAST_SEEN"] ?? "",
            fields["ECSDIAG_COUNT"] ?? "", fields["ECSDIAG_TASK_IDS"] ?? "",
        ].joined(separator: " | ")
    }

    var description: String {
        "\(rule) \(status) \(fields["ECSDIAG_CAUSE"] ?? "") \(service) at=\(fields["ECSDIAG_AT"] ?? "") "
            + "count=\(fields["ECSDIAG_COUNT"] ?? "") id=\(fields["ECSDIAG_ALERT_ID"] ?? "") pid=\(fields["_PID"] ?? "")"
    }
}

enum DaemonJournal {
    static let journalctl = "/usr/bin/journalctl"

    /// `journalctl --sync` (asks journald to write out everything received so far); ignored when not permitted.
    static func sync() async {
        _ = try? await DaemonHarness.runTool(journalctl, ["--sync"], timeout: .seconds(10))
    }

    /// Every ecsdiagd entry whose `ECSDIAG_SERVICE` is one of `services`, oldest first.
    static func alerts(services: [String], sync: Bool = true) async throws -> [DaemonJournalAlert] {
        if sync { await self.sync() }
        let matches = services.map { "ECSDIAG_SERVICE=\($0)" }
        let result = try await DaemonHarness.runTool(
            journalctl, ["-o", "json", "--all", "--no-pager", "--quiet"] + matches, timeout: .seconds(15))
        guard result.status == 0 else {
            throw DaemonJournalQueryError(message: "journalctl exited \(result.status): \(result.stderr)")
        }
        var alerts: [DaemonJournalAlert] = []
        for line in result.stdout.split(separator: "\n") where !line.isEmpty {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                continue
            }
            var fields: [String: String] = [:]
            for (key, value) in object {
                switch value {
                case let s as String: fields[key] = s
                case let bytes as [NSNumber]: fields[key] = String(decoding: bytes.map { $0.uint8Value }, as: UTF8.self)
                case let many as [Any]: fields[key] = many.compactMap { $0 as? String }.joined(separator: "\u{1E}")
                default: fields[key] = "\(value)"
                }
            }
            alerts.append(DaemonJournalAlert(fields: fields))
        }
        return alerts
    }

    /// Polls the journal until `condition` holds for the entries of `services` (or `timeout` passes) and returns
    /// the last entries read.
    static func waitForAlerts(
        services: [String], timeout: Duration = .seconds(20), _ condition: ([DaemonJournalAlert]) -> Bool
    ) async throws -> [DaemonJournalAlert] {
        var last: [DaemonJournalAlert] = []
        _ = try await DaemonHarness.waitUntil(timeout: timeout, interval: .milliseconds(200)) {
            last = try await alerts(services: services)
            return condition(last)
        }
        return last
    }
}

struct DaemonJournalQueryError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

// MARK: - The checkpoint file

/// The parts of `<state_directory>/checkpoint.json` the tests look at.
struct DaemonCheckpointSnapshot {
    struct File {
        var path: String
        var offset: Int
        var lineNumber: Int
    }

    var format: String
    var files: [File]
    /// Outbox entries: `(alertID, rule, status, service)`.
    var outbox: [(alertID: String, rule: String, status: String, service: String)]

    /// Reads and parses the checkpoint; nil when it is missing or not the expected JSON.
    static func read(_ path: String) -> DaemonCheckpointSnapshot? {
        guard let data = FileManager.default.contents(atPath: path),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let state = root["state"] as? [String: Any]
        else { return nil }
        let files = (state["files"] as? [[String: Any]] ?? []).map { f in
            File(
                path: f["path"] as? String ?? "", offset: (f["offset"] as? NSNumber)?.intValue ?? -1,
                lineNumber: (f["lineNumber"] as? NSNumber)?.intValue ?? -1)
        }
        let outbox = (state["outbox"] as? [[String: Any]] ?? []).map { e in
            let t = e["transition"] as? [String: Any] ?? [:]
            return (
                alertID: e["alertID"] as? String ?? "", rule: t["rule"] as? String ?? "",
                status: t["status"] as? String ?? "", service: t["service"] as? String ?? ""
            )
        }
        return DaemonCheckpointSnapshot(format: root["format"] as? String ?? "", files: files, outbox: outbox)
    }

    /// Waits until the checkpoint records `path` read to its current size (every complete line processed).
    static func waitForCaughtUp(
        checkpoint: String, path: String, timeout: Duration = .seconds(20)
    ) async -> Bool {
        await DaemonHarness.waitUntil(timeout: timeout) {
            let size = DaemonTestDirectory.size(of: path)
            guard size >= 0, let snapshot = read(checkpoint) else { return false }
            return snapshot.files.contains { $0.path == path && $0.offset == size }
        }
    }
}

// MARK: - sd_notify

/// A test-owned `AF_UNIX` datagram socket to pass as `NOTIFY_SOCKET`; records every datagram with its arrival time.
final class DaemonNotifyListener {
    struct Message {
        /// `CLOCK_MONOTONIC` microseconds when the test read it (at or after its arrival).
        var arrival: UInt64
        /// The kernel's receive time (`SO_TIMESTAMP`, `CLOCK_REALTIME` microseconds): independent of when the test got
        /// around to reading, so gaps between messages are exact even on a loaded machine.
        var kernelReceived: UInt64
        var text: String
        var assignments: [String: String] {
            var out: [String: String] = [:]
            for line in text.split(separator: "\n") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                out[String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
            return out
        }
    }

    let path: String
    private var descriptor: Int32
    private(set) var messages: [Message] = []

    init(path: String) throws {
        self.path = path
        unlink(path)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        precondition(bytes.count < capacity, "socket path too long: \(path)")
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard result == 0 else {
            let code = errno
            _ = Glibc.close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        var on: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, Self.soTimestamp, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    private var keepsFile = false

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        if !keepsFile { unlink(path) }
    }

    /// Closes the socket but leaves its file: a "stale" socket that refuses datagrams (`ECONNREFUSED`), like the one
    /// a crashed journald leaves behind.
    static func makeStaleSocket(at path: String) throws {
        let listener = try DaemonNotifyListener(path: path)
        listener.keepsFile = true
        _ = Glibc.close(listener.descriptor)
        listener.descriptor = -1
    }

    /// `SO_TIMESTAMP` / `SCM_TIMESTAMP` (the 64-bit `struct timeval` variant).
    private static let soTimestamp: Int32 = 29

    /// Reads every datagram waiting, with its kernel receive time.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var control = [UInt8](repeating: 0, count: 256)
        while true {
            var controlLength = 0
            let n = buffer.withUnsafeMutableBytes { data in
                control.withUnsafeMutableBytes { ctl in
                    var io = iovec(iov_base: data.baseAddress, iov_len: data.count)
                    return withUnsafeMutablePointer(to: &io) { ioPointer in
                        var header = msghdr()
                        header.msg_iov = ioPointer
                        header.msg_iovlen = 1
                        header.msg_control = ctl.baseAddress
                        header.msg_controllen = ctl.count
                        let received = recvmsg(descriptor, &header, 0)
                        controlLength = Int(header.msg_controllen)
                        return received
                    }
                }
            }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return }
            let now = DaemonHarness.monotonicMicroseconds()
            messages.append(Message(
                arrival: now, kernelReceived: Self.timestamp(in: control, length: controlLength) ?? now,
                text: String(decoding: buffer[0..<n], as: UTF8.self)))
        }
    }

    /// The `SCM_TIMESTAMP` of a control buffer (x86-64/aarch64 `cmsghdr` layout: 8-byte length, level, type, data).
    private static func timestamp(in control: [UInt8], length: Int) -> UInt64? {
        func integer<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T? {
            guard offset + MemoryLayout<T>.size <= min(length, control.count) else { return nil }
            return control.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        }
        var offset = 0
        while let cmsgLength = integer(UInt64.self, at: offset), cmsgLength >= 16,
            let level = integer(Int32.self, at: offset + 8), let type = integer(Int32.self, at: offset + 12)
        {
            if level == SOL_SOCKET, type == soTimestamp, let seconds = integer(Int64.self, at: offset + 16),
                let micros = integer(Int64.self, at: offset + 24)
            {
                return UInt64(seconds) * 1_000_000 + UInt64(micros)
            }
            offset += (Int(cmsgLength) + 7) & ~7
        }
        return nil
    }

    /// Waits for the first message at index ≥ `from` that satisfies `predicate`; returns its index.
    func waitFor(
        from: Int = 0, timeout: Duration = .seconds(20), _ predicate: (Message) -> Bool
    ) async -> Int? {
        var found: Int?
        _ = await DaemonHarness.waitUntil(timeout: timeout, interval: .milliseconds(10)) {
            drain()
            found = messages.indices.first { $0 >= from && predicate(messages[$0]) }
            return found != nil
        }
        return found
    }

    /// Collects messages for `duration`.
    func collect(for duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            drain()
            try? await Task.sleep(for: .milliseconds(10))
        }
        drain()
    }
}
