import DiagnosisRules

/// The configuration checks of `ecsdiagd audit`. Raw values are the stable `check` ids of the JSON output.
public enum AuditCheck: String, Sendable, Codable, CaseIterable {
    // Footgun 1: task role vs execution role.
    case appPermissionsOnExecutionRole = "app-permissions-on-execution-role"
    case noTaskRole = "no-task-role"
    case taskRoleIsExecutionRole = "task-role-is-execution-role"
    case executionRoleMissingSecretsAccess = "execution-role-missing-secrets-access"
    case executionRoleMissingECRPull = "execution-role-missing-ecr-pull"
    // Footgun 2: health check grace period.
    case gracePeriodZero = "grace-period-zero"
    case gracePeriodShorterThanStartup = "grace-period-shorter-than-startup"
    // Footgun 3: hard-coded task count.
    case noScalableTarget = "no-scalable-target"
    case noScalingPolicy = "no-scaling-policy"
    case maxCapacityEqualsDesired = "max-capacity-equals-desired"
    // Footgun 4: logging driver.
    case noLogConfiguration = "no-log-configuration"
    case awslogsMissingOption = "awslogs-missing-option"
    case logGroupDoesNotExist = "log-group-does-not-exist"
    case executionRoleMissingCreateLogGroup = "execution-role-missing-create-log-group"
    case executionRoleMissingLogStreamAccess = "execution-role-missing-log-stream-access"

    /// The diagnosis rule (footgun) the check prevents.
    public var rule: RuleID {
        switch self {
        case .appPermissionsOnExecutionRole, .noTaskRole, .taskRoleIsExecutionRole,
             .executionRoleMissingSecretsAccess, .executionRoleMissingECRPull:
            .accessDenied
        case .gracePeriodZero, .gracePeriodShorterThanStartup: .restartLoop
        case .noScalableTarget, .noScalingPolicy, .maxCapacityEqualsDesired: .saturation
        case .noLogConfiguration, .awslogsMissingOption, .logGroupDoesNotExist,
             .executionRoleMissingCreateLogGroup, .executionRoleMissingLogStreamAccess:
            .missingLogs
        }
    }

    /// The cause the rule would name if the mistake showed up in the logs, when there is one.
    public var cause: Cause? {
        switch self {
        case .appPermissionsOnExecutionRole, .taskRoleIsExecutionRole: .executionRoleUsedByApp
        case .noTaskRole: .noTaskRole
        case .executionRoleMissingSecretsAccess, .executionRoleMissingECRPull: .executionRoleMissingPermission
        case .gracePeriodZero, .gracePeriodShorterThanStartup: .healthCheckGracePeriod
        case .noScalableTarget, .noScalingPolicy: .fixedDesiredCount
        case .maxCapacityEqualsDesired: .scalingAtMaxCapacity
        case .noLogConfiguration: .noLogOutput
        case .awslogsMissingOption, .logGroupDoesNotExist: .logGroupMissing
        case .executionRoleMissingCreateLogGroup, .executionRoleMissingLogStreamAccess: .loggerPermissionDenied
        }
    }
}

/// One configuration mistake found by ``ConfigurationAuditor``.
public struct AuditFinding: Sendable, Equatable, Codable {
    /// Where the mistake is visible.
    public struct Evidence: Sendable, Equatable, Codable {
        /// The document's path, as given.
        public var document: String
        /// A JSON path in it (`taskDefinition.containerDefinitions[0].logConfiguration`); it may name a key
        /// that is absent, when the absence is the mistake.
        public var path: String

        public init(document: String, path: String) {
            self.document = document
            self.path = path
        }

        /// Evidence from a `PATH#JSONPATH` origin, with `child` appended to the JSON path.
        init(origin: String, child: String = "") {
            let parts = ContextOrigin.split(origin)
            self.init(document: parts.document, path: child.isEmpty ? parts.jsonPath : ContextOrigin.join(parts.jsonPath, child))
        }
    }

    public var severity: Severity
    public var check: AuditCheck
    /// One line: what is wrong, with the real names.
    public var title: String
    /// The ECS service concerned (names joined by `,` when a task definition runs in several), nil when unknown.
    public var service: String?
    public var evidence: Evidence
    /// Why it matters here, with the numbers (e.g. the target group's interval × unhealthy threshold).
    public var detail: String
    /// The exact fix: CLI commands or a JSON snippet with the real names filled in.
    public var fix: String

    /// The footgun the check maps to.
    public var rule: RuleID { check.rule }

    public init(severity: Severity, check: AuditCheck, title: String, service: String?, evidence: Evidence,
                detail: String, fix: String) {
        self.severity = severity
        self.check = check
        self.title = title
        self.service = service
        self.evidence = evidence
        self.detail = detail
        self.fix = fix
    }
}

extension Severity {
    /// 0 for critical, 1 for error, 2 for warning: lower is worse.
    var auditRank: Int {
        switch self {
        case .critical: 0
        case .error: 1
        case .warning: 2
        }
    }

    /// Whether this severity is at least `threshold` (critical > error > warning).
    public func reaches(_ threshold: Severity) -> Bool { auditRank <= threshold.auditRank }
}
