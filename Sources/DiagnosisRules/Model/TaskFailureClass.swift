/// Why a task stopped, as far as the stop reason, stop code and container exit codes tell.
public enum TaskFailureClass: String, Sendable, Codable, CaseIterable {
    /// `Task failed ELB health checks in (target-group …)`.
    case elbHealthCheck = "elb-health-check"
    /// `Task failed container health checks`.
    case containerHealthCheck = "container-health-check"
    /// An essential container exited non-zero.
    case crash
    /// `OutOfMemoryError: Container killed due to memory usage` or an OOM-killed init.
    case oom
    /// `TaskFailedToStart`, `CannotPullContainerError`, other `ResourceInitializationError`s.
    case startFailure = "start-failure"
    /// Logger failures at start (belong to missing-logs, not restart-loop).
    case loggerFailure = "logger-failure"
    /// Secrets / registry-auth denials at start (belong to access-denied).
    case executionRoleDenied = "execution-role-denied"
    /// Not a failure: deployment replacement, scale-in, user stop, Spot interruption, maintenance.
    case benign
    /// A batch task whose essential container exited 0.
    case completed

    /// Whether stops of this class count toward a restart loop.
    public var countsAsFailure: Bool {
        switch self {
        case .elbHealthCheck, .containerHealthCheck, .crash, .oom, .startFailure: return true
        case .loggerFailure, .executionRoleDenied, .benign, .completed: return false
        }
    }
}
