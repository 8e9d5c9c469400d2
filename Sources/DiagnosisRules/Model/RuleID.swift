/// The four diagnosis rules, one per ECS footgun.
public enum RuleID: String, Sendable, Codable, CaseIterable, Comparable {
    case accessDenied = "access-denied"
    case restartLoop = "restart-loop"
    case saturation
    case missingLogs = "missing-logs"

    /// The rule's fixed journal MESSAGE_ID (32 lowercase hex), also the key of its catalog entry.
    public var messageID: String {
        switch self {
        case .accessDenied: "37afbe3def814795b97ecc35ca3ed520"
        case .restartLoop: "feedf6410b9e4049bde416654ced961e"
        case .saturation: "49351504126440bca6b3c5d5006ecade"
        case .missingLogs: "7be7f1aab4c44de3bf94e031c9f28f38"
        }
    }

    /// The severity of the rule's alerts.
    public var severity: Severity {
        switch self {
        case .accessDenied, .restartLoop: .critical
        case .saturation, .missingLogs: .error
        }
    }

    /// The causes this rule can name.
    public var causes: [Cause] { Cause.allCases.filter { $0.rule == self } }

    public static func < (a: RuleID, b: RuleID) -> Bool {
        RuleID.allCases.firstIndex(of: a)! < RuleID.allCases.firstIndex(of: b)!
    }
}

/// Alert severity, mapped to syslog priorities for the journal.
public enum Severity: String, Sendable, Codable, CaseIterable {
    case critical, error, warning

    /// Journal `PRIORITY` of a firing alert: critical 2, error 3, warning 4.
    public var journalPriority: Int {
        switch self {
        case .critical: 2
        case .error: 3
        case .warning: 4
        }
    }
}

/// The diagnosed cause of an alert. Raw values are the `cause` field of `ecsdiagd replay --output json`.
public enum Cause: String, Sendable, Codable, CaseIterable, Comparable {
    case taskRoleMissingPermission = "task-role-missing-permission"
    case executionRoleUsedByApp = "execution-role-used-by-app"
    case noTaskRole = "no-task-role"
    case instanceRoleFallback = "instance-role-fallback"
    case executionRoleMissingPermission = "execution-role-missing-permission"
    case healthCheckGracePeriod = "health-check-grace-period"
    case containerHealthCheck = "container-health-check"
    case crash
    case oom
    case startFailure = "start-failure"
    case fixedDesiredCount = "fixed-desired-count"
    case scalingAtMaxCapacity = "scaling-at-max-capacity"
    case scalingTooSlow = "scaling-too-slow"
    case logGroupMissing = "log-group-missing"
    case loggerPermissionDenied = "logger-permission-denied"
    case noLogOutput = "no-log-output"

    /// The rule that names this cause.
    public var rule: RuleID {
        switch self {
        case .taskRoleMissingPermission, .executionRoleUsedByApp, .noTaskRole, .instanceRoleFallback,
             .executionRoleMissingPermission:
            .accessDenied
        case .healthCheckGracePeriod, .containerHealthCheck, .crash, .oom, .startFailure: .restartLoop
        case .fixedDesiredCount, .scalingAtMaxCapacity, .scalingTooSlow: .saturation
        case .logGroupMissing, .loggerPermissionDenied, .noLogOutput: .missingLogs
        }
    }

    public static func < (a: Cause, b: Cause) -> Bool { a.rawValue < b.rawValue }
}
