import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Restarts of `ecsdiagd run` mid-stream (SIGTERM and SIGKILL at several points, lines appended while it is down):
/// the journal must end up with exactly the alert transitions of one uninterrupted run, each once. Also a corrupt
/// checkpoint.
@Suite(.serialized)
struct DaemonRestartTests {
    /// The outcome of a run over the combined corpus (access-denied, grace-period, crash-loop, oom-loop).
    struct RunOutcome: Sendable {
        var keys: [String]
        var alerts: [DaemonJournalAlert]
        var prefix: String
    }

    /// One uninterrupted run, computed once and shared by the tests of this suite.
    static let baseline = Task<RunOutcome, any Error> {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        return try await DaemonRestartTests.run(binary, label: "restart-baseline", interruptions: [])
    }

    /// Where to interrupt: after `fraction` of the corpus's bytes (usually mid-line), wait `delay`, send `signal`;
    /// while the daemon is down, append a further `appendWhileDown` fraction.
    struct Interruption: Sendable {
        var fraction: Double
        var signal: Int32
        var delay: Duration = .zero
        var appendWhileDown: Double = 0
    }

    /// Appends the combined corpus to one followed file, interrupting the daemon as told, and returns the journal's
    /// alerts for this run's services once the last daemon has read everything and stopped.
    static func run(_ binary: URL, label: String, interruptions: [Interruption]) async throws -> RunOutcome {
        let dir = try DaemonTestDirectory(label)
        defer { dir.remove() }
        let prefix = DaemonHarness.uniqueService()
        let bytes = DaemonCorpus.bytes(of: DaemonCorpus.combined(prefix: prefix))
        let followed = dir.logs + "/ecs.log"
        let config = try dir.writeConfig(sources: [dir.logs + "/*.log"])
        let appender = try DaemonLogAppender(path: followed)
        var position = 0
        func appendUpTo(_ fraction: Double, chunks: Int) async throws {
            let end = min(bytes.count, max(position, Int(Double(bytes.count) * fraction)))
            try await appender.append(bytes: Array(bytes[position..<end]), chunks: chunks, pause: .milliseconds(15))
            position = end
        }

        var daemon = try DaemonProcess.run(binary, config: config, directory: dir)
        var daemons = [daemon]
        defer { for d in daemons { d.stop() } }
        for (i, interruption) in interruptions.enumerated() {
            try await appendUpTo(interruption.fraction, chunks: 4)
            if interruption.delay > .zero { try await Task.sleep(for: interruption.delay) }
            daemon.send(interruption.signal)
            let exit = await daemon.waitForExit(timeout: .seconds(5))
            if interruption.signal == SIGKILL {
                #expect(exit?.signaled == true, "interruption \(i + 1): SIGKILL")
            } else {
                #expect(exit?.status == 0 && exit?.signaled == false,
                        "interruption \(i + 1): exit 0 within 5 s of SIGTERM, got \(String(describing: exit))")
            }
            if interruption.appendWhileDown > 0 {
                try await appendUpTo(interruption.fraction + interruption.appendWhileDown, chunks: 2)
            }
            daemon = try DaemonProcess.run(binary, config: config, directory: dir)
            daemons.append(daemon)
        }
        try await appendUpTo(1, chunks: 6)
        let caughtUp = await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: followed)
        #expect(caughtUp, "\(label): the last daemon did not read the file to its end; stderr: \(daemon.standardError)")
        let exit = await daemon.terminate()
        #expect(exit?.status == 0 && exit?.signaled == false, "\(label): final stop \(String(describing: exit))")
        for (i, d) in daemons.enumerated().dropFirst() {
            let text = d.standardError
            #expect(!text.contains("checkpoint") || !text.contains("ignored"),
                    "\(label): restart \(i) must resume from the checkpoint, stderr: \(text)")
        }
        let alerts = try await DaemonJournal.alerts(services: DaemonCorpus.services(prefix: prefix))
        return RunOutcome(keys: alerts.map { $0.comparisonKey(servicePrefix: prefix) }, alerts: alerts, prefix: prefix)
    }

    /// Compares an interrupted run with the uninterrupted one: the same transitions, none twice, none missing.
    static func compare(_ outcome: RunOutcome, label: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let baseline = try await Self.baseline.value
        #expect(baseline.keys.count >= 7, "the uninterrupted run saw \(baseline.keys.count) transitions: \(baseline.alerts)",
                sourceLocation: sourceLocation)
        #expect(Set(baseline.keys).count == baseline.keys.count, "duplicates in the uninterrupted run: \(baseline.alerts)",
                sourceLocation: sourceLocation)
        let missing = baseline.keys.filter { !outcome.keys.contains($0) }
        var seen: [String: Int] = [:]
        for key in outcome.keys { seen[key, default: 0] += 1 }
        let duplicated = seen.filter { $0.value > 1 }.map { "\($0.value)× \($0.key)" }
        let extra = outcome.keys.filter { !baseline.keys.contains($0) }
        #expect(missing.isEmpty && duplicated.isEmpty && extra.isEmpty, """
            \(label): journal differs from the uninterrupted run
            missing: \(missing)
            duplicated: \(duplicated)
            unexpected: \(extra)
            entries: \(outcome.alerts.map(\.description).joined(separator: "\n"))
            """, sourceLocation: sourceLocation)
        #expect(outcome.keys.count == baseline.keys.count, "\(label): \(outcome.keys.count) vs \(baseline.keys.count) entries",
                sourceLocation: sourceLocation)
    }

    @Test func uninterruptedRunSeesEveryScenario() async throws {
        _ = try DaemonHarness.requireBinaryAndJournal()
        let baseline = try await Self.baseline.value
        let keys = baseline.keys
        // The oracle of SampleLogs/scenarios/*/expected.md: one firing per scenario at the moment its condition holds.
        for expected in [
            "access-denied | firing | task-role-missing-permission | prod | SVC-ad | 2026-11-20T09:14:41.197Z",
            "restart-loop | firing | health-check-grace-period | prod | SVC-gp | 2026-11-20T10:04:48.000Z",
            "restart-loop | firing | crash | prod | SVC-cl | 2026-11-20T13:06:54.000Z",
            "restart-loop | firing | oom | prod | SVC-oo | 2026-11-20T14:10:43.000Z",
        ] {
            #expect(keys.contains { $0.hasPrefix(expected) }, "missing \(expected) in \(baseline.alerts)")
        }
    }

    @Test func sigtermMidStreamThenRestart() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let outcome = try await Self.run(binary, label: "restart-sigterm", interruptions: [
            Interruption(fraction: 0.3, signal: SIGTERM),
            Interruption(fraction: 0.7, signal: SIGTERM, delay: .milliseconds(150), appendWhileDown: 0.1),
        ])
        try await Self.compare(outcome, label: "SIGTERM")
    }

    @Test func sigkillAtSeveralPointsThenRestart() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let outcome = try await Self.run(binary, label: "restart-sigkill", interruptions: [
            Interruption(fraction: 0.12, signal: SIGKILL),
            Interruption(fraction: 0.33, signal: SIGKILL, delay: .milliseconds(30)),
            Interruption(fraction: 0.55, signal: SIGKILL, delay: .milliseconds(150), appendWhileDown: 0.1),
            Interruption(fraction: 0.8, signal: SIGKILL, delay: .milliseconds(5)),
            Interruption(fraction: 0.95, signal: SIGKILL),
        ])
        try await Self.compare(outcome, label: "SIGKILL")
    }

    /// SIGKILL right after an alert reached the journal: the outbox ledger lists it (appended before sending, then
    /// marked sent), the checkpoint is older, so the restart reads the input again, decides the alert again and must
    /// not send it again.
    @Test func sigkillAfterJournalingDoesNotSendTwice() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let dir = try DaemonTestDirectory("restart-reconcile")
        defer { dir.remove() }
        let service = DaemonHarness.uniqueService()
        let lines = DaemonCorpus.accessDenied(service: service)
        let d = DaemonCorpus.clientErrorIndexes(lines)
        let thirdDenialTime = try #require(DaemonCorpus.eventTime(lines[d[2]]))
        // The alert is decided when event time passes the third denial + the 30 s allowed lateness: part 1 ends with
        // the first line past that, so the batch that decides the alert is the last one before the kill (and the
        // outbox ledger written before sending still lists the alert).
        let trigger = try #require(lines.indices.first { (DaemonCorpus.eventTime(lines[$0]) ?? 0) > thirdDenialTime + 30_000 })
        let split = trigger + 1
        let followed = dir.logs + "/app.log"
        // No periodic checkpoint between sending and the kill: the ledger, not the checkpoint, carries the alert.
        let config = try dir.writeConfig(sources: [followed], checkpointIntervalMilliseconds: 60_000)
        let first = try DaemonProcess.run(binary, config: config, directory: dir)
        defer { first.stop() }
        let appender = try DaemonLogAppender(path: followed)
        // The first lines (before the first denial) get the run's first checkpoint, which comes at once; the batch
        // that decides the alert comes after it, so only the ledger can carry the alert.
        try await appender.append(lines[..<d[0]], chunks: 1)
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: followed))
        try await appender.append(lines[d[0]..<split], chunks: 4)
        let journaled = try await DaemonJournal.waitForAlerts(services: [service]) { !$0.isEmpty }
        try #require(journaled.count == 1, "the firing entry reached the journal: \(journaled); stderr: \(first.standardError)")
        await first.killNow()
        let ledgerPath = (dir.checkpointPath as NSString).deletingLastPathComponent + "/outbox-ledger.jsonl"
        let ledger = (try? String(contentsOfFile: ledgerPath, encoding: .utf8)) ?? ""
        if !ledger.contains(service) {
            // Still a valid run (a checkpoint came between sending and the kill), but the ledger path was not exercised.
            Issue.record("the outbox ledger no longer held the sent alert at the kill: \(ledger)")
        }

        try dir.writeConfig(sources: [followed])  // the restart checkpoints often again, to see it catch up
        let second = try DaemonProcess.run(binary, config: config, directory: dir)
        defer { second.stop() }
        try await appender.append(lines[split...], chunks: 4)
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: followed))
        _ = try await DaemonJournal.waitForAlerts(services: [service], timeout: .seconds(5)) { $0.count >= 2 }
        _ = await second.terminate()
        let alerts = try await DaemonJournal.alerts(services: [service])
        #expect(alerts.filter { $0.status == "firing" }.count == 1, "no duplicate firing entry: \(alerts)")
        #expect(alerts.filter { $0.status == "resolved" }.count == 1, "the resolution after the restart: \(alerts)")
        #expect(alerts.first { $0.status == "resolved" }?["ECSDIAG_COUNT"] == "44")
    }

    /// The same configuration file named differently on restart (`--config ecsdiagd.toml` from its directory instead
    /// of the absolute path, as an operator running it by hand would): the checkpoint is the daemon's own, not a
    /// foreign one, so the restart must resume from it rather than re-read (and re-journal) everything.
    @Test func restartWithTheConfigPathSpelledDifferently() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let dir = try DaemonTestDirectory("restart-config-spelling")
        defer { dir.remove() }
        let service = DaemonHarness.uniqueService()
        let lines = DaemonCorpus.accessDenied(service: service)
        let d = DaemonCorpus.clientErrorIndexes(lines)
        let thirdDenialTime = try #require(DaemonCorpus.eventTime(lines[d[2]]))
        let split = try #require(lines.indices.first { (DaemonCorpus.eventTime(lines[$0]) ?? 0) > thirdDenialTime + 90_000 })
        let followed = dir.logs + "/app.log"
        let config = try dir.writeConfig(sources: [dir.logs + "/*.log"])
        let appender = try DaemonLogAppender(path: followed)

        let first = try DaemonProcess.run(binary, config: config, directory: dir)
        defer { first.stop() }
        try await appender.append(lines[..<split], chunks: 4)
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: followed))
        _ = try await DaemonJournal.waitForAlerts(services: [service], timeout: .seconds(10)) { !$0.isEmpty }
        _ = await first.terminate()

        // Same file, relative name (the working directory is the test directory).
        let second = try DaemonProcess(
            executable: binary.path, arguments: ["run", "--config", "ecsdiagd.toml"], directory: dir, label: "relative")
        defer { second.stop() }
        try await appender.append(lines[split...], chunks: 4)
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: followed))
        _ = try await DaemonJournal.waitForAlerts(services: [service], timeout: .seconds(5)) { $0.count >= 2 }
        _ = await second.terminate()
        #expect(!second.standardError.contains("ignored"),
                "the restart resumes from its own checkpoint; stderr: \(second.standardError)")
        let alerts = try await DaemonJournal.alerts(services: [service])
        #expect(alerts.filter { $0.status == "firing" }.count == 1, "no firing entry twice: \(alerts)")
        #expect(alerts.filter { $0.status == "resolved" }.count == 1, "\(alerts)")
    }

    /// A checkpoint of garbage bytes is reported on stderr and ignored: the daemon starts from `start_position`
    /// (with "end", the file's existing content is skipped; with "beginning", it is read), and then writes a valid one.
    @Test(arguments: ["end", "beginning"])
    func corruptCheckpointIsReportedAndIgnored(startPosition: String) async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let dir = try DaemonTestDirectory("corrupt-checkpoint-\(startPosition)")
        defer { dir.remove() }
        let before = DaemonHarness.uniqueService()
        let after = DaemonHarness.uniqueService()
        let followed = dir.logs + "/app.log"
        try Data(DaemonCorpus.bytes(of: DaemonCorpus.accessDenied(service: before))).write(to: URL(fileURLWithPath: followed))
        var garbage = (0..<777).map { _ in UInt8.random(in: 0...255) }
        garbage[0] = 0x00
        garbage[1] = 0xFF
        try Data(garbage).write(to: URL(fileURLWithPath: dir.checkpointPath))
        let config = try dir.writeConfig(sources: [dir.logs + "/*.log"], startPosition: startPosition)

        let daemon = try DaemonProcess.run(binary, config: config, directory: dir)
        defer { daemon.stop() }
        #expect(await daemon.waitForStandardError(containing: [dir.checkpointPath, "ignored"], timeout: .seconds(10)),
                "the corrupt checkpoint is reported; stderr: \(daemon.standardError)")
        #expect(await DaemonHarness.waitUntil(timeout: .seconds(10)) {
            DaemonCheckpointSnapshot.read(dir.checkpointPath)?.files.contains { $0.path == followed } == true
        }, "the daemon started following")
        if startPosition == "end" {
            // Same event times again (a second service): only meaningful when the old content was skipped.
            try await DaemonLogAppender(path: followed).append(DaemonCorpus.accessDenied(service: after), chunks: 6)
        }
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: followed))
        let expected = startPosition == "end" ? after : before
        _ = try await DaemonJournal.waitForAlerts(services: [expected], timeout: .seconds(5)) { $0.count >= 2 }
        let exit = await daemon.terminate()
        #expect(exit?.status == 0 && exit?.signaled == false, "exit \(String(describing: exit)): \(daemon.standardError)")

        let beforeAlerts = try await DaemonJournal.alerts(services: [before])
        if startPosition == "end" {
            #expect(beforeAlerts.isEmpty, "start_position end: existing content skipped, got \(beforeAlerts)")
            let afterAlerts = try await DaemonJournal.alerts(services: [after])
            #expect(afterAlerts.count == 2, "lines appended after the start are read: \(afterAlerts)")
        } else {
            #expect(beforeAlerts.count == 2, "start_position beginning: existing content read once, got \(beforeAlerts)")
        }
        let rewritten = DaemonCheckpointSnapshot.read(dir.checkpointPath)
        #expect(rewritten?.format == "ecsdiagd-checkpoint", "a valid checkpoint replaces the corrupt one")
    }
}
