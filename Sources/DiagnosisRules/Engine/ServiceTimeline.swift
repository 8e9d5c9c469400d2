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
        let i = timeline(of: key, found: byService.index(forKey: key.service))
        Self.update(&byService.values[i].minutes, at: EventTime(milliseconds: time).minuteFloor, body)
    }

    /// The timeline of `key` (found at `found`, else created), its cluster set to the key's when it names one.
    private mutating func timeline(of key: ServiceKey, found: Index?) -> Index {
        if let i = found {
            if let c = key.cluster, byService.values[i].cluster != c { byService.values[i].cluster = c }
            return i
        }
        if byService.count >= Self.maxServices { evictOldest() }
        byService[key.service] = ServiceTimeline(cluster: key.cluster, service: key.service)
        return byService.index(forKey: key.service)!
    }

    /// Updates `minute` of a timeline's minutes: adds it unless older than the retention before the latest, then
    /// drops the minutes the retention no longer covers.
    private static func update(_ minutes: inout [TimelineMinute], at minute: EventTime, _ body: (inout TimelineMinute) -> Void) {
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

    typealias Index = Dictionary<String, ServiceTimeline>.Index

    /// Starts adding log-record counts of minutes `lo…hi` (ms) to `key`'s timeline, when their order and grouping
    /// cannot matter: none lies more than the retention before the latest minute they or the stored ones reach,
    /// so `update` would neither drop nor prune any of them and only their sums count. Returns the timeline (as
    /// `update` leaves it: created, cluster set) for `addLogRecords`, or nil, changing nothing, when order could
    /// matter. The index stays valid until a timeline is added or removed.
    mutating func beginLogRecords(of key: ServiceKey, from lo: Int64, through hi: Int64) -> Index? {
        let found = byService.index(forKey: key.service)
        let stored = found.flatMap { byService.values[$0].minutes.last?.minute.milliseconds } ?? hi
        guard lo >= max(stored, hi) &- Self.retentionMinutes * 60_000 else { return nil }
        return timeline(of: key, found: found)
    }

    /// Adds `count` log records to `minute` (ms) of the timeline from `beginLogRecords`.
    mutating func addLogRecords(_ count: Int, at minute: Int64, to i: Index) {
        Self.update(&byService.values[i].minutes, at: EventTime(milliseconds: minute).minuteFloor) { $0.logRecords += count }
    }

    /// All timelines, ordered by service.
    public var timelines: [ServiceTimeline] { byService.values.sorted { $0.service < $1.service } }

    private mutating func evictOldest() {
        // Ties by key: a dictionary's order is per-process random, the choice must not be.
        guard let oldest = byService.min(by: {
            ($0.value.minutes.last?.minute.milliseconds ?? .min, $0.key)
                < ($1.value.minutes.last?.minute.milliseconds ?? .min, $1.key)
        }) else { return }
        byService[oldest.key] = nil
    }
}
