/// Makes untrusted text safe to store in a journal field and to show in a terminal.
///
/// The sanitizer:
/// - escapes C0 control characters (U+0000–U+001F, including ESC, TAB and CR) as `\xNN`, except `\n` when
///   ``allowsNewlines`` is `true`;
/// - escapes DEL as `\x7F`;
/// - escapes C1 control characters (U+0080–U+009F), the Unicode line/paragraph separators (U+2028, U+2029) and the
///   bidirectional override/isolate controls (U+202A–U+202E, U+2066–U+2069, "Trojan Source") as `\u{NN}`;
/// - escapes each byte of invalid UTF-8 as `\xNN`;
/// - caps the result at ``maximumByteCount`` UTF-8 bytes, cutting on a character boundary (never inside a UTF-8
///   sequence or an escape) and ending the value with `…` when it was cut.
///
/// Backslashes are left as they are, so an escape in the output is not distinguishable from the same literal text in
/// the input; the goal is inert output, not a reversible encoding. Work is bounded by ``maximumByteCount``: a
/// 10 MB input is not scanned past the cut.
public struct JournalValueSanitizer: Hashable, Sendable {
    /// The default cap on a sanitized value, in UTF-8 bytes.
    public static let defaultMaximumByteCount = 4096

    /// The maximum length of a sanitized value in UTF-8 bytes, including the trailing `…` when the value was cut.
    /// Values below 8 are treated as 8.
    public var maximumByteCount: Int
    /// Whether `\n` is kept (for multi-line fields such as evidence excerpts) rather than escaped.
    public var allowsNewlines: Bool

    /// Creates a sanitizer.
    ///
    /// - Parameters:
    ///   - maximumByteCount: Cap on the sanitized value in UTF-8 bytes (default 4096).
    ///   - allowsNewlines: Whether `\n` passes through unescaped (default `true`).
    public init(maximumByteCount: Int = JournalValueSanitizer.defaultMaximumByteCount, allowsNewlines: Bool = true) {
        self.maximumByteCount = maximumByteCount
        self.allowsNewlines = allowsNewlines
    }

    /// Sanitizes a string.
    ///
    /// - Parameter value: Untrusted text.
    /// - Returns: The escaped and length-capped text.
    public func sanitize(_ value: String) -> String {
        var value = value
        return value.withUTF8 { sanitize(UnsafeRawBufferPointer($0)) }
    }

    /// Sanitizes raw bytes, such as a log line that may not be valid UTF-8.
    ///
    /// - Parameter bytes: Untrusted bytes; invalid UTF-8 is escaped byte by byte.
    /// - Returns: The escaped and length-capped text.
    public func sanitize(_ bytes: UnsafeRawBufferPointer) -> String {
        let limit = max(maximumByteCount, 8)
        let ellipsis: [UInt8] = [0xE2, 0x80, 0xA6]
        var output: [UInt8] = []
        output.reserveCapacity(min(bytes.count, limit) + 8)
        // Output length at the last unit boundary where `…` still fits within the limit.
        var cutPoint = 0
        var index = 0
        let count = bytes.count

        while index < count {
            let unitStart = output.count
            let consumed = appendUnit(from: bytes, at: index, to: &output)
            if output.count > limit {
                output.removeSubrange(cutPoint...)
                output.append(contentsOf: ellipsis)
                return String(decoding: output, as: UTF8.self)
            }
            if output.count + ellipsis.count <= limit {
                cutPoint = output.count
            } else if unitStart + ellipsis.count <= limit {
                cutPoint = unitStart
            }
            index += consumed
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the sanitized form of the character (or invalid byte) at `index` and returns the input bytes consumed.
    private func appendUnit(from bytes: UnsafeRawBufferPointer, at index: Int, to output: inout [UInt8]) -> Int {
        let lead = bytes[index]
        if lead < 0x80 {
            if lead == UInt8(ascii: "\n") && allowsNewlines {
                output.append(lead)
            } else if lead < 0x20 || lead == 0x7F {
                appendByteEscape(lead, to: &output)
            } else {
                output.append(lead)
            }
            return 1
        }
        guard let (scalar, length) = Self.decodeScalar(bytes, at: index) else {
            appendByteEscape(lead, to: &output)
            return 1
        }
        if Self.mustEscape(scalar) {
            appendScalarEscape(scalar, to: &output)
        } else {
            for offset in 0..<length { output.append(bytes[index + offset]) }
        }
        return length
    }

    private static func mustEscape(_ scalar: UInt32) -> Bool {
        (0x80...0x9F).contains(scalar)  // C1 controls
            || scalar == 0x2028 || scalar == 0x2029  // line / paragraph separator
            || (0x202A...0x202E).contains(scalar)  // bidi embeddings and overrides
            || (0x2066...0x2069).contains(scalar)  // bidi isolates
    }

    /// Decodes one well-formed multi-byte UTF-8 sequence (RFC 3629: no overlongs, surrogates or values > U+10FFFF).
    private static func decodeScalar(_ bytes: UnsafeRawBufferPointer, at index: Int) -> (UInt32, Int)? {
        let lead = bytes[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F)
        case 0xE0: length = 3; lower = 0xA0; scalar = UInt32(lead & 0x0F)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; scalar = UInt32(lead & 0x0F)
        case 0xED: length = 3; upper = 0x9F; scalar = UInt32(lead & 0x0F)
        case 0xF0: length = 4; lower = 0x90; scalar = UInt32(lead & 0x07)
        case 0xF1...0xF3: length = 4; scalar = UInt32(lead & 0x07)
        case 0xF4: length = 4; upper = 0x8F; scalar = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            let (low, high) = offset == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= low && byte <= high else { return nil }
            scalar = (scalar << 6) | UInt32(byte & 0x3F)
        }
        return (scalar, length)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private func appendByteEscape(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        output.append(UInt8(ascii: "x"))
        output.append(Self.hexDigits[Int(byte >> 4)])
        output.append(Self.hexDigits[Int(byte & 0x0F)])
    }

    private func appendScalarEscape(_ scalar: UInt32, to output: inout [UInt8]) {
        output.append(contentsOf: Array("\\u{".utf8))
        output.append(contentsOf: Array(String(scalar, radix: 16, uppercase: true).utf8))
        output.append(UInt8(ascii: "}"))
    }
}
