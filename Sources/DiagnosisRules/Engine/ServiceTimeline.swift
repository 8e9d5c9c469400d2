/// One minute of one service, for the triage report's timeline.
public struct TimelineMinute: Sendable, Codable, Equatable {
    /// Start of the minute.
    public var minute: EventTime
    /// AccessDenied / no-credentials / execution-role denials.
    public var denials: Int = 0
    /// HTTP 5xx responses (app or ALB).
    public var http5xx: Int = 0
    /// Task failures counted by restart-loop.
    public var taskFailures: Int = 0
    /// Highest CPU % of reserved over the service's tasks.
    public var maxCPUPercent: Double?
    /// Application log records.
    public var logRecords: Int = 0

    /// An empty minute.
    public init(minute: EventTime) { self.minute = minute }
}

/// Per-minute counts of one service over the last 24 h of event time.
public struct ServiceTimeline: Sendable, Codable, Equatable {
    public var cluster: String?
    public var service: String
    /// Minutes with at least one count, oldest first.
    public var minutes: [TimelineMinute]

    /// Creates a timeline.
    public init(cluster: String?, service: String, minutes: [TimelineMinute] = []) {
        self.cluster = cluster
        self.service = service
        self.minutes = minutes
    }
}

/// The bounded store of service timelines (per service, per minute, last 24 h; at most `maxServices` services).
public struct TimelineStore: Sendable, Codable {
    /// Minutes kept per service.
    public static let retentionMinutes: Int64 = 24 * 60
    /// Services kept.
    public static let maxServices = 2_000

    var byService: [String: ServiceTimeline] = [:]

    /// An empty store.
    public init() {}

    /// Number of services.
    public var count: Int { byService.count }

    /// Updates the minute containing `time` of `service`.
    public mutating func update(_ key: ServiceKey, at time: Int64, _ body: (inout TimelineMinute) -> Void) {
        let minute = EventTime(milliseconds: time).minuteFloor
        var found = byService.index(forKey: key.service)
        if found == nil {
            if byService.count >= Self.maxServices { evictOldest() }
            byService[key.service] = ServiceTimeline(cluster: key.cluster, service: key.service)
            found = byService.index(forKey: key.service)
        }
        guard let i = found else { return }
        if let c = key.cluster, byService.values[i].cluster != c { byService.values[i].cluster = c }
        var minutes = byService.values[i].minutes
        byService.values[i].minutes = []
        defer { byService.values[i].minutes = minutes }
        var idx = minutes.count
        while idx > 0, minutes[idx - 1].minute > minute { idx -= 1 }
        if idx > 0, minutes[idx - 1].minute == minute {
            body(&minutes[idx - 1])
            return
        }
        if let latest = minutes.last?.minute,
            minute.milliseconds < latest.milliseconds - Self.retentionMinutes * 60_000
        {
            return
        }
        var m = TimelineMinute(minute: minute)
        body(&m)
        minutes.insert(m, at: idx)
        if let latest = minutes.last?.minute {
            let cutoff = latest.milliseconds - Self.retentionMinutes * 60_000
            if let first = minutes.first, first.minute.milliseconds < cutoff {
                minutes.removeAll { $0.minute.milliseconds < cutoff }
            }
        }
    }

    /// Whether updates of `service` for minutes `lo…hi` (ms) give the same timeline in any order and grouping:
    /// none of them lies more than the retention before the latest minute they or the stored ones reach, so
    /// `update` neither drops nor prunes any of them and only their sums matter.
    func acceptsInAnyOrder(service: String, from lo: Int64, through hi: Int64) -> Bool {
        let stored = byService[service]?.minutes.last?.minute.milliseconds ?? hi
        return lo >= max(stored, hi) &- Self.retentionMinutes * 60_000
    }

    /// All timelines, ordered by service.
    public var timelines: [ServiceTimeline] { byService.values.sorted { $0.service < $1.service } }

    private mutating func evictOldest() {
        guard let oldest = byService.min(by: {
            ($0.value.minutes.last?.minute.milliseconds ?? .min) < ($1.value.minutes.last?.minute.milliseconds ?? .min)
        }) else { return }
        byService[oldest.key] = nil
    }
}
