/// Per task: the first and last log record seen (min/max of event time: commutative, so independent of arrival
/// order), plus a pending per-minute record count that the engine folds into the service timelines.
///
/// This is on the hot path (every record): updating a known task does not allocate.
public struct TaskLogTable: Sendable, Codable {
    /// What is known about one task's log records.
    public struct Entry: Sendable, Codable, Equatable {
        /// Event time of the earliest record, ms.
        public var first: Int64
        /// Event time of the latest record, ms.
        public var last: Int64
        /// Minute (ms) of the records counted in `pendingCount`.
        var pendingMinute: Int64
        /// Records not yet folded into the timeline.
        var pendingCount: Int32
    }

    /// Tasks by id.
    public private(set) var tasks = TaskMap<Entry>()
    /// Tasks with pending counts.
    var dirty: [TaskID] = []
    /// Earliest application log record seen at all (a CloudWatch log source is present).
    public private(set) var firstApplicationLog: Int64?
    /// Earliest log record per service (folded in from tasks whose service is known).
    public private(set) var serviceFirstLog: [String: Int64] = [:]
    /// Application records that named no task.
    public private(set) var unattributedRecords: Int = 0
    /// Records whose minute could not be counted because another minute was pending (folded separately).
    var overflow: [Spill] = []
    /// No task's `last` is below this (a lower bound, not persisted): a sweep that cannot evict skips its scan.
    private var lastFloor: Int64 = .min

    enum CodingKeys: String, CodingKey {
        case tasks, dirty, firstApplicationLog, serviceFirstLog, unattributedRecords, overflow, earliestServiceLog
    }

    /// A pending count moved out of an entry because the task's records straddled minutes.
    struct Spill: Sendable, Codable, Equatable {
        var task: TaskID
        var minute: Int64
        var count: Int32
    }

    /// An empty table.
    public init() {}

    /// Number of tasks tracked.
    public var count: Int { tasks.count }

    /// Notes an application log record. Returns whether the task was new (so the caller can enforce its cap).
    @discardableResult
    public mutating func note(time: Int64, task: TaskID?) -> Bool {
        if let f = firstApplicationLog { if time < f { firstApplicationLog = time } } else { firstApplicationLog = time }
        guard let task else {
            unattributedRecords &+= 1
            return false
        }
        let minute = time - ((time % 60_000) + 60_000) % 60_000
        if let i = tasks.slot(of: task) {
            // One lookup, then the entry is updated in place.
            var isNewDirty = false
            var spill: Spill?
            Self.tally(time, minute: minute, task: task, into: &tasks[slot: i], isNewDirty: &isNewDirty, spill: &spill)
            if let spill { overflow.append(spill) }
            if isNewDirty { dirty.append(task) }
            return false
        }
        tasks.insertNew(task, Entry(first: time, last: time, pendingMinute: minute, pendingCount: 1))
        lastFloor = min(lastFloor, time)
        dirty.append(task)
        return true
    }

    /// Counts one record of `task` at `time` into its entry.
    @inline(__always)
    private static func tally(
        _ time: Int64, minute: Int64, task: TaskID, into e: inout Entry, isNewDirty: inout Bool, spill: inout Spill?
    ) {
        if time < e.first { e.first = time }
        if time > e.last { e.last = time }
        if e.pendingCount == 0 {
            e.pendingMinute = minute
            e.pendingCount = 1
            isNewDirty = true
        } else if e.pendingMinute == minute {
            e.pendingCount &+= 1
        } else {
            spill = Spill(task: task, minute: e.pendingMinute, count: e.pendingCount)
            e.pendingMinute = minute
            e.pendingCount = 1
        }
    }

    /// The first log record time of `task`, if one at or before `limit` was seen (later ones may not have
    /// arrived yet, so they are not trusted for decisions at `limit`).
    public func firstLogTime(_ task: TaskID, notAfter limit: Int64) -> Int64? {
        guard let i = tasks.slot(of: task) else { return nil }
        let f = tasks[slot: i].first
        guard f <= limit else { return nil }
        return f
    }

    /// Whether any application log record at or before `limit` was seen.
    public func applicationLogsPresent(notAfter limit: Int64) -> Bool { (firstApplicationLog ?? .max) <= limit }

    /// Whether a task of `service` logged at or before `limit`.
    public func serviceLogged(_ service: String, notAfter limit: Int64) -> Bool { (serviceFirstLog[service] ?? .max) <= limit }

    /// Whether log records at or before `limit` were attributed to any service at all.
    public func anyServiceLogged(notAfter limit: Int64) -> Bool { (earliestServiceLog ?? .max) <= limit }

    /// Earliest record attributed to any service.
    public private(set) var earliestServiceLog: Int64?

    /// Takes the pending counts: (task, minute, count, first record time) for the engine to fold.
    /// Whether counts wait to be folded (`takePending` has work).
    var hasPending: Bool { !dirty.isEmpty || !overflow.isEmpty }

    mutating func takePending(_ body: (TaskID, Int64, Int, Int64) -> Void) {
        for s in overflow { body(s.task, s.minute, Int(s.count), tasks[s.task]?.first ?? s.minute) }
        overflow.removeAll(keepingCapacity: true)
        for t in dirty {
            guard let i = tasks.slot(of: t) else { continue }
            let e = tasks[slot: i]
            guard e.pendingCount > 0 else { continue }
            body(t, e.pendingMinute, Int(e.pendingCount), e.first)
            tasks[slot: i].pendingCount = 0
        }
        dirty.removeAll(keepingCapacity: true)
    }

    /// Puts back counts whose task has no known service yet (bounded; the oldest are dropped).
    mutating func requeue(task: TaskID, minute: Int64, count: Int) {
        guard overflow.count < 50_000 else { return }
        overflow.append(Spill(task: task, minute: minute, count: Int32(clamping: count)))
    }

    /// Records that `service` logged at `time` (min).
    mutating func noteServiceLogged(_ service: String, at time: Int64) {
        earliestServiceLog = min(earliestServiceLog ?? time, time)
        if let f = serviceFirstLog[service], f <= time { return }
        if serviceFirstLog[service] == nil, serviceFirstLog.count >= IdentityDirectory.maxServices {
            serviceFirstLog.removeAll()
        }
        serviceFirstLog[service] = time
    }

    /// Evicts tasks idle since before `cutoff` and, over `cap`, the least recently active.
    mutating func evict(before cutoff: Int64, cap: Int) {
        if cutoff > lastFloor {
            var floor = Int64.max
            tasks.removeAll { _, e in
                if e.last < cutoff && e.pendingCount == 0 { return true }
                floor = min(floor, e.last)
                return false
            }
            lastFloor = floor
        }
        if tasks.count > cap {
            // The most recently seen tasks stay; ties go by task id, so which survive does not depend on the
            // table's order (its hash seed is random per process) and replays stay deterministic.
            let keep = max(0, cap - cap / 4)
            let order = tasks.map { ($0.value.last, $0.key) }.sorted { $0 > $1 }
            let kept = Set(order.prefix(keep).map(\.1))
            tasks.removeAll { id, _ in !kept.contains(id) }
        }
    }
}

/// Per target group, per minute ALB request totals (all requests and slow ones), for the p90 latency test:
/// p90 ≥ the latency threshold ⇔ at least 10 % of the minute's requests were slow.
public struct RequestTracker: Sendable, Codable {
    /// One minute of one target group.
    public struct Bucket: Sendable, Codable, Equatable {
        public var minute: Int64
        public var total: UInt32
        public var slow: UInt32
        /// Event time of the first and last slow request, ms.
        public var firstSlow: Int64
        public var lastSlow: Int64
        static let empty = Bucket(minute: .min, total: 0, slow: 0, firstSlow: .max, lastSlow: .min)
    }

    struct Group: Sendable, Codable {
        var buckets: [Bucket]
        var lastMinute: Int64
    }

    /// Minutes kept per target group.
    public static let ringSize = 32
    /// Most target groups tracked.
    public static let maxGroups = 10_000

    var groups: [UInt64: Group] = [:]
    /// Requests older than the ring (dropped).
    public private(set) var droppedRequests: Int = 0

    /// An empty tracker.
    public init() {}

    /// Number of target groups tracked.
    public var count: Int { groups.count }

    /// Counts one request.
    public mutating func note(time: Int64, targetGroupHash: UInt64, slow: Bool) {
        let minute = time - ((time % 60_000) + 60_000) % 60_000
        let slot = Int((minute / 60_000) & Int64(Self.ringSize - 1))
        if groups[targetGroupHash] == nil {
            if groups.count >= Self.maxGroups { evictOldest() }
            groups[targetGroupHash] = Group(buckets: Array(repeating: .empty, count: Self.ringSize), lastMinute: minute)
        }
        record(targetGroupHash, minute: minute, slot: slot, time: time, slow: slow)
    }

    mutating func record(_ tg: UInt64, minute: Int64, slot: Int, time: Int64, slow: Bool) {
        guard let i = groups.index(forKey: tg) else { return }
        let lastMinute = groups.values[i].lastMinute
        if minute <= lastMinute - Int64(Self.ringSize - 1) * 60_000 {
            droppedRequests += 1
            return
        }
        if minute > lastMinute { groups.values[i].lastMinute = minute }
        var b = groups.values[i].buckets[slot]
        if b.minute != minute { b = Bucket(minute: minute, total: 0, slow: 0, firstSlow: .max, lastSlow: .min) }
        b.total &+= 1
        if slow {
            b.slow &+= 1
            if time < b.firstSlow { b.firstSlow = time }
            if time > b.lastSlow { b.lastSlow = time }
        }
        groups.values[i].buckets[slot] = b
    }

    /// The bucket of `minute` (ms, minute start) for a target group, if recorded.
    public func bucket(targetGroupHash: UInt64, minute: Int64) -> Bucket? {
        guard let g = groups[targetGroupHash] else { return nil }
        let b = g.buckets[Int((minute / 60_000) & Int64(Self.ringSize - 1))]
        return b.minute == minute ? b : nil
    }

    /// Sum over several target groups.
    public func bucket(targetGroups: [UInt64], minute: Int64) -> Bucket? {
        var out: Bucket?
        for tg in targetGroups {
            guard let b = bucket(targetGroupHash: tg, minute: minute) else { continue }
            var o = out ?? Bucket(minute: minute, total: 0, slow: 0, firstSlow: .max, lastSlow: .min)
            o.total &+= b.total
            o.slow &+= b.slow
            o.firstSlow = min(o.firstSlow, b.firstSlow)
            o.lastSlow = max(o.lastSlow, b.lastSlow)
            out = o
        }
        return out
    }

    /// Drops target groups without requests since before `cutoff`.
    mutating func evict(before cutoff: Int64) {
        if groups.contains(where: { $0.value.lastMinute < cutoff }) {
            groups = groups.filter { $0.value.lastMinute >= cutoff }
        }
    }

    private mutating func evictOldest() {
        // Ties by key: a dictionary's order is per-process random, the choice must not be.
        guard let oldest = groups.min(by: { ($0.value.lastMinute, $0.key) < ($1.value.lastMinute, $1.key) })
        else { return }
        groups[oldest.key] = nil
    }
}
