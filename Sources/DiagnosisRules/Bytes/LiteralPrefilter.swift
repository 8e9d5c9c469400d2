#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-pass multi-literal matcher: a 64 Kbit bitmap of the literals' first two bytes, then `memcmp`.
///
/// Its cost barely depends on the number of literals, so every rule's required literal goes into one
/// prefilter and a record is scanned once. It answers which literals occur (a bit set, up to 64 literals).
/// Matching is case-sensitive and byte-exact; literals must be at least 2 bytes.
public struct LiteralPrefilter: Sendable {
    /// The literals, in the order their bits are numbered.
    public let literals: [[UInt8]]
    private var bitmap: [UInt64]
    /// For each bigram bucket with candidates, the literal indices starting with that bigram.
    private var buckets: [UInt16: [Int]]

    /// Builds a prefilter for up to 64 literals of at least 2 bytes each.
    public init(literals: [String]) {
        precondition(literals.count <= 64, "LiteralPrefilter supports at most 64 literals")
        self.literals = literals.map { Array($0.utf8) }
        bitmap = [UInt64](repeating: 0, count: 1024)
        buckets = [:]
        for (i, lit) in self.literals.enumerated() {
            precondition(lit.count >= 2, "literal too short: \(literals[i])")
            let key = UInt16(lit[0]) | UInt16(lit[1]) << 8
            bitmap[Int(key >> 6)] |= 1 << UInt64(key & 63)
            buckets[key, default: []].append(i)
        }
    }

    /// The set of literals occurring in `bytes`, as a bit mask (bit `i` = `literals[i]`).
    public func matches(in bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        guard n >= 2, let base = bytes.baseAddress else { return 0 }
        var found: UInt64 = 0
        var i = 0
        let limit = n - 1
        while i < limit {
            let key = UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
            if bitmap[Int(key >> 6)] & (1 << UInt64(key & 63)) != 0, let candidates = buckets[key] {
                for c in candidates where found & (1 << UInt64(c)) == 0 {
                    let lit = literals[c]
                    if lit.count <= n - i,
                       lit.withUnsafeBytes({ memcmp(base + i, $0.baseAddress!, lit.count) }) == 0 {
                        found |= 1 << UInt64(c)
                    }
                }
            }
            i += 1
        }
        return found
    }

    /// Whether any literal occurs in `bytes`.
    @inlinable public func matchesAny(in bytes: UnsafeRawBufferPointer) -> Bool { matches(in: bytes) != 0 }
}
