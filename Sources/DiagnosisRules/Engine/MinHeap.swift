/// A binary min-heap of `Comparable` values, stored in one array (Codable, so the engine can checkpoint it).
public struct MinHeap<Element: Comparable>: Sendable where Element: Sendable {
    /// The heap array (heap order, not sorted).
    @usableFromInline var storage: [Element] = []

    /// An empty heap.
    public init() {}

    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// Whether the heap is empty.
    @inlinable public var isEmpty: Bool { storage.isEmpty }
    /// The smallest element.
    @inlinable public var min: Element? { storage.first }

    /// Adds an element.
    @inlinable public mutating func push(_ element: Element) {
        storage.append(element)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the smallest element.
    @inlinable @discardableResult public mutating func popMin() -> Element? {
        guard !storage.isEmpty else { return nil }
        if storage.count == 1 { return storage.removeLast() }
        let top = storage[0]
        storage[0] = storage.removeLast()
        var parent = 0
        let n = storage.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { break }
            var smallest = left
            let right = left + 1
            if right < n, storage[right] < storage[left] { smallest = right }
            guard storage[smallest] < storage[parent] else { break }
            storage.swapAt(smallest, parent)
            parent = smallest
        }
        return top
    }

    /// Keeps only the elements satisfying `keep` and restores heap order (O(n)).
    public mutating func filter(_ keep: (Element) -> Bool) {
        storage = storage.filter(keep)
        storage.sort()
    }

    /// Removes everything.
    public mutating func removeAll() { storage.removeAll(keepingCapacity: true) }
}

extension MinHeap: Codable where Element: Codable {}
extension MinHeap: Equatable where Element: Equatable {}

/// What a rule's timer is for: an alert (service + cause), a service purpose, or a task.
///
/// One concrete key type keeps `TimerQueue` non-generic, which matters in debug builds (no generic metadata
/// lookups on every `nextDue`).
public struct TimerKey: Hashable, Comparable, Sendable, Codable {
    public var service: ServiceKey
    public var task: TaskID
    /// Index of the cause in `Cause.allCases`, or 255.
    public var causeIndex: UInt8
    /// A small purpose code private to each rule.
    public var purpose: UInt8

    static let noTask = TaskID(high: 0, low: 0)

    /// The timer of an alert.
    public init(_ key: AlertKey) {
        service = key.service
        task = Self.noTask
        causeIndex = UInt8(Cause.allCases.firstIndex(of: key.cause) ?? 255)
        purpose = 0
    }

    /// A per-service timer.
    public init(_ service: ServiceKey, purpose: UInt8) {
        self.service = service
        task = Self.noTask
        causeIndex = 255
        self.purpose = purpose
    }

    /// A per-task timer.
    public init(task: TaskID) {
        service = ServiceKey(service: "")
        self.task = task
        causeIndex = 255
        purpose = 0
    }

    /// The cause of an alert timer.
    public var cause: Cause? { causeIndex < Cause.allCases.count ? Cause.allCases[Int(causeIndex)] : nil }

    /// The alert key of an alert timer of `rule`'s causes.
    public var alertKey: AlertKey? { cause.map { AlertKey($0, service) } }

    public static func < (a: TimerKey, b: TimerKey) -> Bool {
        if a.service != b.service { return a.service < b.service }
        if a.task != b.task { return a.task < b.task }
        if a.causeIndex != b.causeIndex { return a.causeIndex < b.causeIndex }
        return a.purpose < b.purpose
    }
}

/// A timer queue for rules: `(due, key)` entries in a binary min-heap, popped in `(due, key)` order.
///
/// Timers are lazy: the owner keeps the due time it expects for each key and ignores popped entries that no longer
/// match (a rescheduled or evicted key), which keeps rescheduling O(log n) without a decrease-key operation.
public struct TimerQueue: Sendable, Codable {
    /// One scheduled timer.
    public struct Entry: Sendable, Codable, Equatable {
        /// Due time, milliseconds since the epoch.
        public var due: Int64
        /// What the timer is for.
        public var key: TimerKey

        @inline(__always) static func before(_ a: Entry, _ b: Entry) -> Bool {
            a.due != b.due ? a.due < b.due : a.key < b.key
        }
    }

    var heap: [Entry] = []

    /// An empty queue.
    public init() {}

    /// Number of entries, stale ones included.
    public var count: Int { heap.count }
    /// The earliest due time.
    public var nextDue: Int64? { heap.first?.due }

    /// Schedules `key` at `due`.
    public mutating func schedule(_ key: TimerKey, at due: Int64) {
        heap.append(Entry(due: due, key: key))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Entry.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Pops the earliest entry if it is due at or before `time`.
    public mutating func popDue(notAfter time: Int64) -> Entry? {
        guard let top = heap.first, top.due <= time else { return nil }
        if heap.count == 1 { return heap.removeLast() }
        heap[0] = heap.removeLast()
        var parent = 0
        let n = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { break }
            var smallest = left
            if left + 1 < n, Entry.before(heap[left + 1], heap[left]) { smallest = left + 1 }
            guard Entry.before(heap[smallest], heap[parent]) else { break }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
        return top
    }

    /// Drops entries whose key no longer qualifies (after eviction), keeping the heap bounded.
    public mutating func compact(keeping keep: (Entry) -> Bool) {
        heap = heap.filter(keep).sorted(by: Entry.before)
    }
}
