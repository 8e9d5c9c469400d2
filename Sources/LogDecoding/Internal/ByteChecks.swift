internal import CByteScan
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level checks and transforms used per record: ASCII/UTF-8 validity, binary detection, ANSI stripping,
/// literal search and base64. All allocation-free except where they write into a caller's storage.
enum ByteChecks {
    /// What a record's bytes contain, found in one SIMD pass.
    struct Content {
        /// Some byte is ≥ 0x80 (UTF-8 must be validated).
        var hasHighBytes: Bool
        /// Some byte is < 0x20 (tabs included; binary must be considered).
        var hasControlBytes: Bool
    }

    /// Which byte classes `[p, p + n)` holds: one SIMD pass (CByteScan), asked of every line.
    @inline(__always)
    static func content(_ p: UnsafeRawPointer, _ n: Int) -> Content {
        let classes = cbs_byte_classes(p, n)
        return Content(
            hasHighBytes: classes & CBS_CLASS_HIGH != 0, hasControlBytes: classes & CBS_CLASS_CONTROL != 0)
    }

    /// Counts invalid UTF-8 sequences (each maximal invalid subpart counts once), starting the scan at the
    /// first byte ≥ 0x80.
    static func invalidUTF8Count(_ b: UnsafeRawBufferPointer) -> Int {
        var invalid = 0
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var need = 0
            var lo: UInt8 = 0x80
            var hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: invalid += 1; i += 1; continue
            }
            var j = i + 1
            var ok = true
            for k in 0..<need {
                guard j < n else { ok = false; break }
                let d = b[j]
                let (l, h) = k == 0 ? (lo, hi) : (UInt8(0x80), UInt8(0xBF))
                guard d >= l && d <= h else { ok = false; break }
                j += 1
            }
            if !ok { invalid += 1; i = max(j, i + 1); continue }
            i = j
        }
        return invalid
    }

    /// Whether a text record looks like binary data: a NUL byte, or many control bytes other than
    /// tab/CR/ESC/form feed/backspace, or mostly invalid UTF-8.
    static func looksBinary(_ b: UnsafeRawBufferPointer, content: Content) -> Bool {
        guard !b.isEmpty else { return false }
        if content.hasControlBytes {
            if memchr(b.baseAddress!, 0, b.count) != nil { return true }
            var controls = 0
            for c in b where c < 0x20 && c != 9 && c != 13 && c != 27 && c != 12 && c != 8 { controls += 1 }
            if controls * 10 > b.count || (controls > 0 && b.count < 8 && controls * 2 >= b.count) { return true }
        }
        if content.hasHighBytes, b.count >= 8 {
            let invalid = invalidUTF8Count(b)
            if invalid * 4 > b.count { return true }
        }
        return false
    }

    /// Whether the start of an input is binary garbage (not text with a few bad bytes, not a NUL-filled
    /// hole as left by `copytruncate`): more than a fifth of the sample is control bytes other than
    /// whitespace/ESC/NUL, or invalid UTF-8.
    static func isBinaryInput(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= 16 else { return false }
        var bad = 0
        for c in b where c < 0x20 && c != 0 && c != 9 && c != 10 && c != 13 && c != 27 && c != 12 && c != 8 { bad += 1 }
        if content(b.baseAddress!, b.count).hasHighBytes { bad += invalidUTF8Count(b) }
        return bad * 5 > b.count
    }

    /// Copies `b` without ANSI escape sequences (CSI `ESC [ … final`, and two-byte `ESC x`) into `out`.
    static func stripANSI(_ b: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) -> Int {
        var o = 0
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c != 27 { out.storeBytes(of: c, toByteOffset: o, as: UInt8.self); o += 1; i += 1; continue }
            if i + 1 < n, b[i + 1] == 0x5B {
                var j = i + 2
                while j < n, !(b[j] >= 0x40 && b[j] <= 0x7E) { j += 1 }
                i = min(j + 1, n)
            } else {
                i = min(i + 2, n)
            }
        }
        return o
    }

    /// Whether `needle` occurs in `hay`. `anchor` is the index of a rare byte of the needle to search for.
    static func contains(_ hay: UnsafeRawBufferPointer, _ needle: StaticString, anchor: Int = 0) -> Bool {
        index(of: needle, in: hay, anchor: anchor) != nil
    }

    /// The index of the first occurrence of `needle` in `hay`.
    static func index(of needle: StaticString, in hay: UnsafeRawBufferPointer, anchor: Int = 0) -> Int? {
        let m = needle.utf8CodeUnitCount
        guard m > 0, hay.count >= m, let base = hay.baseAddress else { return nil }
        let np = UnsafeRawPointer(needle.utf8Start)
        let a = np.load(fromByteOffset: anchor, as: UInt8.self)
        var p = anchor
        let last = hay.count - m + anchor  // last index the anchor byte may take
        while p <= last {
            guard let q = memchr(base + p, Int32(a), last - p + 1) else { return nil }
            let idx = base.distance(to: UnsafeRawPointer(q))
            let start = idx - anchor
            if memcmp(base + start, np, m) == 0 { return start }
            p = idx + 1
        }
        return nil
    }

    /// Whether `b` starts with `prefix`.
    @inline(__always)
    static func hasPrefix(_ b: UnsafeRawBufferPointer, _ prefix: StaticString, at offset: Int = 0) -> Bool {
        let m = prefix.utf8CodeUnitCount
        guard offset >= 0, b.count - offset >= m, let base = b.baseAddress else { return false }
        return memcmp(base + offset, prefix.utf8Start, m) == 0
    }

    /// Whether `b` equals `s`.
    @inline(__always)
    static func equals(_ b: UnsafeRawBufferPointer, _ s: StaticString) -> Bool {
        b.count == s.utf8CodeUnitCount && (b.isEmpty || memcmp(b.baseAddress!, s.utf8Start, b.count) == 0)
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 10 }

    /// `b` without leading and trailing JSON whitespace.
    static func trimmed(_ b: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var s = 0
        var e = b.count
        while s < e, isSpace(b[s]) { s += 1 }
        while e > s, isSpace(b[e - 1]) { e -= 1 }
        return UnsafeRawBufferPointer(rebasing: b[s..<e])
    }
}

/// Standard base64 (RFC 4648, with or without padding) decoding.
enum Base64 {
    private static let table: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = Int8(i) }
        t[Int(UInt8(ascii: "-"))] = 62  // URL-safe alphabet too
        t[Int(UInt8(ascii: "_"))] = 63
        return t
    }()

    /// Whether every byte is in the base64 alphabet (padding only at the end).
    static func isBase64(_ b: UnsafeRawBufferPointer) -> Bool {
        var end = b.count
        var pad = 0
        while end > 0, b[end - 1] == 61, pad < 2 { end -= 1; pad += 1 }
        guard end > 0 else { return false }
        return table.withUnsafeBufferPointer { t in
            for i in 0..<end where t[Int(b[i])] < 0 { return false }
            return true
        }
    }

    /// Decodes `b` into `out` (appending). Returns `false` on an invalid byte.
    static func decode(_ b: UnsafeRawBufferPointer, into out: GrowableBytes) -> Bool {
        var end = b.count
        while end > 0, b[end - 1] == 61 { end -= 1 }
        out.reserve(end / 4 * 3 + 3)
        return table.withUnsafeBufferPointer { t in
            var acc: UInt32 = 0
            var bits = 0
            let dst = out.base
            var o = out.count
            for i in 0..<end {
                let v = t[Int(b[i])]
                if v < 0 { return false }
                acc = acc << 6 | UInt32(v)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    dst.storeBytes(of: UInt8(truncatingIfNeeded: acc >> UInt32(bits)), toByteOffset: o, as: UInt8.self)
                    o += 1
                }
            }
            out.count = o
            return true
        }
    }
}
