/// Owns the firing/resolved lifecycle of every alert, per (rule, cluster, service, cause).
///
/// - One `firing` transition per key; later evidence (updates, or another `fire` while firing) only updates
///   count, lastSeen, evidence (first 3 + last 2) and figures.
/// - `resolved` only once the rule's clear condition has held for its clear window **and** the alert has been
///   firing for at least `minimumFiringSeconds` (hysteresis: evidence arriving before that cancels the pending
///   resolution; the rule reports its clear again when its window has passed once more).
/// - After `resolved`, the key is forgotten: only a new `fire` (a new threshold crossing) opens it again.
public struct AlertLifecycle: Sendable, Codable {
    /// A firing alert.
    public struct Alert: Sendable, Codable, Equatable {
        public var key: AlertKey
        public var firedAt: EventTime
        public var firstSeen: EventTime
        public var lastSeen: EventTime
        public var evidence: EvidenceLog
        public var tasks: [TaskID]
        public var summary: String
        public var remediation: String
        public var figures: [Figure]
        /// When the alert will resolve unless new evidence arrives first.
        public var pendingResolve: EventTime?
        /// Summary of the resolution, from the rule's clear.
        public var clearSummary: String
    }

    /// Most task ids kept per alert.
    public static let maxTaskIDs = 50

    /// Firing alerts by key.
    public private(set) var firing: [AlertKey: Alert] = [:]
    /// Anti-flapping minimum firing time, milliseconds.
    public var minimumFiringMilliseconds: Int64
    /// Earliest pending resolution.
    public private(set) var nextDue: Int64?

    /// Creates a lifecycle.
    public init(minimumFiringSeconds: Double = RuleSettings.Engine().minimumFiringSeconds) {
        minimumFiringMilliseconds = Int64((minimumFiringSeconds * 1000).rounded())
    }

    /// Applies one rule action; returns the transition it causes, if any.
    public mutating func apply(_ action: RuleAction) -> AlertTransition? {
        switch action {
        case .fire(let u):
            if firing[u.key] != nil { merge(u); return nil }
            var alert = Alert(
                key: u.key, firedAt: u.at, firstSeen: min(u.firstSeen, u.at), lastSeen: max(u.lastSeen, u.firstSeen),
                evidence: u.evidence, tasks: [], summary: u.summary ?? "", remediation: u.remediation ?? "",
                figures: u.figures ?? [], pendingResolve: nil, clearSummary: "")
            addTasks(u.taskIDs, to: &alert)
            firing[u.key] = alert
            return transition(alert, .firing, at: u.at)
        case .update(let u):
            merge(u)
            return nil
        case .clear(let key, let at, let summary):
            guard var alert = firing[key] else { return nil }
            let earliest = alert.firedAt.adding(milliseconds: minimumFiringMilliseconds)
            let due = max(at, earliest)
            alert.clearSummary = summary
            if due <= at {
                firing[key] = nil
                recomputeNextDue()
                return transition(alert, .resolved, at: due)
            }
            alert.pendingResolve = due
            firing[key] = alert
            recomputeNextDue()
            return nil
        }
    }

    /// Resolves the alerts whose pending resolution is due at or before `time`, in (due, key) order.
    public mutating func advance(to time: EventTime) -> [AlertTransition] {
        guard let next = nextDue, next <= time.milliseconds else { return [] }
        let due = firing.values.filter { ($0.pendingResolve?.milliseconds ?? .max) <= time.milliseconds }
            .sorted { ($0.pendingResolve!, $0.key) < ($1.pendingResolve!, $1.key) }
        var out: [AlertTransition] = []
        for alert in due {
            firing[alert.key] = nil
            out.append(transition(alert, .resolved, at: alert.pendingResolve!))
        }
        recomputeNextDue()
        return out
    }

    /// Whether `key` is firing.
    public func isFiring(_ key: AlertKey) -> Bool { firing[key] != nil }

    /// Snapshot of every firing alert as a `firing` transition with its latest count, evidence and figures,
    /// ordered by key.
    public var snapshot: [AlertTransition] {
        firing.values.sorted { $0.key < $1.key }.map { transition($0, .firing, at: $0.firedAt) }
    }

    private mutating func merge(_ u: AlertUpdate) {
        guard var alert = firing[u.key] else { return }
        alert.lastSeen = max(alert.lastSeen, u.lastSeen)
        alert.evidence.append(contentsOf: u.evidence)
        addTasks(u.taskIDs, to: &alert)
        if let s = u.summary { alert.summary = s }
        if let r = u.remediation { alert.remediation = r }
        if let f = u.figures { alert.figures = f }
        let hadPending = alert.pendingResolve != nil
        if !u.evidence.isEmpty { alert.pendingResolve = nil }
        firing[u.key] = alert
        if hadPending { recomputeNextDue() }
    }

    private func addTasks(_ ids: [TaskID], to alert: inout Alert) {
        for id in ids where alert.tasks.count < Self.maxTaskIDs && !alert.tasks.contains(id) { alert.tasks.append(id) }
    }

    private mutating func recomputeNextDue() {
        nextDue = firing.values.compactMap { $0.pendingResolve?.milliseconds }.min()
    }

    private func transition(_ a: Alert, _ status: AlertStatus, at: EventTime) -> AlertTransition {
        AlertTransition(
            rule: a.key.rule, status: status, cause: a.key.cause, cluster: a.key.service.cluster,
            service: a.key.service.serviceName, taskIDs: a.tasks.map(\.description).sorted(), firstSeen: a.firstSeen,
            lastSeen: a.lastSeen, at: at, count: a.evidence.count,
            summary: status == .resolved && !a.clearSummary.isEmpty ? a.clearSummary : a.summary,
            evidence: a.evidence.lines, remediation: a.remediation, figures: a.figures)
    }

    /// Forgets everything (tests).
    public mutating func reset() {
        firing.removeAll()
        nextDue = nil
    }
}
