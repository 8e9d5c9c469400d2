import DiagnosisRules
import ECSDiagKit
import Foundation
import SystemdJournal
import Testing

/// The daemon loop in-process, with an in-memory journal: live following gives the same alerts as replay, and a
/// restart from the checkpoint (clean or after a crash) repeats and loses nothing.
@Suite(.serialized)
struct DaemonLoopTests {
    static let root = URLPath.repositoryRoot()
    static let scenario = root + "/SampleLogs/scenarios/access-denied"

    final class Harness {
        let dir: URL
        let logs: URL
        let configPath: String
        let journal = InMemoryJournalWriter()
        var logged: [String] = []
        /// Whether the daemon may read the journal back (a DynamicUser without journal access cannot).
        var journalReadable = true

        init() throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecsdiagd-loop-\(UUID().uuidString)")
            logs = dir.appendingPathComponent("logs")
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("state"), withIntermediateDirectories: true)
            configPath = dir.appendingPathComponent("ecsdiagd.toml").path
            try writeConfiguration(checkpointIntervalMilliseconds: 100)
        }

        func writeConfiguration(checkpointIntervalMilliseconds: Int) throws {
            let text = """
                state_directory = "\(dir.path)/state"
                start_position = "beginning"
                poll_interval_ms = 100
                checkpoint_interval_ms = \(checkpointIntervalMilliseconds)
                [[source]]
                path = "\(logs.path)"
                """
            try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
        }

        func loop() throws -> DaemonLoop {
            let configuration = try ConfigurationLoader.load(path: configPath)
            let journal = self.journal
            let readable = journalReadable
            let deps = DaemonLoop.Dependencies(
                journal: journal,
                journalContains: { id in
                    readable ? journal.entries.contains { $0.contains(JournalField(name: "ECSDIAG_ALERT_ID", value: id)) } : nil
                },
                notifier: nil, log: { [weak self] in self?.logged.append($0) })
            return DaemonLoop(configPath: configPath, configuration: configuration, context: ServiceContext(), dependencies: deps)
        }

        func drain(_ loop: DaemonLoop) { while loop.turn() {} ; loop.turn() }

        var ledgerPath: String { dir.path + "/state/outbox-ledger.jsonl" }

        /// Appends `lines` of `name` to the followed directory.
        func append(_ lines: ArraySlice<Substring>, to name: String) throws {
            let url = logs.appendingPathComponent(name)
            if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(lines.map { $0 + "\n" }.joined().utf8))
            try handle.close()
        }

        var alerts: [String] {
            journal.entries.map { fields in
                let f = Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                return "\(f["ECSDIAG_RULE"] ?? "") \(f["ECSDIAG_STATUS"] ?? "") \(f["ECSDIAG_CAUSE"] ?? "") \(f["ECSDIAG_SERVICE"] ?? "") \(f["ECSDIAG_AT"] ?? "")"
            }
        }

        deinit { try? FileManager.default.removeItem(at: dir) }
    }

    /// The scenario's line-oriented inputs, as a live host would receive them.
    static func scenarioFiles() throws -> [(String, [Substring])] {
        try ["eventbridge-ecs-tasks.jsonl", "alb-access-0905-0931.log"].map { name in
            let text = try String(contentsOfFile: scenario + "/" + name, encoding: .utf8)
            return (name, text.split(separator: "\n", omittingEmptySubsequences: true))
        } + [("app.jsonl", try appEventLines())]
    }

    /// The filter-log-events document of the scenario as one CloudWatch event per line.
    static func appEventLines() throws -> [Substring] {
        let data = try Data(contentsOf: URL(fileURLWithPath: scenario + "/app-logs.filter-log-events.json"))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let events = object["events"] as! [[String: Any]]
        return try events.map { event in
            Substring(String(decoding: try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]), as: UTF8.self))
        }
    }

    @Test func followingGivesTheReplayAlertsOnce() throws {
        let h = try Harness()
        let loop = try h.loop()
        for (name, lines) in try Self.scenarioFiles() { try h.append(lines[...], to: name) }
        h.drain(loop)
        #expect(h.alerts.count == 1)
        #expect(h.alerts.first?.hasPrefix("access-denied firing task-role-missing-permission orders-api") == true)
        // Polling again with nothing new writes nothing more.
        h.drain(loop)
        #expect(h.alerts.count == 1)
    }

    @Test(arguments: [0.25, 0.5, 0.75])
    func restartFromTheCheckpointRepeatsAndLosesNothing(splitAt fraction: Double) throws {
        let reference = try Harness()
        let single = try reference.loop()
        for (name, lines) in try Self.scenarioFiles() { try reference.append(lines[...], to: name) }
        reference.drain(single)

        let h = try Harness()
        var loop: DaemonLoop? = try h.loop()
        let files = try Self.scenarioFiles()
        for (name, lines) in files {
            try h.append(lines[..<Int(Double(lines.count) * fraction)], to: name)
        }
        h.drain(loop!)
        loop = nil  // the process goes away; only the checkpoint remains
        loop = try h.loop()
        for (name, lines) in files {
            try h.append(lines[Int(Double(lines.count) * fraction)...], to: name)
        }
        h.drain(loop!)
        #expect(h.alerts == reference.alerts)
    }

    @Test func journalOutageKeepsAlertsUntilItReturns() throws {
        let h = try Harness()
        h.journal.failure = .sendFailed(errno: 111)
        var loop: DaemonLoop? = try h.loop()
        for (name, lines) in try Self.scenarioFiles() { try h.append(lines[...], to: name) }
        h.drain(loop!)
        #expect(h.journal.entries.isEmpty)
        #expect(h.logged.contains { $0.contains("journal unavailable") && $0.contains("access-denied firing") })
        // The daemon restarts while the journal is still down, then the journal comes back.
        loop = try h.loop()
        h.journal.failure = nil
        h.drain(loop!)
        #expect(h.alerts.count == 1)
        // A crash right after sending: the outbox is reconciled against the journal, nothing is sent twice.
        loop = try h.loop()
        h.drain(loop!)
        #expect(h.alerts.count == 1)
    }

    @Test(arguments: [true, false])
    func crashAfterSendingSendsNothingTwiceEvenWithoutJournalAccess(journalReadable: Bool) throws {
        let h = try Harness()
        h.journalReadable = journalReadable
        try h.writeConfiguration(checkpointIntervalMilliseconds: 60_000)  // only the first turn checkpoints
        var loop: DaemonLoop? = try h.loop()
        let files = try Self.scenarioFiles()
        // A few lines: the first turn writes a checkpoint, and no alert is decided yet.
        for (name, lines) in files { try h.append(lines[..<2], to: name) }
        h.drain(loop!)
        #expect(h.alerts.isEmpty)
        // The rest decides the alert, which is sent; then the process dies before the next checkpoint.
        for (name, lines) in files { try h.append(lines[2...], to: name) }
        h.drain(loop!)
        #expect(h.alerts.count == 1)
        let ledger = try String(contentsOfFile: h.ledgerPath, encoding: .utf8)
        #expect(ledger.contains("\"sent\""), "the journal's acceptance is in the ledger: \(ledger)")
        loop = nil
        // The restart reads the second half again from the checkpoint and decides the alert again: the ledger
        // says it was sent, so neither the outbox nor the re-decision writes it twice.
        loop = try h.loop()
        h.drain(loop!)
        #expect(h.alerts.count == 1)
        // A later checkpoint empties the ledger.
        try h.writeConfiguration(checkpointIntervalMilliseconds: 100)
        loop = try h.loop()
        h.drain(loop!)
        Thread.sleep(forTimeInterval: 0.15)
        try h.append(["{\"timestamp\":1795165200000,\"message\":\"ok\",\"logStreamName\":\"ecs/a/0123456789abcdef0123456789abcdef\"}"], to: "app.jsonl")
        h.drain(loop!)
        #expect((try? String(contentsOfFile: h.ledgerPath, encoding: .utf8)) == "")
    }

    @Test func corruptCheckpointIsReportedAndIgnored() throws {
        let h = try Harness()
        try Data([0x00, 0xFF, 0x7B, 0x22]).write(to: h.dir.appendingPathComponent("state/checkpoint.json"))
        let loop = try h.loop()
        #expect(h.logged.contains { $0.contains("checkpoint") && $0.contains("ignored") })
        for (name, lines) in try Self.scenarioFiles() { try h.append(lines[...], to: name) }
        h.drain(loop)
        #expect(h.alerts.count == 1)
    }
}
