internal import CByteScan

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-pass multi-literal matcher: which of up to 64 literals occur in a byte buffer.
///
/// Its cost barely depends on the number of literals, so every rule's required literal goes into one
/// prefilter and a record is scanned once. It answers which literals occur (a bit set, up to 64 literals).
/// Matching is case-sensitive and byte-exact; literals must be at least 2 bytes.
///
/// On x86_64 with SSSE3 or AVX2 the scan is `CByteScan`'s Teddy kernel: nibble-table lookups of 16 or 32
/// positions at once over the literals' first three bytes, then an exact check of each candidate. Elsewhere it
/// is the scalar reference scan: a 64 Kbit bitmap of the literals' first two bytes, then `memcmp`. Both give
/// the same bit mask.
///
/// The tables live in raw memory owned by an immutable class, so the scan does no bounds checks, no hashing
/// and no reference counting per byte.
public struct LiteralPrefilter: Sendable {
    /// The literals, in the order their bits are numbered.
    public let literals: [[UInt8]]
    private let tables: Tables

    /// Builds a prefilter for up to 64 literals of at least 2 bytes each.
    public init(literals: [String]) {
        precondition(literals.count <= 64, "LiteralPrefilter supports at most 64 literals")
        self.literals = literals.map { Array($0.utf8) }
        for (i, lit) in self.literals.enumerated() {
            precondition(lit.count >= 2, "literal too short: \(literals[i])")
        }
        tables = Tables(self.literals)
    }

    /// The set of literals occurring in `bytes`, as a bit mask (bit `i` = `literals[i]`).
    public func matches(in bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        guard n >= 2, let base = bytes.baseAddress else { return 0 }
        if tables.usesTeddy { return cbs_teddy_find(tables.teddy, base, n) }
        return tables.scan(base, n)
    }

    /// The scans `matches(in:)` can use; all give the same result.
    enum Implementation: CaseIterable {
        /// The scalar bigram-bitmap scan: the reference, and the fallback without SIMD.
        case reference
        /// The Teddy kernel, scalar lookups (the portable path of `CByteScan`).
        case teddyScalar
        /// The Teddy kernel with SSSE3 (16 positions at once), or the best level below it.
        case teddySSSE3
        /// The Teddy kernel with AVX2 (32 positions at once), or the best level below it.
        case teddyAVX2
    }

    /// `matches(in:)` with a given scan (for tests and measurements).
    func matches(in bytes: UnsafeRawBufferPointer, using implementation: Implementation) -> UInt64 {
        let n = bytes.count
        guard n >= 2, let base = bytes.baseAddress else { return 0 }
        switch implementation {
        case .reference: return tables.scan(base, n)
        case .teddyScalar: return cbs_teddy_find_level(tables.teddy, base, n, Int32(CBS_LEVEL_SCALAR))
        case .teddySSSE3: return cbs_teddy_find_level(tables.teddy, base, n, Int32(CBS_LEVEL_SSE))
        case .teddyAVX2: return cbs_teddy_find_level(tables.teddy, base, n, Int32(CBS_LEVEL_AVX2))
        }
    }

    /// Whether any literal occurs in `bytes`.
    @inlinable public func matchesAny(in bytes: UnsafeRawBufferPointer) -> Bool { matches(in: bytes) != 0 }

    /// The immutable tables (raw memory, freed with the last copy of the prefilter).
    final class Tables: @unchecked Sendable {
        /// Bit `key` set when a literal starts with the bigram `key` (byte 0 | byte 1 << 8): 8 KiB, stays in L1.
        let bitmap: UnsafeMutablePointer<UInt64>
        /// For each bigram: its bucket (0: none).
        let bucket: UnsafeMutablePointer<UInt8>
        /// For each bucket: the literals (bits) starting with its bigram.
        let masks: UnsafeMutablePointer<UInt64>
        /// All literals back to back, and where each starts and how long it is.
        let bytes: UnsafeMutablePointer<UInt8>
        let offsets: UnsafeMutablePointer<Int>
        let lengths: UnsafeMutablePointer<Int>
        /// The Teddy tables (they point into `bytes`).
        let teddy: UnsafeMutablePointer<cbs_teddy>
        /// Whether `matches(in:)` uses Teddy: the CPU has SSSE3 or AVX2 (the scalar Teddy path does not beat the
        /// bitmap scan).
        let usesTeddy: Bool

        init(_ literals: [[UInt8]]) {
            bitmap = .allocate(capacity: 1024)
            bitmap.initialize(repeating: 0, count: 1024)
            bucket = .allocate(capacity: 65536)
            bucket.initialize(repeating: 0, count: 65536)
            masks = .allocate(capacity: 65)
            masks.initialize(repeating: 0, count: 65)
            let total = literals.reduce(0) { $0 + $1.count }
            bytes = .allocate(capacity: max(total, 1))
            offsets = .allocate(capacity: max(literals.count, 1))
            lengths = .allocate(capacity: max(literals.count, 1))
            teddy = .allocate(capacity: 1)
            usesTeddy = cbs_cpu_level() > CBS_LEVEL_SCALAR
            var buckets = 0
            var at = 0
            for (i, lit) in literals.enumerated() {
                let key = Int(lit[0]) | Int(lit[1]) << 8
                bitmap[key >> 6] |= 1 << UInt64(key & 63)
                if bucket[key] == 0 {
                    buckets += 1
                    bucket[key] = UInt8(buckets)
                }
                masks[Int(bucket[key])] |= 1 << UInt64(i)
                (bytes + at).initialize(from: lit, count: lit.count)
                offsets[i] = at
                lengths[i] = lit.count
                at += lit.count
            }
            let built = literals.map { UInt32($0.count) }.withUnsafeBufferPointer { lengths in
                cbs_teddy_init(teddy, bytes, lengths.baseAddress, literals.count)
            }
            precondition(built == 0, "LiteralPrefilter: the Teddy tables could not be built")
        }

        deinit {
            bitmap.deallocate()
            bucket.deallocate()
            masks.deallocate()
            bytes.deallocate()
            offsets.deallocate()
            lengths.deallocate()
            teddy.deallocate()
        }

        /// The reference scan: at every byte, the bit of the bigram starting there; a set bit indexes the 64 K-entry
        /// byte table (touched only on hits) that names its bucket, the bit mask of the literals starting with that
        /// bigram, each then checked with `memcmp`.
        @inline(__always)
        func scan(_ base: UnsafeRawPointer, _ n: Int) -> UInt64 {
            var found: UInt64 = 0
            var i = 0
            let limit = n - 1
            while i < limit {
                let key = Int(base.loadUnaligned(fromByteOffset: i, as: UInt16.self).littleEndian)
                if bitmap[key >> 6] & (1 &<< UInt64(key & 63)) != 0 {
                    var m = masks[Int(bucket[key])] & ~found
                    while m != 0 {
                        let c = m.trailingZeroBitCount
                        m &= m &- 1
                        let len = lengths[c]
                        if len <= n - i, memcmp(base + i, bytes + offsets[c], len) == 0 { found |= 1 &<< UInt64(c) }
                    }
                }
                i &+= 1
            }
            return found
        }
    }
}
