import Synchronization

/// Requests from signal handlers to the processing loop: stop (SIGTERM/SIGINT) and reload (SIGHUP).
public final class DaemonControl: Sendable {
    private let state = Mutex<(stop: Bool, reload: Bool)>((false, false))

    /// Creates a control with nothing requested.
    public init() {}

    /// Asks the loop to finish its batch, checkpoint and return.
    public func requestStop() { state.withLock { $0.stop = true } }
    /// Asks the loop to re-read its configuration.
    public func requestReload() { state.withLock { $0.reload = true } }
    /// Whether a stop was requested.
    public var stopRequested: Bool { state.withLock { $0.stop } }
    /// Returns and clears a pending reload request.
    public func takeReload() -> Bool { state.withLock { s in defer { s.reload = false }; return s.reload } }
}
