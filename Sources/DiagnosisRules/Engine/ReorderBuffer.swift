/// Holds signals until the watermark passes them, then releases them in one total order:
/// (time, source input, source line, kind, task, hash of the line text, arrival) — so the rules see the same sequence whatever
/// the arrival order within the allowed lateness.
///
/// Signals are large; the heap orders small keys and the signals wait in slots.
public struct ReorderBuffer: Sendable, Codable {
    /// The ordering key of a buffered signal.
    public struct Key: Comparable, Sendable, Codable {
        public var time: Int64
        public var input: Int32
        public var line: Int64
        public var kind: UInt8
        public var taskHigh: UInt64
        public var taskLow: UInt64
        public var textHash: UInt64
        public var arrival: UInt64
        public var slot: Int32

        public static func < (a: Key, b: Key) -> Bool {
            if a.time != b.time { return a.time < b.time }
            if a.input != b.input { return a.input < b.input }
            if a.line != b.line { return a.line < b.line }
            if a.kind != b.kind { return a.kind < b.kind }
            if a.taskHigh != b.taskHigh { return a.taskHigh < b.taskHigh }
            if a.taskLow != b.taskLow { return a.taskLow < b.taskLow }
            if a.textHash != b.textHash { return a.textHash < b.textHash }
            return a.arrival < b.arrival
        }
        public static func == (a: Key, b: Key) -> Bool { !(a < b) && !(b < a) }
    }

    private var heap: [Key] = []
    private var slots: [Signal?] = []
    private var free: [Int32] = []
    private var arrivals: UInt64 = 0

    /// An empty buffer.
    public init() {}

    /// Signals waiting.
    public var count: Int { heap.count }
    /// Whether nothing waits.
    public var isEmpty: Bool { heap.isEmpty }
    /// Event time of the earliest waiting signal.
    public var earliest: EventTime? { heap.first.map { EventTime(milliseconds: $0.time) } }

    /// Adds a signal.
    public mutating func push(_ signal: Signal) {
        let slot: Int32
        if let f = free.popLast() {
            slot = f
            slots[Int(f)] = signal
        } else {
            slot = Int32(slots.count)
            slots.append(signal)
        }
        arrivals &+= 1
        pushKey(
            Key(
                time: signal.time.milliseconds, input: signal.source.input, line: signal.source.line,
                kind: Self.rank(signal.kind), taskHigh: signal.task?.high ?? 0, taskLow: signal.task?.low ?? 0,
                textHash: ByteHash.fnv1a(signal.line), arrival: arrivals, slot: slot))
    }

    /// Removes and returns the earliest signal if its time is strictly before `frontier`.
    public mutating func pop(before frontier: Int64) -> Signal? {
        guard let top = heap.first, top.time < frontier else { return nil }
        return popEarliest()
    }

    /// Removes and returns the earliest signal.
    public mutating func popEarliest() -> Signal? {
        guard let top = popKey() else { return nil }
        let s = slots[Int(top.slot)].take()  // moved out: no copy of the signal's references
        free.append(top.slot)
        if heap.isEmpty {
            slots.removeAll(keepingCapacity: slots.count < 4096)
            free.removeAll(keepingCapacity: true)
        }
        return s
    }

    private mutating func pushKey(_ key: Key) {
        heap.append(key)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func popKey() -> Key? {
        guard let top = heap.first else { return nil }
        if heap.count == 1 { return heap.removeLast() }
        heap[0] = heap.removeLast()
        var parent = 0
        let n = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { break }
            var smallest = left
            if left + 1 < n, heap[left + 1] < heap[left] { smallest = left + 1 }
            guard heap[smallest] < heap[parent] else { break }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
        return top
    }

    /// Rank of a kind in the order of its raw value (the `SignalKind` Comparable order), for cheap comparisons.
    @inlinable public static func rank(_ k: SignalKind) -> UInt8 {
        switch k {
        case .accessDenied: 0
        case .appReady: 1
        case .containerExit: 2
        case .executionRoleDenied: 3
        case .healthCheckFailed: 4
        case .httpError: 5
        case .imagePullError: 6
        case .loggerError: 7
        case .noCredentials: 8
        case .oom: 9
        case .placementFailure: 10
        case .resourceUsage: 11
        case .serviceCounts: 12
        case .slowRequest: 13
        case .startFailure: 14
        case .steadyState: 15
        case .taskRunning: 16
        case .taskStarted: 17
        case .taskStopped: 18
        }
    }
}
