/// What a rule tells the alert lifecycle: the rules decide *when* a condition crosses or clears; the lifecycle
/// decides what that means for the alert (one firing per key, hysteresis, minimum firing time).
public enum RuleAction: Sendable, Equatable {
    /// The rule's threshold was crossed at `update.at`: open the alert unless it is already firing.
    case fire(AlertUpdate)
    /// More evidence or fresher figures for an alert that may be firing (ignored when it is not).
    case update(AlertUpdate)
    /// The rule's clear condition has held for its clear window as of `at`.
    case clear(AlertKey, at: EventTime, summary: String)

    /// The alert the action is about.
    public var key: AlertKey {
        switch self {
        case .fire(let u), .update(let u): u.key
        case .clear(let k, _, _): k
        }
    }

    /// The event time of the action.
    public var at: EventTime {
        switch self {
        case .fire(let u), .update(let u): u.at
        case .clear(_, let at, _): at
        }
    }
}

/// New evidence and figures for an alert.
public struct AlertUpdate: Sendable, Equatable {
    public var key: AlertKey
    /// Event time of the decision (the record that crossed, or the timer).
    public var at: EventTime
    /// First evidence of the episode (for `fire`; ignored by updates).
    public var firstSeen: EventTime
    /// Latest evidence time.
    public var lastSeen: EventTime
    /// Evidence records this update adds (the whole window for `fire`, usually one for `update`).
    public var evidence: EvidenceLog
    /// Tasks this update adds.
    public var taskIDs: [TaskID]
    /// Replacement summary, remediation and figures (nil: keep the previous ones).
    public var summary: String?
    public var remediation: String?
    public var figures: [Figure]?

    /// Creates an update.
    public init(
        key: AlertKey, at: EventTime, firstSeen: EventTime? = nil, lastSeen: EventTime? = nil,
        evidence: EvidenceLog = EvidenceLog(), taskIDs: [TaskID] = [], summary: String? = nil,
        remediation: String? = nil, figures: [Figure]? = nil
    ) {
        self.key = key
        self.at = at
        self.firstSeen = firstSeen ?? at
        self.lastSeen = lastSeen ?? at
        self.evidence = evidence
        self.taskIDs = taskIDs
        self.summary = summary
        self.remediation = remediation
        self.figures = figures
    }
}

/// Read-only inputs every rule may consult: settings, context documents, per-task log presence and ALB request
/// buckets. The engine builds it once per drain; none of it changes while signals are released.
public struct RuleEnvironment: Sendable {
    public var settings: RuleSettings
    public var context: ServiceContext
    /// First/last log record per task and per service.
    public var logs: TaskLogTable
    /// Per target group, per minute ALB request totals.
    public var requests: RequestTracker
    /// Region learned from ARNs, for commands and snippets.
    public var region: String?

    /// Creates an environment (tests pass only settings and context).
    public init(
        settings: RuleSettings = RuleSettings(), context: ServiceContext = ServiceContext(),
        logs: TaskLogTable = TaskLogTable(), requests: RequestTracker = RequestTracker(), region: String? = nil
    ) {
        self.settings = settings
        self.context = context
        self.logs = logs
        self.requests = requests
        self.region = region
    }

    /// The context's service document for `key`.
    public func contextService(_ key: ServiceKey) -> ServiceContext.Service? {
        key.service.isEmpty ? nil : context.service(named: key.service, cluster: key.cluster)
    }

    /// The task definition the service runs, when the context says.
    public func taskDefinition(_ key: ServiceKey) -> ServiceContext.TaskDefinition? {
        if let s = contextService(key), let td = context.taskDefinition(for: s) { return td }
        return context.taskDefinitions.count == 1 ? context.taskDefinitions.first : nil
    }

    /// `--cluster` value for commands.
    public func clusterArgument(_ key: ServiceKey) -> String {
        key.cluster ?? contextService(key)?.cluster ?? "CLUSTER"
    }

    /// `--service` value for commands.
    public func serviceArgument(_ key: ServiceKey) -> String { key.service.isEmpty ? "SERVICE" : key.service }
}

/// A signal as the rules see it: with the service and cluster the engine resolved.
public struct RuleInput: Sendable {
    public var signal: Signal
    /// The service the signal belongs to (resolved through the identity directory when the record did not say).
    public var service: ServiceKey
    /// How the service was inferred when the record did not name it (`log group /ecs/orders-api`), else nil.
    public var inferredFrom: String?

    /// Creates an input; by default the service is the one the signal carries.
    public init(_ signal: Signal, service: ServiceKey? = nil, inferredFrom: String? = nil) {
        self.signal = signal
        self.service = service ?? ServiceKey(cluster: signal.cluster, service: signal.service ?? "")
        self.inferredFrom = inferredFrom
    }

    /// The signal's time in milliseconds.
    public var ms: Int64 { signal.time.milliseconds }

    /// The signal as an evidence line.
    public var evidence: Evidence { Evidence(time: signal.time, source: signal.sourceText, line: signal.line) }

    /// The task and the other tasks the record names.
    public var allTasks: [TaskID] {
        var out: [TaskID] = []
        if let t = signal.task { out.append(t) }
        if let others = signal.detail.otherTasks { for t in others where t != signal.task { out.append(t) } }
        return out
    }
}
