#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decoding of JSON string escapes (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX` with surrogate pairs).
///
/// Invalid escapes and lone surrogates decode to U+FFFD; invalid UTF-8 is repaired the same way.
public enum JSONString {
    /// Unescapes the content of a JSON string literal (without its quotes) into bytes, appending to `out`.
    public static func unescape(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress else { return }
        // Fast path: plain bytes and the one-byte escapes (`\"`, `\\`, `\n` …), written straight into `out` —
        // JSON carried in a message has an escape every few bytes, too often for a call per run. Each escape
        // shrinks two bytes to one, so `n` bytes always suffice. `\u`, unknown escapes and a trailing backslash
        // hand the rest to the general loop.
        var i = 0
        let old = out.count
        out.append(contentsOf: repeatElement(0, count: n))  // room for the output, in place (no temporary array)
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int in
            let out = buffer.baseAddress! + old
            var w = 0
            scan: while i < n {
                let c = base.load(fromByteOffset: i, as: UInt8.self)
                if c != 92 {
                    out[w] = c
                    w &+= 1
                    i &+= 1
                    continue
                }
                guard i + 1 < n else { break }
                let m: UInt8
                switch base.load(fromByteOffset: i + 1, as: UInt8.self) {
                case 34: m = 34
                case 92: m = 92
                case 47: m = 47
                case 98: m = 8
                case 102: m = 12
                case 110: m = 10
                case 114: m = 13
                case 116: m = 9
                default: break scan
                }
                out[w] = m
                w &+= 1
                i &+= 2
            }
            return w
        }
        out.removeLast(n - written)
        if i < n { unescapeGeneral(UnsafeRawBufferPointer(rebasing: bytes[i...]), into: &out) }
    }

    /// Every escape, `\uXXXX` and surrogate pairs included.
    private static func unescapeGeneral(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        let n = bytes.count
        out.reserveCapacity(out.count + n)
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= n else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = bytes[k]
                let d: UInt32
                switch c {
                case 48...57: d = UInt32(c - 48)
                case 97...102: d = UInt32(c - 87)
                case 65...70: d = UInt32(c - 55)
                default: return nil
                }
                v = v << 4 | d
            }
            return v
        }
        func appendScalar(_ v: UInt32) {
            let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        guard let base = bytes.baseAddress else { return }
        while i < n {
            // Copy the run up to the next backslash in one go (most text has few escapes).
            guard let q = memchr(base + i, 92, n - i) else {
                out.append(contentsOf: UnsafeRawBufferPointer(start: base + i, count: n - i))
                break
            }
            let b = base.distance(to: UnsafeRawPointer(q))
            if b > i { out.append(contentsOf: UnsafeRawBufferPointer(start: base + i, count: b - i)) }
            i = b
            let c = bytes[i]
            guard i + 1 < n else { out.append(c); break }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case 34: out.append(34)
            case 92: out.append(92)
            case 47: out.append(47)
            case 98: out.append(8)
            case 102: out.append(12)
            case 110: out.append(10)
            case 114: out.append(13)
            case 116: out.append(9)
            case 117:
                guard let u = hex4(i) else { appendScalar(0xFFFD); continue }
                i += 4
                if (0xD800...0xDBFF).contains(u), i + 6 <= n, bytes[i] == 92, bytes[i + 1] == 117,
                   let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low) {
                    i += 6
                    appendScalar(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    appendScalar(u)
                }
            default:
                out.append(92); out.append(e)
            }
        }
    }

    /// Unescapes the content of a JSON string literal into a `String`.
    public static func unescape(_ bytes: UnsafeRawBufferPointer) -> String {
        var out = [UInt8]()
        unescape(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal, escaping quotes, backslashes and every control character
    /// (C0, DEL, C1, U+2028/U+2029), so untrusted text stays one inert JSON value.
    public static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// `s` as a JSON string literal (see ``appendQuoted(_:to:)``).
    public static func quoted(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }
}
