import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `ecsdiagd run` writing to the real journal: every field of an alert entry, and the journal socket being absent.
@Suite(.serialized)
struct DaemonJournalTests {
    static let accessDeniedMessageID = "37afbe3def814795b97ecc35ca3ed520"
    static let taskIDs = "58e4d1dbf20b9597da2a2ddb1c01b33b efd1fea565b76356f2cb69e74c6a47ac"

    /// The access-denied scenario appended in chunks to a followed file: one firing and one resolved entry, every
    /// field checked, the evidence naming `PATH:LINE` of the followed file, control characters from the log escaped.
    @Test func alertEntryCarriesEveryField() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let dir = try DaemonTestDirectory("journal-fields")
        defer { dir.remove() }
        let service = DaemonHarness.uniqueService()
        var lines = DaemonCorpus.accessDenied(service: service)
        let denials = DaemonCorpus.clientErrorIndexes(lines)
        try #require(denials.count == 44, "the access-denied scenario has 44 denials")
        // Untrusted text from the log: an ANSI escape and a tab inside the second denial's message.
        lines[denials[1]] = lines[denials[1]].replacingOccurrences(
            of: "An error occurred (AccessDenied)", with: "\\u001b[31mAn error\\toccurred (AccessDenied)")

        let followed = dir.logs + "/app.log"
        let config = try dir.writeConfig(sources: [dir.logs + "/*.log"])
        let daemon = try DaemonProcess.run(binary, config: config, directory: dir)
        defer { daemon.stop() }
        let appender = try DaemonLogAppender(path: followed)
        try await appender.append(lines, chunks: 12, pause: .milliseconds(25))

        let alerts = try await DaemonJournal.waitForAlerts(services: [service]) { $0.count >= 2 }
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: followed))
        let exit = await daemon.terminate()
        #expect(exit?.status == 0 && exit?.signaled == false, "exit \(String(describing: exit))")
        let final = try await DaemonJournal.alerts(services: [service])
        #expect(final.count == 2, "exactly one firing and one resolved entry: \(final)\nstderr: \(daemon.standardError)")

        let firing = try #require(alerts.first { $0.status == "firing" }, "no firing entry: \(alerts)")
        #expect(firing["MESSAGE"] == "access-denied firing (task-role-missing-permission) prod/\(service): "
            + (firing["ECSDIAG_SUMMARY"] ?? "?"))
        #expect(firing["PRIORITY"] == "2")
        #expect(firing["MESSAGE_ID"] == Self.accessDeniedMessageID)
        #expect(firing["SYSLOG_IDENTIFIER"] == "ecsdiagd")
        #expect(firing["_PID"] == String(daemon.pid))
        #expect(firing["_TRANSPORT"] == "journal")
        #expect(firing["ECSDIAG_RULE"] == "access-denied")
        #expect(firing["ECSDIAG_STATUS"] == "firing")
        #expect(firing["ECSDIAG_SEVERITY"] == "critical")
        #expect(firing["ECSDIAG_CAUSE"] == "task-role-missing-permission")
        #expect(firing["ECSDIAG_CLUSTER"] == "prod")
        #expect(firing["ECSDIAG_SERVICE"] == service)
        #expect(firing["ECSDIAG_TASK_IDS"] == Self.taskIDs)
        #expect(firing["ECSDIAG_FIRST_SEEN"] == "2026-11-20T09:14:00.436Z")
        #expect(firing["ECSDIAG_LAST_SEEN"] == "2026-11-20T09:14:41.197Z")
        #expect(firing["ECSDIAG_AT"] == "2026-11-20T09:14:41.197Z")
        #expect(firing["ECSDIAG_COUNT"] == "3")
        #expect(firing["ECSDIAG_SUMMARY"]?.hasPrefix("3 AccessDenied on s3:GetObject as role orders-task-role") == true)
        let remediation = firing["ECSDIAG_REMEDIATION"] ?? ""
        #expect(remediation.contains("s3:GetObject") && remediation.contains("orders-task-role"))
        #expect(firing["ECSDIAG_ALERT_ID"]?.range(of: "^[0-9a-f]{16}$", options: .regularExpression) != nil)
        #expect(firing["CODE_FILE"] == nil && firing["CODE_LINE"] == nil)

        // Evidence: one line per record, "<RFC 3339> <PATH>:<LINE>: <text>", the first three denials.
        let evidence = firing.evidenceLines
        #expect(evidence.count == 3, "evidence: \(evidence)")
        let expectedTimes = ["2026-11-20T09:14:00.436Z", "2026-11-20T09:14:19.014Z", "2026-11-20T09:14:41.197Z"]
        for (i, line) in evidence.enumerated() where i < 3 {
            let prefix = "\(expectedTimes[i]) \(followed):\(denials[i] + 1): "
            #expect(line.hasPrefix(prefix), "evidence line \(i + 1) should start with \(prefix): \(line)")
            #expect(line.contains("(AccessDenied) when calling the GetObject operation"), "\(line)")
        }
        if evidence.count > 1 {
            #expect(evidence[1].contains("\\x1B[31mAn error\\x09occurred"), "control characters escaped: \(evidence[1])")
            #expect(!evidence[1].contains("\u{1B}") && !evidence[1].contains("\t"))
        }

        let resolved = try #require(alerts.first { $0.status == "resolved" }, "no resolved entry: \(alerts)")
        #expect(resolved["PRIORITY"] == "5")
        #expect(resolved["MESSAGE_ID"] == Self.accessDeniedMessageID)
        #expect(resolved["ECSDIAG_AT"] == "2026-11-20T09:38:43.405Z")
        #expect(resolved["ECSDIAG_COUNT"] == "44")
        #expect(resolved["ECSDIAG_FIRST_SEEN"] == "2026-11-20T09:14:00.436Z")
        #expect(resolved["ECSDIAG_LAST_SEEN"] == "2026-11-20T09:28:43.405Z")
        #expect(resolved["ECSDIAG_ALERT_ID"] != firing["ECSDIAG_ALERT_ID"])
        #expect(resolved["MESSAGE"]?.hasPrefix("access-denied resolved (task-role-missing-permission) prod/\(service): ") == true)
    }

    /// How the journal is made unavailable to the daemon, in a private mount namespace.
    enum Outage: String, Sendable, CaseIterable, CustomTestStringConvertible {
        /// `/run/systemd/journal` is an empty tmpfs: no socket at all (`ENOENT`).
        case socketAbsent
        /// `/run/systemd/journal` holds a socket nobody listens on, as a crashed journald leaves it (`ECONNREFUSED`).
        case journaldDead

        var testDescription: String { rawValue }
    }

    /// Whether `unshare -m` works here (root with CAP_SYS_ADMIN); otherwise records an issue explaining.
    static func privateMountNamespaceAvailable() async throws -> Bool {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
            Issue.record("/usr/bin/unshare (util-linux) is missing: cannot hide the journal socket from the daemon")
            return false
        }
        let probe = try await DaemonHarness.runTool(
            "/usr/bin/unshare", ["-m", "sh", "-c", "mount -t tmpfs tmpfs /run/systemd/journal"])
        guard probe.status == 0 else {
            Issue.record("""
                unshare -m + mount tmpfs is not permitted here (exit \(probe.status): \(probe.stderr)): the test needs \
                root with CAP_SYS_ADMIN to run the daemon in a private mount namespace without the journal socket
                """)
            return false
        }
        return true
    }

    /// Starts `ecsdiagd run` in a private mount namespace where `/run/systemd/journal` is replaced as `outage` says.
    static func runWithoutJournal(
        _ binary: URL, config: String, dir: DaemonTestDirectory, outage: Outage
    ) throws -> DaemonProcess {
        let setup: String
        switch outage {
        case .socketAbsent:
            setup = "mount -t tmpfs tmpfs /run/systemd/journal"
        case .journaldDead:
            let fake = dir.path + "/fake-journal"
            try FileManager.default.createDirectory(atPath: fake, withIntermediateDirectories: true)
            try DaemonNotifyListener.makeStaleSocket(at: fake + "/socket")
            setup = "mount --bind '\(fake)' /run/systemd/journal"
        }
        // unshare and sh exec: the child's pid is the daemon's pid.
        return try DaemonProcess(
            executable: "/usr/bin/unshare",
            arguments: ["-m", "sh", "-c", "\(setup) && exec \"$0\" \"$@\"", binary.path, "run", "--config", config],
            directory: dir, label: "nojournal")
    }

    /// The journal unavailable: the alert is copied to stderr and kept in the checkpoint's outbox while following goes
    /// on; after a restart with the journal present, each queued alert reaches the journal exactly once.
    @Test(arguments: Outage.allCases)
    func journalUnavailableQueuesAlertsUntilRestart(_ outage: Outage) async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        guard try await Self.privateMountNamespaceAvailable() else { return }
        let dir = try DaemonTestDirectory("journal-\(outage.rawValue)")
        defer { dir.remove() }
        let service = DaemonHarness.uniqueService()
        let lines = DaemonCorpus.accessDenied(service: service)
        let denials = DaemonCorpus.clientErrorIndexes(lines)
        // Part 1 ends 90 s of event time after the third denial: past the 30 s allowed lateness, the firing transition
        // is decided.
        let thirdDenialTime = try #require(DaemonCorpus.eventTime(lines[denials[2]]))
        let split = try #require(lines.indices.first { (DaemonCorpus.eventTime(lines[$0]) ?? 0) > thirdDenialTime + 90_000 })
        let followed = dir.logs + "/app.log"
        let config = try dir.writeConfig(sources: [dir.logs])

        let isolated = try Self.runWithoutJournal(binary, config: config, dir: dir, outage: outage)
        defer { isolated.stop() }
        let appender = try DaemonLogAppender(path: followed)
        try await appender.append(lines[..<split], chunks: 6)

        let firingMessage = "access-denied firing (task-role-missing-permission) prod/\(service)"
        let copied = await isolated.waitForStandardError(
            containing: ["journal unavailable", "alert kept for retry", firingMessage], timeout: .seconds(10))
        let lost = try await DaemonJournal.alerts(services: [service])
        try #require(copied, """
            \(outage): the alert is not copied to stderr as undeliverable (entries that reached the real journal: \
            \(lost.count), they cannot have); stderr: \(isolated.standardError)
            """)
        #expect(lost.isEmpty, "nothing can reach the real journal from the namespace: \(lost)")
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: followed))
        let queued = DaemonCheckpointSnapshot.read(dir.checkpointPath)
        #expect(queued?.outbox.contains { $0.service == service && $0.status == "firing" } == true,
                "the checkpoint's outbox holds the firing alert: \(String(describing: queued?.outbox))")

        // Still following while the journal is away: the rest is read and the resolution is queued too.
        try await appender.append(lines[split...], chunks: 6)
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: followed),
                "following continues while the journal is unavailable")
        #expect(await DaemonHarness.waitUntil(timeout: .seconds(10)) {
            DaemonCheckpointSnapshot.read(dir.checkpointPath)?.outbox.filter { $0.service == service }.count == 2
        }, "firing and resolved queued: \(String(describing: DaemonCheckpointSnapshot.read(dir.checkpointPath)?.outbox))")
        let stderrText = isolated.standardError
        #expect(stderrText.components(separatedBy: firingMessage).count - 1 == 1,
                "the firing alert is copied to stderr once, not at every retry:\n\(stderrText)")
        let exit1 = await isolated.terminate()
        #expect(exit1?.status == 0 && exit1?.signaled == false, "exit \(String(describing: exit1)): \(isolated.standardError)")
        #expect(DaemonCheckpointSnapshot.read(dir.checkpointPath)?.outbox.filter { $0.service == service }.count == 2,
                "the queue survives the stop")

        // Normal start: the queue is delivered, once.
        let normal = try DaemonProcess.run(binary, config: config, directory: dir)
        defer { normal.stop() }
        _ = try await DaemonJournal.waitForAlerts(services: [service], timeout: .seconds(10)) { $0.count >= 2 }
        try await Task.sleep(for: .milliseconds(300))
        let exit2 = await normal.terminate()
        #expect(exit2?.status == 0 && exit2?.signaled == false, "exit \(String(describing: exit2))")
        // A third start must not send them again either.
        let third = try DaemonProcess.run(binary, config: config, directory: dir)
        defer { third.stop() }
        try await Task.sleep(for: .milliseconds(700))
        _ = await third.terminate()
        let delivered = try await DaemonJournal.alerts(services: [service])
        #expect(delivered.filter { $0.status == "firing" }.count == 1, "\(delivered)")
        #expect(delivered.filter { $0.status == "resolved" }.count == 1, "\(delivered)")
        #expect(delivered.count == 2, "\(delivered)")
        #expect(delivered.first?.status == "firing", "queued order kept: \(delivered)")
        #expect(DaemonCheckpointSnapshot.read(dir.checkpointPath)?.outbox.isEmpty == true)
    }

    /// The journal comes back while the daemon is idle: the queued alerts must be retried without waiting for new
    /// log lines ("kept in a bounded queue and retried").
    @Test func queuedAlertIsRetriedWhenJournalReturnsWhileIdle() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        guard try await Self.privateMountNamespaceAvailable() else { return }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/nsenter") else {
            Issue.record("/usr/bin/nsenter (util-linux) is missing: cannot give the socket back to the daemon")
            return
        }
        let dir = try DaemonTestDirectory("journal-returns")
        defer { dir.remove() }
        let service = DaemonHarness.uniqueService()
        let lines = DaemonCorpus.accessDenied(service: service)
        let followed = dir.logs + "/app.log"
        let config = try dir.writeConfig(sources: [followed])
        let isolated = try Self.runWithoutJournal(binary, config: config, dir: dir, outage: .journaldDead)
        defer { isolated.stop() }
        try await DaemonLogAppender(path: followed).append(lines, chunks: 4)
        try #require(await isolated.waitForStandardError(containing: ["alert kept for retry", service], timeout: .seconds(10)),
                     "stderr: \(isolated.standardError)")
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: followed))

        // Give the journal socket back inside the daemon's namespace; append nothing more.
        let umount = try await DaemonHarness.runTool(
            "/usr/bin/nsenter", ["-t", String(isolated.pid), "-m", "umount", "/run/systemd/journal"])
        try #require(umount.status == 0, "nsenter umount: \(umount.stderr)")
        let delivered = try await DaemonJournal.waitForAlerts(services: [service], timeout: .seconds(5)) { $0.count >= 2 }
        #expect(delivered.count == 2, """
            the queued alerts reach the journal within 5 s of it coming back, without new log lines \
            (got \(delivered.count)); stderr: \(isolated.standardError)
            """)
        _ = await isolated.terminate()
        let final = try await DaemonJournal.alerts(services: [service])
        #expect(final.count == 2, "each exactly once after the stop's flush: \(final)")
    }
}
