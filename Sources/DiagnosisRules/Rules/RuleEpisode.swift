/// One item of a threshold window: a piece of evidence at a time.
public struct WindowItem: Sendable, Codable, Equatable {
    public var time: Int64
    public var evidence: Evidence
    public var task: TaskID?
}

/// A sliding count window on event time used until a threshold is crossed. While the rule is below its threshold
/// the window holds at most `threshold` items, so it stays small however long the input.
public struct CrossingWindow: Sendable, Codable, Equatable {
    public private(set) var items: [WindowItem] = []

    public init() {}

    /// Drops items more than `length` ms before `now` (an item exactly `length` old is still inside).
    public mutating func prune(now: Int64, length: Int64) {
        var drop = 0
        while drop < items.count, now - items[drop].time > length { drop += 1 }
        if drop > 0 { items.removeFirst(drop) }
    }

    /// Adds an item after pruning; returns the count inside the window.
    public mutating func add(_ item: WindowItem, length: Int64, cap: Int) -> Int {
        prune(now: item.time, length: length)
        items.append(item)
        if items.count > max(cap, 1) { items.removeFirst(items.count - max(cap, 1)) }
        return items.count
    }

    /// Evidence of the items, in order.
    public var evidence: EvidenceLog {
        var log = EvidenceLog()
        for i in items { log.append(i.evidence) }
        return log
    }

    /// Tasks of the items, in order, without repeats.
    public var tasks: [TaskID] {
        var out: [TaskID] = []
        for i in items { if let t = i.task, !out.contains(t) { out.append(t) } }
        return out
    }

    public var isEmpty: Bool { items.isEmpty }
    public var count: Int { items.count }
    public var firstTime: Int64? { items.first?.time }
    public mutating func removeAll() { items.removeAll() }
}

/// The part of an episode every rule keeps: whether it fired, since when, how much evidence, the clear timer.
public struct RuleEpisode: Sendable, Codable, Equatable {
    /// Fired and not yet resolved by the lifecycle.
    public var active = false
    public var firedAt: Int64 = 0
    public var firstSeen: Int64 = 0
    public var lastSeen: Int64 = 0
    /// Evidence records since the episode began.
    public var count = 0
    /// The clear timer the rule expects (lazy timers: a popped entry that differs is stale).
    public var clearDue: Int64?
    /// When summary and figures were last sent (they are refreshed at most once a minute of event time).
    public var lastRefresh: Int64 = .min
    /// Tasks involved (first 50).
    public var tasks: [TaskID] = []

    public init() {}

    public mutating func addTask(_ t: TaskID?) {
        guard let t, tasks.count < AlertLifecycle.maxTaskIDs, !tasks.contains(t) else { return }
        tasks.append(t)
    }

    /// Whether summary and figures should be re-sent with an update at `now`.
    public mutating func takeRefresh(now: Int64) -> Bool {
        guard now - lastRefresh >= 60_000 else { return false }
        lastRefresh = now
        return true
    }
}

extension Double {
    /// Seconds as milliseconds (rules' internal time unit).
    var engineMilliseconds: Int64 { Int64((self * 1000).rounded()) }
}
