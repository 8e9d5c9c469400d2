import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `ecsdiagd run` under a test-owned `NOTIFY_SOCKET`: READY, WATCHDOG, RELOADING/READY on SIGHUP (good and bad
/// configuration), STOPPING and exit 0 on SIGTERM.
@Suite(.serialized)
struct DaemonNotifyTests {
    static func environment(_ listener: DaemonNotifyListener) -> [String: String] {
        ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "2000000"]
    }

    @Test func readyWatchdogReloadAndStop() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let dir = try DaemonTestDirectory("notify")
        defer { dir.remove() }
        let service = DaemonHarness.uniqueService()
        let lines = DaemonCorpus.accessDenied(service: service)
        let denials = DaemonCorpus.clientErrorIndexes(lines)
        // app.log holds the first two denials before the start; the third comes later through a second source that
        // only the reloaded configuration names: the alert then proves both the new source and the kept window.
        let split = denials[2]
        let first = dir.logs + "/app.log"
        try Data(DaemonCorpus.bytes(of: lines[..<(denials[1] + 1)])).write(to: URL(fileURLWithPath: first))
        let secondDir = dir.url.appendingPathComponent("more").path
        try FileManager.default.createDirectory(atPath: secondDir, withIntermediateDirectories: true)
        let config = try dir.writeConfig(sources: [dir.logs + "/*.log"])

        let listener = try DaemonNotifyListener(path: dir.path + "/notify.sock")
        let started = DaemonHarness.monotonicMicroseconds()
        let daemon = try DaemonProcess.run(binary, config: config, environment: Self.environment(listener), directory: dir)
        defer { daemon.stop() }

        // READY=1 after start, once the configuration, checkpoint and sources are open.
        let readyIndex = try #require(
            await listener.waitFor(timeout: .seconds(10)) { $0.assignments["READY"] == "1" },
            "no READY=1 within 10 s; got \(listener.messages.map(\.text)); stderr: \(daemon.standardError)")
        let ready = listener.messages[readyIndex]
        #expect(ready.arrival >= started)
        #expect(ready.assignments["STATUS"]?.contains("following 1 file(s)") == true, """
            READY=1 only after the sources are open: its STATUS should count the one existing file, got \
            \(ready.assignments["STATUS"] ?? "no STATUS")
            """)
        #expect(daemon.isRunning)

        // WATCHDOG=1 repeatedly, at least every WATCHDOG_USEC / 2 = 1 s while idle.
        let watchFrom = listener.messages.count
        await listener.collect(for: .milliseconds(2500))
        let watchdogs = listener.messages[watchFrom...].filter { $0.assignments["WATCHDOG"] == "1" }
        let pings = watchdogs.map(\.kernelReceived)
        // Kernel receive times (realtime clock) are close to our own clock, not our monotonic read times.
        let realtimeNow = UInt64(Date().timeIntervalSince1970 * 1_000_000)
        #expect(pings.allSatisfy { $0 <= realtimeNow && realtimeNow - $0 < 10_000_000 }, "SO_TIMESTAMP receive times")
        #expect(pings.count >= 3, "WATCHDOG=1 pings in 2.5 s: \(pings.count)")
        let gaps = zip(pings.dropFirst(), pings).map { $0 - $1 }
        #expect((gaps.max() ?? 0) <= 1_000_000, "largest gap between WATCHDOG=1: \(gaps.max() ?? 0) µs")

        // SIGHUP with an invalid file: RELOADING=1 (with MONOTONIC_USEC), READY=1, the old configuration kept, why logged.
        let good = try String(contentsOfFile: config, encoding: .utf8)
        try ("bogus_key = 1\n" + good).write(toFile: config, atomically: true, encoding: .utf8)
        let badLine = 1
        try await reload(daemon, listener)
        #expect(await daemon.waitForStandardError(
            containing: ["reload rejected", "\(config):\(badLine): bogus_key"], timeout: .seconds(5)),
            "the rejection names file:line: key; stderr: \(daemon.standardError)")
        #expect(daemon.isRunning, "a bad configuration on SIGHUP must not stop the daemon")
        // Still following with the old configuration.
        try await DaemonLogAppender(path: first).append(lines[(denials[1] + 1)..<split], chunks: 2)
        #expect(await DaemonCheckpointSnapshot.waitForCaughtUp(checkpoint: dir.checkpointPath, path: first, timeout: .seconds(10)),
                "the running configuration keeps following \(first) after a rejected reload")

        // SIGHUP with a valid file that adds a second source.
        try (good + "[[source]]\npath = \"\(secondDir)/*.log\"\n").write(toFile: config, atomically: true, encoding: .utf8)
        try await reload(daemon, listener)
        #expect(await daemon.waitForStandardError(containing: ["configuration reloaded"], timeout: .seconds(5)),
                "stderr: \(daemon.standardError)")

        // The rest goes to the new source: the alert needs the two denials read before the reload.
        let second = secondDir + "/more.log"
        try await DaemonLogAppender(path: second).append(lines[split...], chunks: 4)
        let alerts = try await DaemonJournal.waitForAlerts(services: [service]) { $0.contains { $0.status == "firing" } }
        let firing = try #require(alerts.first { $0.status == "firing" }, "no alert after the reload: \(alerts)")
        #expect(firing["ECSDIAG_FIRST_SEEN"] == "2026-11-20T09:14:00.436Z", "correlation state kept across the reload")
        #expect(firing["ECSDIAG_COUNT"] == "3")
        let evidence = firing.evidenceLines
        #expect(evidence.count == 3)
        if evidence.count == 3 {
            #expect(evidence[0].contains(" \(first):\(denials[0] + 1): "), "\(evidence[0])")
            #expect(evidence[1].contains(" \(first):\(denials[1] + 1): "), "\(evidence[1])")
            #expect(evidence[2].contains(" \(second):1: "), "\(evidence[2])")
        }

        // SIGTERM: STOPPING=1, exit status 0 within 5 s.
        let stopFrom = listener.messages.count
        let sent = ContinuousClock.now
        let exit = await daemon.terminate(timeout: .seconds(5))
        let took = ContinuousClock.now - sent
        #expect(exit?.status == 0 && exit?.signaled == false, "exit \(String(describing: exit)) after \(took)")
        listener.drain()
        #expect(listener.messages[stopFrom...].contains { $0.assignments["STOPPING"] == "1" },
                "STOPPING=1 on SIGTERM; got \(listener.messages[stopFrom...].map(\.text))")
    }

    /// SIGHUP: RELOADING=1 with a MONOTONIC_USEC taken during the reload, then READY=1.
    private func reload(
        _ daemon: DaemonProcess, _ listener: DaemonNotifyListener, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        listener.drain()
        let from = listener.messages.count
        let before = DaemonHarness.monotonicMicroseconds()
        daemon.send(SIGHUP)
        let reloading = try #require(
            await listener.waitFor(from: from, timeout: .seconds(5)) { $0.assignments["RELOADING"] == "1" },
            "no RELOADING=1 after SIGHUP: \(listener.messages[from...].map(\.text)); stderr: \(daemon.standardError)",
            sourceLocation: sourceLocation)
        let message = listener.messages[reloading]
        let stamp = try #require(
            message.assignments["MONOTONIC_USEC"].flatMap { UInt64($0) },
            "RELOADING=1 without MONOTONIC_USEC: \(message.text)", sourceLocation: sourceLocation)
        #expect(stamp >= before && stamp <= message.arrival, "MONOTONIC_USEC \(stamp) outside [\(before), \(message.arrival)]",
                sourceLocation: sourceLocation)
        let ready = await listener.waitFor(from: reloading + 1, timeout: .seconds(5)) { $0.assignments["READY"] == "1" }
        #expect(ready != nil, "no READY=1 after RELOADING=1: \(listener.messages[from...].map(\.text))",
                sourceLocation: sourceLocation)
    }

    /// A SIGHUP sent the moment READY=1 arrives (as `systemctl reload` right after start would) must reload, not kill.
    @Test func sighupRightAfterReady() async throws {
        let binary = try DaemonHarness.requireBinaryAndJournal()
        let dir = try DaemonTestDirectory("notify-early-hup")
        defer { dir.remove() }
        let config = try dir.writeConfig(sources: [dir.logs + "/*.log"])
        let listener = try DaemonNotifyListener(path: dir.path + "/notify.sock")
        let daemon = try DaemonProcess.run(binary, config: config, environment: Self.environment(listener), directory: dir)
        defer { daemon.stop() }
        let ready = await listener.waitFor(timeout: .seconds(10)) { $0.assignments["READY"] == "1" }
        try #require(ready != nil, "no READY=1; stderr: \(daemon.standardError)")
        try await reload(daemon, listener)
        #expect(daemon.isRunning)
        let exit = await daemon.terminate()
        #expect(exit?.status == 0 && exit?.signaled == false, "exit \(String(describing: exit))")
    }
}
