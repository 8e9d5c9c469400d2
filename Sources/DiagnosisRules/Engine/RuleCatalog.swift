/// What `ecsdiagd rules` prints: per rule its id, MESSAGE_ID, severity, causes, defaults and the footgun.
public enum RuleCatalog {
    /// One cause of a rule.
    public struct CauseEntry: Sendable, Codable, Equatable {
        public var cause: Cause
        /// One line: what it means and what to change.
        public var summary: String
    }

    /// One setting and its value.
    public struct Setting: Sendable, Codable, Equatable {
        /// Config key under `[rules.<rule>]` or `[engine]`.
        public var key: String
        public var value: String
        public var meaning: String
    }

    /// One rule.
    public struct Entry: Sendable, Codable, Equatable {
        public var rule: RuleID
        public var messageID: String
        public var severity: Severity
        /// A short title.
        public var title: String
        /// When it fires, in one sentence.
        public var fires: String
        /// What the footgun is (a paragraph).
        public var footgun: String
        public var causes: [CauseEntry]
        public var settings: [Setting]
        /// What must not fire it.
        public var notFiredBy: [String]
    }

    /// Every rule with the values of `settings` (defaults when omitted), in rule order.
    public static func entries(settings: RuleSettings = RuleSettings()) -> [Entry] {
        RuleID.allCases.map { entry($0, settings: settings) }
    }

    /// Engine-wide settings.
    public static func engineSettings(_ s: RuleSettings = RuleSettings()) -> [Setting] {
        [
            Setting(key: "engine.allowed_lateness_seconds", value: EngineFormat.number(s.engine.allowedLatenessSeconds),
                    meaning: "records up to this far behind the latest event time are still ordered correctly; the watermark trails by this much"),
            Setting(key: "engine.idle_eviction_seconds", value: EngineFormat.number(s.engine.idleEvictionSeconds),
                    meaning: "per-task and per-service state without news for this long (event time) is evicted"),
            Setting(key: "engine.max_tracked_tasks", value: String(s.engine.maxTrackedTasks),
                    meaning: "upper bound on tracked tasks; the least recently active are evicted first"),
            Setting(key: "engine.minimum_firing_seconds", value: EngineFormat.number(s.engine.minimumFiringSeconds),
                    meaning: "a firing alert stays firing at least this long before it may resolve (anti-flapping)"),
        ]
    }

    /// The line of one cause.
    public static func describe(_ cause: Cause) -> String {
        switch cause {
        case .taskRoleMissingPermission:
            "the task role lacks the denied action: attach a policy statement for the action and resource to the task role"
        case .executionRoleUsedByApp:
            "the denied role is an execution role: the task definition uses the execution role as its task role; create a separate task role"
        case .noTaskRole:
            "the SDK found no credentials at all: the task definition has no taskRoleArn (Fargate); add a task role"
        case .instanceRoleFallback:
            "the session is an EC2 instance id: no taskRoleArn on the EC2 launch type, the SDK fell back to the instance profile; set taskRoleArn"
        case .executionRoleMissingPermission:
            "agent-side denial at task start (secrets, registry auth, env files): the permission belongs on the execution role"
        case .healthCheckGracePeriod:
            "tasks killed by ELB health checks before the app is ready: set healthCheckGracePeriodSeconds ≥ startup p95 × factor (or fix the health check path/matcher when the app was ready long before)"
        case .containerHealthCheck:
            "tasks fail their container healthCheck: fix the command or give it a startPeriod"
        case .crash:
            "the essential container exits non-zero on its own: read its last log lines and stop reason, fix the startup error"
        case .oom:
            "containers are killed for exceeding their memory limit: raise memory or fix the leak"
        case .startFailure:
            "tasks never start (CannotPullContainerError, ResourceInitializationError): image, network path or execution role"
        case .fixedDesiredCount:
            "saturated with a desired count that never changes: add target-tracking auto-scaling"
        case .scalingAtMaxCapacity:
            "auto-scaling already at its scalable target's max capacity: raise the max capacity"
        case .scalingTooSlow:
            "desired count rose but saturation persists: scale out earlier (lower target, shorter cooldown, higher minimum)"
        case .logGroupMissing:
            "the awslogs log group does not exist: create it (or awslogs-create-group with logs:CreateLogGroup)"
        case .loggerPermissionDenied:
            "the execution role may not create the log group/stream: allow logs:CreateLogGroup/CreateLogStream on it"
        case .noLogOutput:
            "a RUNNING task wrote no log record: the container has no (or a broken) logConfiguration; configure awslogs"
        }
    }

    static func entry(_ rule: RuleID, settings s: RuleSettings) -> Entry {
        let causes = rule.causes.map { CauseEntry(cause: $0, summary: describe($0)) }
        switch rule {
        case .accessDenied:
            let a = s.accessDenied
            return Entry(
                rule: rule, messageID: rule.messageID, severity: rule.severity,
                title: "Task role vs execution role confusion",
                fires: "≥ \(a.threshold) AWS authorization failures (AccessDenied, AccessDeniedException, UnauthorizedOperation, \"is not authorized to perform\", S3 HEAD 403, no credentials, agent-side denials) of one cause for one service within \(EngineFormat.duration(a.windowSeconds)); resolves after \(EngineFormat.duration(a.clearSeconds)) without one.",
                footgun: "ECS tasks have two IAM roles. The execution role is used by the ECS agent only: to pull the image, fetch secrets and write logs. The task role is what the application's AWS SDK gets. Putting the application's permissions (S3, DynamoDB, SQS …) on the execution role lets the image pull and the task start, but every AWS call the app makes is denied at runtime and the API answers 500s. The reverse mistake (secrets permissions on the task role) stops tasks at start. ecsdiagd reads the denied principal (role and session) to tell these apart from a missing task role, an instance-profile fallback and a plain missing permission, and counts the same service's 5xx in the same minutes.",
                causes: causes,
                settings: [
                    Setting(key: "rules.access-denied.threshold", value: String(a.threshold), meaning: "denials of one cause for one service that fire"),
                    Setting(key: "rules.access-denied.window_seconds", value: EngineFormat.number(a.windowSeconds), meaning: "sliding window of the threshold"),
                    Setting(key: "rules.access-denied.clear_seconds", value: EngineFormat.number(a.clearSeconds), meaning: "resolves after this long without a denial"),
                    Setting(key: "rules.access-denied.execution_roles", value: a.executionRoles.isEmpty ? "[]" : a.executionRoles.joined(separator: ","), meaning: "role names or ARNs known to be execution roles (besides names containing ExecutionRole)"),
                ],
                notFiredBy: ["database \"Access denied for user\" (MySQL)", "Spring Security \"Access is denied\" / AccessDeniedException for end users", "403s the app returns to its own clients", "a single isolated denial (a HeadObject on a missing key once an hour)"])
        case .restartLoop:
            let r = s.restartLoop
            return Entry(
                rule: rule, messageID: rule.messageID, severity: rule.severity,
                title: "No health check grace period (and other restart loops)",
                fires: "≥ \(r.threshold) task failures of one class (ELB health check, container health check, crash, OOM, start failure) for one service within \(EngineFormat.duration(r.windowSeconds)); resolves on steady state with no new failure for \(EngineFormat.duration(r.clearSeconds)).",
                footgun: "With a load balancer and the default healthCheckGracePeriodSeconds of 0, ALB health checks start as soon as a task is RUNNING. An app that needs ~30 s to initialise fails interval × unhealthy-threshold checks first, ECS stops it and starts a replacement that meets the same fate: an endless loop that never triggers the scheduler's throttle. ecsdiagd measures each task's startup (RUNNING → readiness line such as \"Listening on\" or \"Started X in N seconds\") and time to the kill, and tells this loop apart from crashes, OOM kills, container health checks and start failures, then computes the grace period to set (startup p95 × \(EngineFormat.number(r.gracePeriodFactor)), rounded up to 10 s).",
                causes: causes,
                settings: [
                    Setting(key: "rules.restart-loop.threshold", value: String(r.threshold), meaning: "failures of one class for one service that fire"),
                    Setting(key: "rules.restart-loop.window_seconds", value: EngineFormat.number(r.windowSeconds), meaning: "sliding window of the threshold"),
                    Setting(key: "rules.restart-loop.clear_seconds", value: EngineFormat.number(r.clearSeconds), meaning: "steady state with no new failure for this long resolves"),
                    Setting(key: "rules.restart-loop.ready_markers", value: r.readyMarkers.joined(separator: " | "), meaning: "readiness lines in the task's own log stream"),
                    Setting(key: "rules.restart-loop.grace_period_factor", value: EngineFormat.number(r.gracePeriodFactor), meaning: "recommended grace period = startup p95 × factor, rounded up to 10 s"),
                ],
                notFiredBy: ["a one-off replacement", "deployment replacements (Scaling activity initiated by (deployment …))", "user-initiated stops", "Spot interruptions", "batch tasks exiting 0 (group family:…)", "logger failures (missing-logs) and secrets/registry denials (access-denied)"])
        case .saturation:
            let t = s.saturation
            return Entry(
                rule: rule, messageID: rule.messageID, severity: rule.severity,
                title: "Hard-coded task count",
                fires: "CPU or memory ≥ \(EngineFormat.percent(t.cpuPercent)) / \(EngineFormat.percent(t.memoryPercent)) of reserved, latency p90 ≥ \(EngineFormat.seconds(t.latencySeconds)), or ELB 502/503/504, for one service in every minute of a run of ≥ \(EngineFormat.duration(t.sustainSeconds)); resolves after \(EngineFormat.duration(t.clearSeconds)) under every threshold.",
                footgun: "A service created with a fixed desiredCount and no Application Auto Scaling target cannot grow: when traffic spikes (a promotion, 10× load) its few tasks saturate, response times climb to 30 s and customers leave, while the cluster could run more tasks. ecsdiagd checks whether the desired count moved during the saturation (Container Insights, service events, context documents) to tell a fixed count from scaling that is too slow or already at its maximum, and prints the register-scalable-target and put-scaling-policy commands filled in.",
                causes: causes,
                settings: [
                    Setting(key: "rules.saturation.cpu_percent", value: EngineFormat.number(t.cpuPercent), meaning: "CPU % of reserved (max over the service's tasks)"),
                    Setting(key: "rules.saturation.memory_percent", value: EngineFormat.number(t.memoryPercent), meaning: "memory % of reserved"),
                    Setting(key: "rules.saturation.latency_seconds", value: EngineFormat.number(t.latencySeconds), meaning: "ALB target p90 / app request duration"),
                    Setting(key: "rules.saturation.sustain_seconds", value: EngineFormat.number(t.sustainSeconds), meaning: "the condition must hold this long"),
                    Setting(key: "rules.saturation.clear_seconds", value: EngineFormat.number(t.clearSeconds), meaning: "resolves after this long under threshold"),
                ],
                notFiredBy: ["spikes shorter than the sustain time", "a scale-out that relieves it within the window", "ELB 5xx during a restart loop"])
        case .missingLogs:
            let m = s.missingLogs
            return Entry(
                rule: rule, messageID: rule.messageID, severity: rule.severity,
                title: "Logging driver misconfigured",
                fires: "a logger failure at task start (first occurrence), or a RUNNING task with no log record within \(EngineFormat.duration(m.silenceSeconds)) while a CloudWatch log source is present; resolves when logs arrive or after \(EngineFormat.duration(m.clearSeconds)) without a new silent task.",
                footgun: "A container without logConfiguration sends stdout nowhere and nothing reports an error: the day the service fails there is nothing to read. A configured awslogs driver whose log group does not exist (or whose execution role may not create it) fails the task at start instead. ecsdiagd notices tasks that run without writing a single record and logger errors, names the container without logConfiguration when the task definition is given, and prints the logConfiguration to add.",
                causes: causes,
                settings: [
                    Setting(key: "rules.missing-logs.silence_seconds", value: EngineFormat.number(m.silenceSeconds), meaning: "a RUNNING task with no log record for this long is silent"),
                    Setting(key: "rules.missing-logs.clear_seconds", value: EngineFormat.number(m.clearSeconds), meaning: "resolves after this long without a new silent task or logger error"),
                ],
                notFiredBy: ["tasks stopped before the deadline", "inputs without any CloudWatch log source (not judged)", "services whose logs were not exported while other services' were"])
        }
    }
}
