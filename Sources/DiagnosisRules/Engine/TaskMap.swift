/// A hash map from `TaskID` to `Value`, for the tables the engine touches on every record.
///
/// Task ids are 128 random bits, so a multiply-shift hash of the two halves (with a per-table random seed, so
/// crafted ids cannot aim at one bucket without knowing it) spreads them as well as `Dictionary`'s SipHash at a
/// fraction of the cost. Open addressing with linear probing, at most 3/4 full, with backward-shift deletion:
/// no tombstones, and a lookup touches one key slot and one value slot.
///
/// It is a value type: copies share storage until one of them is mutated (copy-on-write, one uniqueness check per
/// mutation). Iteration order is unspecified, as with `Dictionary`. `Codable` writes exactly what
/// `[TaskID: Value]` writes (an array alternating keys and values), so checkpoints read either way.
public struct TaskMap<Value> {
    /// The storage; nil until the first insertion.
    var storage: Storage?

    /// An empty map.
    public init() {}

    /// Number of entries.
    public var count: Int { storage?.count ?? 0 }

    /// Whether the map is empty.
    public var isEmpty: Bool { count == 0 }

    /// The value of `key`, if present; setting nil removes the entry.
    public subscript(key: TaskID) -> Value? {
        get {
            guard let storage, let i = storage.find(key) else { return nil }
            return storage.values[i]
        }
        set {
            if let newValue {
                if let i = slot(of: key) {
                    makeUnique()
                    storage!.values[i] = newValue
                } else {
                    insertNew(key, newValue)
                }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Removes `key`'s entry; returns its value.
    @discardableResult
    public mutating func removeValue(forKey key: TaskID) -> Value? {
        guard let i = slot(of: key) else { return nil }
        makeUnique()
        return storage!.remove(at: i)
    }

    /// Removes the entries for which `shouldBeRemoved` is true; the rest move to storage sized for them.
    /// `shouldBeRemoved` is called once per entry, in iteration order.
    public mutating func removeAll(where shouldBeRemoved: (TaskID, borrowing Value) throws -> Bool) rethrows {
        let owned = isKnownUniquelyReferenced(&storage)
        guard let old = storage else { return }
        // Mark the survivors in a bit set first: when nothing is removed, nothing moves.
        var keep = [UInt64](repeating: 0, count: (old.capacity + 63) / 64)
        var kept = 0
        for i in 0...old.mask where old.keys[i].used {
            if try !shouldBeRemoved(old.keys[i].id, old.values[i]) {
                keep[i >> 6] |= 1 << UInt64(i & 63)
                kept += 1
            }
        }
        guard kept < old.count else { return }
        guard kept > 0 else {
            storage = nil
            return
        }
        let fresh = Storage(capacity: Storage.capacity(for: kept))
        for i in 0...old.mask where keep[i >> 6] & (1 << UInt64(i & 63)) != 0 {
            let j = fresh.emptySlot(for: old.keys[i].id)
            fresh.keys[j] = old.keys[i]
            if owned {
                fresh.values.advanced(by: j).moveInitialize(from: old.values.advanced(by: i), count: 1)
                old.keys[i].used = false
                old.count -= 1
            } else {
                fresh.values.advanced(by: j).initialize(to: old.values[i])
            }
        }
        fresh.count = kept
        storage = fresh
    }

    // MARK: Slots (the engine's in-place access)

    /// The slot holding `key`, if present. Valid until the next insertion or removal.
    func slot(of key: TaskID) -> Int? { storage?.find(key) }

    /// The value in slot `i` (from `slot(of:)`), read and mutated in place: `map[slot: i].field` neither copies
    /// the whole value nor, when writing, anything but a shared table (copy-on-write keeps slots in place).
    subscript(slot i: Int) -> Value {
        _read { yield storage.unsafelyUnwrapped.values[i] }
        _modify {
            makeUnique()
            yield &storage.unsafelyUnwrapped.values[i]
        }
    }

    /// Inserts an entry for a key known to be absent.
    mutating func insertNew(_ key: TaskID, _ value: Value) {
        let owned = isKnownUniquelyReferenced(&storage)
        if owned, let s = storage, s.count < s.maxLoad {
            s.insertNew(key, value)
            return
        }
        let fresh = Storage(capacity: Swift.max(Storage.capacity(for: count + 1), storage?.capacity ?? 0))
        if let old = storage {
            if owned { old.moveAll(into: fresh) } else { old.copyAll(into: fresh) }
        }
        storage = fresh
        fresh.insertNew(key, value)
    }

    /// Whether this copy owns its storage (mutating it copies nothing).
    var isUniquelyOwned: Bool {
        mutating get { storage == nil || isKnownUniquelyReferenced(&storage) }
    }

    /// Gives this copy storage of its own, slot for slot (so slot indices stay valid).
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage), let old = storage { storage = old.clone() }
    }

    // MARK: Storage

    /// One key slot: the id and whether the slot is taken (the value slot is initialized exactly when it is).
    struct Slot {
        var id: TaskID
        var used: Bool
    }

    final class Storage {
        let capacity: Int
        let mask: Int
        /// 64 − log2(capacity): the hash's top bits pick the bucket.
        let shift: UInt64
        let seed: UInt64
        var count = 0
        let keys: UnsafeMutablePointer<Slot>
        let values: UnsafeMutablePointer<Value>

        /// Most entries before the table grows (3/4 of the slots).
        var maxLoad: Int { capacity - capacity / 4 }

        /// The smallest power of two, at least 8, holding `n` entries at most 3/4 full.
        static func capacity(for n: Int) -> Int {
            var c = 8
            while c - c / 4 < n { c *= 2 }
            return c
        }

        init(capacity: Int, seed: UInt64 = .random(in: .min ... .max)) {
            self.capacity = capacity
            mask = capacity - 1
            shift = UInt64(64 - capacity.trailingZeroBitCount)
            self.seed = seed
            keys = .allocate(capacity: capacity)
            keys.initialize(repeating: Slot(id: TaskID(high: 0, low: 0), used: false), count: capacity)
            values = .allocate(capacity: capacity)
        }

        deinit {
            if count > 0 {
                for i in 0..<capacity where keys[i].used { values.advanced(by: i).deinitialize(count: 1) }
            }
            keys.deallocate()
            values.deallocate()
        }

        @inline(__always) func bucket(_ id: TaskID) -> Int {
            let x = (id.high ^ seed) &* 0x9E37_79B9_7F4A_7C15
            let h = (x ^ id.low ^ (x >> 29)) &* 0xBF58_476D_1CE4_E5B9
            return Int(truncatingIfNeeded: h >> shift)
        }

        @inline(__always) func find(_ id: TaskID) -> Int? {
            var i = bucket(id)
            while true {
                let s = keys[i]
                guard s.used else { return nil }
                if s.id.low == id.low, s.id.high == id.high { return i }
                i = (i &+ 1) & mask
            }
        }

        /// The first free slot on `id`'s probe path (the key must be absent and a slot free).
        @inline(__always) func emptySlot(for id: TaskID) -> Int {
            var i = bucket(id)
            while keys[i].used { i = (i &+ 1) & mask }
            return i
        }

        func insertNew(_ id: TaskID, _ value: Value) {
            let i = emptySlot(for: id)
            keys[i] = Slot(id: id, used: true)
            values.advanced(by: i).initialize(to: value)
            count += 1
        }

        /// Removes slot `i`, shifting later entries of the same probe run back into the hole.
        func remove(at i: Int) -> Value {
            let removed = values.advanced(by: i).move()
            count -= 1
            var hole = i
            var j = i
            while true {
                j = (j &+ 1) & mask
                guard keys[j].used else { break }
                let home = bucket(keys[j].id)
                // The entry at j may move to the hole when the hole lies on its probe path (home … j).
                if (j &- home) & mask >= (j &- hole) & mask {
                    keys[hole] = keys[j]
                    values.advanced(by: hole).moveInitialize(from: values.advanced(by: j), count: 1)
                    hole = j
                }
            }
            keys[hole].used = false
            return removed
        }

        /// Moves every entry into `other` (which has room); leaves this storage empty.
        func moveAll(into other: Storage) {
            for i in 0..<capacity where keys[i].used {
                let j = other.emptySlot(for: keys[i].id)
                other.keys[j] = keys[i]
                other.values.advanced(by: j).moveInitialize(from: values.advanced(by: i), count: 1)
                keys[i].used = false
            }
            other.count += count
            count = 0
        }

        /// A copy with the same seed and layout: every entry stays in its slot.
        func clone() -> Storage {
            let copy = Storage(capacity: capacity, seed: seed)
            copy.keys.update(from: keys, count: capacity)
            for i in 0..<capacity where keys[i].used { copy.values.advanced(by: i).initialize(to: values[i]) }
            copy.count = count
            return copy
        }

        /// Copies every entry into `other` (which has room).
        func copyAll(into other: Storage) {
            for i in 0..<capacity where keys[i].used {
                let j = other.emptySlot(for: keys[i].id)
                other.keys[j] = keys[i]
                other.values.advanced(by: j).initialize(to: values[i])
            }
            other.count += count
        }
    }
}

extension TaskMap: Sequence {
    /// Iterates the entries in unspecified order.
    public struct Iterator: IteratorProtocol {
        let storage: TaskMap.Storage?
        var position = 0

        /// The next entry.
        public mutating func next() -> (key: TaskID, value: Value)? {
            guard let storage else { return nil }
            while position <= storage.mask {
                let i = position
                position += 1
                if storage.keys[i].used { return (storage.keys[i].id, storage.values[i]) }
            }
            return nil
        }
    }

    /// An iterator over the entries.
    public func makeIterator() -> Iterator { Iterator(storage: storage) }

    /// Number of entries.
    public var underestimatedCount: Int { count }
}

extension TaskMap: @unchecked Sendable where Value: Sendable {}

extension TaskMap: Codable where Value: Codable {
    /// Encodes as `[TaskID: Value]` does: one array alternating keys and values.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for (key, value) in self {
            try container.encode(key)
            try container.encode(value)
        }
    }

    /// Decodes what `[TaskID: Value]` (or this map) encoded.
    public init(from decoder: any Decoder) throws {
        self.init()
        for (key, value) in try [TaskID: Value](from: decoder) { insertNew(key, value) }
    }
}

extension TaskMap {
    /// A map holding the entries of `dictionary`.
    public init(_ dictionary: [TaskID: Value]) {
        self.init()
        for (key, value) in dictionary { insertNew(key, value) }
    }
}
