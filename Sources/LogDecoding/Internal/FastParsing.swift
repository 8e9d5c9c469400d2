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
        guard let a = hex8(p, 0), let b = hex8(p, 8), let c = hex8(p, 16), let d = hex8(p, 24) else { return nil }
        return TaskID(high: a << 32 | b, low: c << 32 | d, dashed: false)
    }

    /// The value of the 8 hex digits at `p + offset` (either case), or nil when one is not a hex digit: one
    /// 64-bit word at a time instead of a table lookup per digit.
    ///
    /// Per byte `c`: nibble = (c & 0xF) + 9 × (c >> 6) gives 0…15 for `0-9a-fA-F` (and ≥ 16 for every byte ≥ 0x80
    /// and for letters past `f`); the byte is a hex digit exactly when the nibble is < 16 and spelling it again
    /// (`0`+n, or `a`+n−10) gives `c` lowercased (letters only: `c | ((c & 0x40) >> 1)`).
    @inline(__always)
    static func hex8(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64? {
        let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let ones: UInt64 = 0x0101_0101_0101_0101
        let n = (w & (ones &* 0x0F)) &+ ((w >> 6) & (ones &* 0x03)) &* 9
        guard n & (ones &* 0xF0) == 0 else { return nil }
        let letters = (n &+ ones &* 0x76) & (ones &* 0x80)  // 0x80 in the bytes whose nibble is ≥ 10
        let spelled = n &+ ones &* 0x30 &+ (letters >> 7) &* 0x27
        let lowered = w | ((w & (ones &* 0x40)) >> 1)
        guard spelled == lowered else { return nil }
        // First digit most significant: reverse the bytes, then fold nibbles into bytes, bytes into halves …
        var x = n.byteSwapped
        x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x >> 16)) & 0x0000_0000_FFFF_FFFF
        return x
    }

    /// The value of the 8 decimal digits at `p + offset`, or nil when one is not a digit (simdjson's
    /// eight-digit parse: pairs, then quads, then the whole, by multiplication).
    @inline(__always)
    static func decimal8(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64? {
        let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let zeros: UInt64 = 0x3030_3030_3030_3030
        guard w & nibbles == zeros, (w &+ 0x0606_0606_0606_0606) & nibbles == zeros else { return nil }
        var v = w &- zeros
        v = v &* 10 &+ (v >> 8)
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        v = (((v & mask) &* 0x000F_4240_0000_0064) &+ (((v >> 16) & mask) &* 0x0000_2710_0000_0001)) >> 32
        return v & 0xFFFF_FFFF
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
            // The first 8 digits at once (count ≥ 12, so they are inside the value), the rest one by one.
            guard let head = decimal8(p, 0) else { return s.time(v) }
            var value = Int64(head)
            var i = 8
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
