#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSystemd

/// Sends service state changes to systemd with `sd_notify(3)` (for `Type=notify` units).
///
/// libsystemd reads the `NOTIFY_SOCKET` environment variable on every call, so when the process does not run under
/// systemd (or the unit is not `Type=notify`) every method is a no-op that returns `false`.
///
/// - Important: Pass `NotifyAccess=main` in the unit and call these methods from the main process.
public struct SystemdNotifier: Sendable {
    /// Creates a notifier. It keeps no state: the target socket is looked up on each call.
    public init() {}

    /// Whether `NOTIFY_SOCKET` is set, i.e. whether notifications have somewhere to go.
    public var isEnabled: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// Tells systemd that start-up has finished (`READY=1`), optionally with a status line.
    ///
    /// - Parameter status: Text for `systemctl status`, or `nil`.
    /// - Returns: `true` if the message was delivered, `false` if there is no notification socket.
    @discardableResult
    public func ready(status: String? = nil) throws(JournalError) -> Bool {
        try notify(["READY=1"] + Self.statusAssignment(status))
    }

    /// Tells systemd that the service is reloading its configuration (`RELOADING=1`).
    ///
    /// Includes `MONOTONIC_USEC=` with the current `CLOCK_MONOTONIC` time, as `sd_notify(3)` requires for
    /// `RELOADING=1`. Call ``ready(status:)`` when the reload is complete.
    ///
    /// - Returns: `true` if the message was delivered, `false` if there is no notification socket.
    @discardableResult
    public func reloading() throws(JournalError) -> Bool {
        try notify(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"])
    }

    /// Tells systemd that the service is shutting down (`STOPPING=1`).
    ///
    /// - Returns: `true` if the message was delivered, `false` if there is no notification socket.
    @discardableResult
    public func stopping() throws(JournalError) -> Bool {
        try notify(["STOPPING=1"])
    }

    /// Sets the free-form status line shown by `systemctl status` (`STATUS=`).
    ///
    /// Newlines and control characters in `text` are escaped, because a newline would end the assignment.
    ///
    /// - Parameter text: The status text.
    /// - Returns: `true` if the message was delivered, `false` if there is no notification socket.
    @discardableResult
    public func status(_ text: String) throws(JournalError) -> Bool {
        try notify(Self.statusAssignment(text))
    }

    /// Sends a watchdog keep-alive (`WATCHDOG=1`).
    ///
    /// Send one at least every ``watchdogInterval`` / 2 when the unit sets `WatchdogSec=`.
    ///
    /// - Returns: `true` if the message was delivered, `false` if there is no notification socket.
    @discardableResult
    public func watchdog() throws(JournalError) -> Bool {
        try notify(["WATCHDOG=1"])
    }

    /// Sends raw `KEY=value` assignments, one per line, in a single datagram.
    ///
    /// - Parameter assignments: The assignments, e.g. `["READY=1", "STATUS=idle"]`.
    /// - Returns: `true` if the message was delivered, `false` if there is no notification socket.
    /// - Throws: ``JournalError/notifyFailed(errno:)`` when sending failed.
    @discardableResult
    public func notify(_ assignments: [String]) throws(JournalError) -> Bool {
        let result = sd_notify(0, assignments.joined(separator: "\n"))
        if result < 0 { throw .notifyFailed(errno: -result) }
        return result > 0
    }

    /// The watchdog timeout systemd expects for this process (`WatchdogSec=`), or `nil` when the watchdog is off.
    ///
    /// Read from `WATCHDOG_USEC`/`WATCHDOG_PID` by `sd_watchdog_enabled(3)`; the environment is left unchanged.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds))
    }

    /// The current `CLOCK_MONOTONIC` time in microseconds.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    private static func statusAssignment(_ text: String?) -> [String] {
        guard let text else { return [] }
        let sanitized = JournalValueSanitizer(maximumByteCount: 1024, allowsNewlines: false).sanitize(text)
        return ["STATUS=\(sanitized)"]
    }
}
