import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Rotation on disk while `ecsdiagd run` follows the file: the alert appears exactly once and no evidence is lost or
/// counted twice (the resolved entry's ECSDIAG_COUNT is the scenario's 44 denials).
@Suite(.serialized)
struct DaemonRotationTests {
    /// What a rotation test checks at the end.
    struct Expectation {
        /// For each of the three evidence lines of the firing entry: the accepted `PATH:LINE` sources.
        var evidenceSources: [[String]]
    }

    /// Waits for the daemon to read `followed` to its end, stops it, and checks the journal: one firing entry (count
    /// 3, at 09:14:41.197) and one resolved entry (count 44), evidence from the expected sources.
    private func verify(
        daemon: DaemonProcess, dir: DaemonTestDirectory, followed: String, service: String, expectation: Expectation,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let caughtUp = await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: followed)
        #expect(caughtUp, "the daemon did not read \(followed) to its end; stderr: \(daemon.standardError)",
                sourceLocation: sourceLocation)
        _ = try await DaemonJournal.waitForAlerts(services: [service], timeout: .seconds(caughtUp ? 10 : 2)) { $0.count >= 2 }
        let exit = await daemon.terminate()
        #expect(exit?.status == 0 && exit?.signaled == false, "exit \(String(describing: exit))", sourceLocation: sourceLocation)
        let alerts = try await DaemonJournal.alerts(services: [service])
        let firing = alerts.filter { $0.status == "firing" }
        let resolved = alerts.filter { $0.status == "resolved" }
        #expect(firing.count == 1 && resolved.count == 1 && alerts.count == 2,
                "exactly one firing and one resolved entry: \(alerts)\nstderr: \(daemon.standardError)",
                sourceLocation: sourceLocation)
        if let f = firing.first {
            #expect(f["ECSDIAG_AT"] == "2026-11-20T09:14:41.197Z" && f["ECSDIAG_COUNT"] == "3", "\(f)",
                    sourceLocation: sourceLocation)
            let evidence = f.evidenceLines
            #expect(evidence.count == expectation.evidenceSources.count, "evidence: \(evidence)", sourceLocation: sourceLocation)
            for (line, accepted) in zip(evidence, expectation.evidenceSources) {
                #expect(accepted.contains { line.contains(" \($0): ") }, "evidence \(line) should cite one of \(accepted)",
                        sourceLocation: sourceLocation)
            }
        }
        if let r = resolved.first {
            #expect(r["ECSDIAG_COUNT"] == "44", "every denial counted once, none lost: \(r)", sourceLocation: sourceLocation)
            #expect(r["ECSDIAG_AT"] == "2026-11-20T09:38:43.405Z", "\(r)", sourceLocation: sourceLocation)
        }
    }

    /// logrotate `create`: app.log renamed to app.log.1 mid-stream while the logger keeps writing to its open
    /// descriptor, then a new app.log whose fourth line is the third denial. The source is the directory, so
    /// app.log.1 is followed too: it must be continued where app.log stopped, not read again (fail2ban #17).
    /// The daemon is SIGSTOPped from the rename until the new file exists, so that one poll reads the old file's
    /// rest and the new file's beginning.
    @Test func renameRotationMidStream() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let dir = try DaemonTestDirectory("rotate-rename")
        defer { dir.remove() }
        let service = DaemonHarness.uniqueService()
        let lines = DaemonCorpus.accessDenied(service: service)
        let d = DaemonCorpus.clientErrorIndexes(lines)
        let renameAt = d[1] + 1  // after the second denial
        let newFileAt = d[2] - 3  // the old descriptor still gets a few lines; the third denial is new line 4
        let path = dir.logs + "/app.log"
        let rotated = dir.logs + "/app.log.1"
        let config = try dir.writeConfig(sources: [dir.logs])
        let daemon = try DaemonProcess.run(binary, config: config, directory: dir)
        defer { daemon.stop() }

        let logger = try DaemonLogAppender(path: path)
        try await logger.append(lines[..<renameAt], chunks: 6)
        daemon.send(SIGSTOP)
        try #require(rename(path, rotated) == 0)
        try await logger.append(lines[renameAt..<newFileAt], chunks: 1)
        logger.close()
        let fresh = try DaemonLogAppender(path: path)
        try await fresh.append(lines[newFileAt..<(newFileAt + 10)], chunks: 1)
        daemon.send(SIGCONT)
        try await fresh.append(lines[(newFileAt + 10)...], chunks: 6)

        try await verify(
            daemon: daemon, dir: dir, followed: path, service: service,
            expectation: Expectation(evidenceSources: [
                ["\(path):\(d[0] + 1)", "\(rotated):\(d[0] + 1)"],
                ["\(path):\(d[1] + 1)", "\(rotated):\(d[1] + 1)"],
                ["\(path):\(d[2] - newFileAt + 1)"],
            ]))
        let snapshot = DaemonCheckpointSnapshot.read(dir.checkpointPath)
        #expect(snapshot?.files.first { $0.path == rotated }.map { $0.offset == DaemonTestDirectory.size(of: rotated) } ?? true,
                "the rotated file is read to its end: \(String(describing: snapshot?.files))")
    }

    /// logrotate `copytruncate`: app.log copied to app.log.1 (not followed) and truncated, then written again.
    @Test func copyTruncate() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let dir = try DaemonTestDirectory("rotate-copytruncate")
        defer { dir.remove() }
        let service = DaemonHarness.uniqueService()
        let lines = DaemonCorpus.accessDenied(service: service)
        let d = DaemonCorpus.clientErrorIndexes(lines)
        let truncateAt = d[1] + 1
        let path = dir.logs + "/app.log"
        let config = try dir.writeConfig(sources: [dir.logs + "/*.log"])
        let daemon = try DaemonProcess.run(binary, config: config, directory: dir)
        defer { daemon.stop() }

        let logger = try DaemonLogAppender(path: path)
        try await logger.append(lines[..<truncateAt], chunks: 6)
        // copytruncate loses what the reader had not read yet; that is not the daemon's to fix: let it catch up.
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: path))
        try FileManager.default.copyItem(atPath: path, toPath: dir.logs + "/app.log.1")
        try #require(truncate(path, 0) == 0)
        try await logger.append(lines[truncateAt...], chunks: 8)

        try await verify(
            daemon: daemon, dir: dir, followed: path, service: service,
            expectation: Expectation(evidenceSources: [
                ["\(path):\(d[0] + 1)"], ["\(path):\(d[1] + 1)"], ["\(path):\(d[2] - truncateAt + 1)"],
            ]))
    }

    /// copytruncate where the file is truncated and grows back past the old read offset before the daemon looks
    /// again (the daemon is SIGSTOPped meanwhile): the changed head must be noticed and the new content read from 0.
    @Test func copyTruncateRegrownBeforeNextPoll() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let dir = try DaemonTestDirectory("rotate-regrown")
        defer { dir.remove() }
        let service = DaemonHarness.uniqueService()
        let lines = DaemonCorpus.accessDenied(service: service)
        let d = DaemonCorpus.clientErrorIndexes(lines)
        let truncateAt = d[1] + 1
        let path = dir.logs + "/app.log"
        let config = try dir.writeConfig(sources: [dir.logs + "/*.log"])
        let daemon = try DaemonProcess.run(binary, config: config, directory: dir)
        defer { daemon.stop() }

        let logger = try DaemonLogAppender(path: path)
        try await logger.append(lines[..<truncateAt], chunks: 4)
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: path))
        daemon.send(SIGSTOP)
        try #require(truncate(path, 0) == 0)
        try await logger.append(lines[truncateAt...], chunks: 1)  // far longer than what was read before
        daemon.send(SIGCONT)

        try await verify(
            daemon: daemon, dir: dir, followed: path, service: service,
            expectation: Expectation(evidenceSources: [
                ["\(path):\(d[0] + 1)"], ["\(path):\(d[1] + 1)"], ["\(path):\(d[2] - truncateAt + 1)"],
            ]))
    }

    /// Delete and recreate: app.log is unlinked right after its last write (its unread rest must still be read
    /// through the open descriptor) and a new app.log is created whose 6th line is the third denial. The daemon is
    /// SIGSTOPped meanwhile, so that one poll reads the deleted file's rest and the new file's beginning.
    @Test func deleteAndRecreate() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let dir = try DaemonTestDirectory("rotate-delete")
        defer { dir.remove() }
        let service = DaemonHarness.uniqueService()
        let lines = DaemonCorpus.accessDenied(service: service)
        let d = DaemonCorpus.clientErrorIndexes(lines)
        let deleteAt = d[2] - 5  // the deleted file gets 8 more lines after the second denial; the third is new line 6
        let path = dir.logs + "/app.log"
        let config = try dir.writeConfig(sources: [dir.logs + "/*.log"])
        let daemon = try DaemonProcess.run(binary, config: config, directory: dir)
        defer { daemon.stop() }

        let logger = try DaemonLogAppender(path: path)
        try await logger.append(lines[..<(d[1] + 1)], chunks: 3)
        // The daemon has the file open (it read something) before the rest is written and the file deleted.
        #expect(await DaemonHarness.waitUntil(timeout: .seconds(10)) {
            DaemonCheckpointSnapshot.read(dir.checkpointPath)?.files.contains { $0.path == path && $0.offset > 0 } == true
        })
        daemon.send(SIGSTOP)
        try await logger.append(lines[(d[1] + 1)..<deleteAt], chunks: 1)
        logger.close()
        try #require(unlink(path) == 0)
        let fresh = try DaemonLogAppender(path: path)
        try await fresh.append(lines[deleteAt..<(deleteAt + 20)], chunks: 1)
        daemon.send(SIGCONT)
        try await fresh.append(lines[(deleteAt + 20)...], chunks: 6)

        try await verify(
            daemon: daemon, dir: dir, followed: path, service: service,
            expectation: Expectation(evidenceSources: [
                ["\(path):\(d[0] + 1)"], ["\(path):\(d[1] + 1)"], ["\(path):\(d[2] - deleteAt + 1)"],
            ]))
    }
}
