import DiagnosisRules

/// Hot-path parsers that produce the core's value types faster than their general-purpose initialisers.
enum FastParsing {
    /// Hex digit values; 0xFF for non-hex bytes.
    private static let hexTable: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "0123456789".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        for (i, c) in "abcdef".utf8.enumerated() { t[Int(c)] = UInt8(10 + i) }
        for (i, c) in "ABCDEF".utf8.enumerated() { t[Int(c)] = UInt8(10 + i) }
        return t
    }()

    /// The task id at the end of a stream name or ARN (after the last `/` or `:`): 32 hex digits or a UUID.
    /// Same result as `TaskID.suffix(of:)`.
    @inline(__always)
    static func taskSuffix(_ b: UnsafeRawBufferPointer) -> TaskID? {
        let n = b.count
        guard n >= 32, let base = b.baseAddress else { return nil }
        // The id must be the whole last component: the byte before it is `/` or `:` (or it is the whole string).
        let c32 = n == 32 ? 47 : base.load(fromByteOffset: n - 33, as: UInt8.self)
        if c32 == 47 || c32 == 58 { return parseHex32(base + (n - 32)) }
        guard n >= 36 else { return nil }
        let c36 = n == 36 ? 47 : base.load(fromByteOffset: n - 37, as: UInt8.self)
        guard c36 == 47 || c36 == 58 else { return nil }
        return parseUUID(base + (n - 36))
    }

    @inline(__always)
    private static func parseHex32(_ p: UnsafeRawPointer) -> TaskID? {
        hexTable.withUnsafeBufferPointer { t in
            var hi: UInt64 = 0
            var lo: UInt64 = 0
            var bad: UInt8 = 0
            for i in 0..<16 {
                let v = t[Int(p.load(fromByteOffset: i, as: UInt8.self))]
                bad |= v
                hi = hi << 4 | UInt64(v & 0xF)
            }
            for i in 16..<32 {
                let v = t[Int(p.load(fromByteOffset: i, as: UInt8.self))]
                bad |= v
                lo = lo << 4 | UInt64(v & 0xF)
            }
            return bad & 0xF0 == 0 ? TaskID(high: hi, low: lo, dashed: false) : nil
        }
    }

    private static func parseUUID(_ p: UnsafeRawPointer) -> TaskID? {
        for d in [8, 13, 18, 23] where p.load(fromByteOffset: d, as: UInt8.self) != 45 { return nil }
        return hexTable.withUnsafeBufferPointer { t in
            var hi: UInt64 = 0
            var lo: UInt64 = 0
            var nibbles = 0
            var bad: UInt8 = 0
            for i in 0..<36 where i != 8 && i != 13 && i != 18 && i != 23 {
                let v = t[Int(p.load(fromByteOffset: i, as: UInt8.self))]
                bad |= v
                if nibbles < 16 { hi = hi << 4 | UInt64(v & 0xF) } else { lo = lo << 4 | UInt64(v & 0xF) }
                nibbles += 1
            }
            return bad & 0xF0 == 0 ? TaskID(high: hi, low: lo, dashed: true) : nil
        }
    }

    /// The event time of a JSON value, with a fast path for the common epoch-millisecond integer.
    /// Same result as `JSONScanner.time(_:)`.
    @inline(__always)
    static func time(_ s: JSONScanner, _ v: JSONValue) -> EventTime? {
        let count = v.range.count
        if v.kind == .number, count >= 12, count <= 16, let base = s.bytes.baseAddress {
            let p = base + v.range.lowerBound
            var value: Int64 = 0
            var i = 0
            while i < count {
                let d = p.load(fromByteOffset: i, as: UInt8.self) &- 48
                if d > 9 { break }
                value = value &* 10 &+ Int64(d)
                i += 1
            }
            if i == count { return EventTime(milliseconds: value) }
        }
        return s.time(v)
    }
}
