/// What the matcher recognised in one record. Raw values are the `signal` field of `ecsdiagd signals`.
public enum SignalKind: String, Sendable, Codable, CaseIterable, Comparable {
    case accessDenied = "access-denied"
    case executionRoleDenied = "execution-role-denied"
    case noCredentials = "no-credentials"
    case healthCheckFailed = "health-check-failed"
    case taskStarted = "task-started"
    case taskRunning = "task-running"
    case taskStopped = "task-stopped"
    case steadyState = "steady-state"
    case placementFailure = "placement-failure"
    case startFailure = "start-failure"
    case loggerError = "logger-error"
    case oom = "oom"
    case imagePullError = "image-pull-error"
    case containerExit = "container-exit"
    case httpError = "http-error"
    case slowRequest = "slow-request"
    case resourceUsage = "resource-usage"
    case serviceCounts = "service-counts"
    case appReady = "app-ready"

    /// Whether this kind indicates a fault on its own (`container-exit` only with a non-zero exit code,
    /// which `Signal.isProblem` checks).
    public var isProblemKind: Bool {
        switch self {
        case .accessDenied, .executionRoleDenied, .noCredentials, .healthCheckFailed, .placementFailure,
             .startFailure, .loggerError, .oom, .imagePullError, .httpError, .slowRequest:
            return true
        case .containerExit, .taskStarted, .taskRunning, .taskStopped, .steadyState, .resourceUsage,
             .serviceCounts, .appReady:
            return false
        }
    }

    public static func < (a: SignalKind, b: SignalKind) -> Bool { a.rawValue < b.rawValue }
}
