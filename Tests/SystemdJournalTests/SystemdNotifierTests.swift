import Foundation
import SystemdJournal
import Testing

/// These tests set `NOTIFY_SOCKET` / `WATCHDOG_*` in the process environment, so they run one at a time.
@Suite(.serialized)
struct SystemdNotifierTests {
    /// An AF_UNIX datagram socket standing in for systemd's notification socket.
    final class NotifySocket {
        let path: String
        let descriptor: Int32
        private let directory: URL

        init() throws {
            directory = try TestSupport.makeTemporaryDirectory("notify")
            path = directory.appendingPathComponent("notify.sock").path
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let capacity = MemoryLayout.size(ofValue: address.sun_path)
            precondition(path.utf8.count < capacity, "socket path too long: \(path)")
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: path.utf8)
                raw[path.utf8.count] = 0
            }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard result == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        }

        deinit {
            close(descriptor)
            try? FileManager.default.removeItem(at: directory)
        }

        /// Receives one datagram, waiting at most one second.
        func receive() -> String? {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 1_000) == 1 else { return nil }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count >= 0 else { return nil }
            return String(decoding: buffer[..<count], as: UTF8.self)
        }
    }

    /// Creates a socket and points `NOTIFY_SOCKET` at it; callers `unsetenv` it when done.
    private func installNotifySocket() throws -> NotifySocket {
        let socket = try NotifySocket()
        setenv("NOTIFY_SOCKET", socket.path, 1)
        return socket
    }

    @Test func withoutNotifySocketEverythingIsANoOp() throws {
        unsetenv("NOTIFY_SOCKET")
        let notifier = SystemdNotifier()
        #expect(!notifier.isEnabled)
        #expect(try notifier.ready() == false)
        #expect(try notifier.watchdog() == false)
    }

    @Test func sendsReadyWithStatus() throws {
        let socket = try installNotifySocket()
        defer { unsetenv("NOTIFY_SOCKET") }
        let notifier = SystemdNotifier()
        #expect(notifier.isEnabled)
        #expect(try notifier.ready(status: "following 3 files"))
        #expect(socket.receive() == "READY=1\nSTATUS=following 3 files")
    }

    @Test func reloadingCarriesTheMonotonicTimestamp() throws {
        let socket = try installNotifySocket()
        defer { unsetenv("NOTIFY_SOCKET") }
        let before = SystemdNotifier.monotonicMicroseconds()
        #expect(try SystemdNotifier().reloading())
        let after = SystemdNotifier.monotonicMicroseconds()
        let message = try #require(socket.receive())
        let lines = message.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.first { $0.hasPrefix("MONOTONIC_USEC=") })
        let value = try #require(UInt64(stamp.dropFirst("MONOTONIC_USEC=".count)))
        #expect(value >= before && value <= after)
    }

    @Test func sendsStoppingWatchdogAndStatus() throws {
        let socket = try installNotifySocket()
        defer { unsetenv("NOTIFY_SOCKET") }
        let notifier = SystemdNotifier()
        try notifier.stopping()
        #expect(socket.receive() == "STOPPING=1")
        try notifier.watchdog()
        #expect(socket.receive() == "WATCHDOG=1")
        // A newline would start a new assignment (here a forged READY=1): it must be escaped.
        try notifier.status("lag 2s\nREADY=1")
        #expect(socket.receive() == "STATUS=lag 2s\\x0AREADY=1")
    }

    @Test func reportsAnUnreachableSocket() {
        setenv("NOTIFY_SOCKET", "/nonexistent-ecsdiagd-test/notify.sock", 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        #expect(throws: JournalError.notifyFailed(errno: ENOENT)) { try SystemdNotifier().ready() }
    }

    @Test func readsTheWatchdogIntervalForThisProcessOnly() {
        defer {
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
        unsetenv("WATCHDOG_USEC")
        unsetenv("WATCHDOG_PID")
        #expect(SystemdNotifier().watchdogInterval == nil)

        setenv("WATCHDOG_USEC", "30000000", 1)
        setenv("WATCHDOG_PID", "\(getpid())", 1)
        #expect(SystemdNotifier().watchdogInterval == .seconds(30))
        // Reading it must not consume the variables.
        #expect(SystemdNotifier().watchdogInterval == .seconds(30))

        setenv("WATCHDOG_PID", "\(getpid() + 1)", 1)
        #expect(SystemdNotifier().watchdogInterval == nil, "the watchdog belongs to another process")
    }
}
