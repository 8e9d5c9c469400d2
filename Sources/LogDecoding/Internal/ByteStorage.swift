#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A growable, manually managed byte buffer whose address changes only when it grows.
final class GrowableBytes {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Ensures room for `extra` more bytes.
    func reserve(_ extra: Int) {
        let needed = count + extra
        guard needed > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let p = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        p.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = p
        capacity = newCapacity
    }

    /// The unused tail, for writing into directly (then bump `count`).
    var spare: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: base + count, count: capacity - count)
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    func append(_ b: UnsafeRawBufferPointer) {
        guard !b.isEmpty else { return }
        reserve(b.count)
        (base + count).copyMemory(from: b.baseAddress!, byteCount: b.count)
        count += b.count
    }

    func append(_ byte: UInt8) {
        reserve(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    /// Replaces the content with `b`.
    func set(_ b: UnsafeRawBufferPointer) {
        count = 0
        append(b)
    }

    /// Hands the storage over (the caller deallocates it) and starts afresh.
    func detach() -> UnsafeMutableRawPointer {
        let p = base
        capacity = 256
        base = .allocate(byteCount: capacity, alignment: 16)
        count = 0
        return p
    }
}

/// A bump allocator for bytes that must outlive the read buffer's current window until the records that
/// point at them have been handed out. Chunks are reused after `reset()`, so steady state allocates nothing;
/// addresses never move, so views into it stay valid until the next reset.
final class ByteArena {
    // Owned by one reader and used on one thread, never re-entrantly: no dynamic exclusivity checks (they cost
    // two runtime calls per record, in `reset`).
    @exclusivity(unchecked) private var chunks: [UnsafeMutableRawPointer] = []
    @exclusivity(unchecked) private var current = -1
    @exclusivity(unchecked) private var used = 0
    private let chunkSize: Int
    @exclusivity(unchecked) private var large: [UnsafeMutableRawPointer] = []
    @exclusivity(unchecked) private(set) var isEmpty = true

    init(chunkSize: Int = 64 << 10) { self.chunkSize = chunkSize }

    deinit {
        for c in chunks { c.deallocate() }
        for l in large { l.deallocate() }
    }

    /// Reserves `n` bytes.
    func allocate(_ n: Int) -> UnsafeMutableRawPointer {
        isEmpty = false
        if n > chunkSize / 4 {
            let p = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1), alignment: 16)
            large.append(p)
            return p
        }
        if current < 0 || used + n > chunkSize {
            current += 1
            if current == chunks.count { chunks.append(.allocate(byteCount: chunkSize, alignment: 16)) }
            used = 0
        }
        let p = chunks[current] + used
        used += n
        return p
    }

    /// Copies `b` into the arena.
    func copy(_ b: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard !b.isEmpty else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let p = allocate(b.count)
        p.copyMemory(from: b.baseAddress!, byteCount: b.count)
        return UnsafeRawBufferPointer(start: p, count: b.count)
    }

    /// Takes ownership of memory allocated with `UnsafeMutableRawPointer.allocate`.
    func adopt(_ p: UnsafeMutableRawPointer) {
        isEmpty = false
        large.append(p)
    }

    /// Invalidates everything handed out.
    func reset() {
        guard !isEmpty else { return }
        for l in large { l.deallocate() }
        large.removeAll(keepingCapacity: true)
        current = -1
        used = 0
        isEmpty = true
    }
}
