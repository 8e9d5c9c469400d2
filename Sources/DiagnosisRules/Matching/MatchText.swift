#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SignalMatcher {
    /// A borrowed view of a record's text with the few searches the parsers need.
    ///
    /// Everything works on bytes and returns offsets; `String`s are built only for the fields of a signal.
    /// All searches are byte-exact unless their name says `caseInsensitive` (ASCII folding only).
    struct Text {
        /// The bytes (valid only inside the caller's borrow).
        let bytes: UnsafeRawBufferPointer

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var count: Int { bytes.count }

        subscript(i: Int) -> UInt8 { bytes[i] }

        /// The byte at `i`, or 0 outside the text.
        @inline(__always) func at(_ i: Int) -> UInt8 { i >= 0 && i < bytes.count ? bytes[i] : 0 }

        // MARK: Searching

        /// The first offset of `needle` in `from..<before`.
        func find(_ needle: UnsafeRawBufferPointer, from start: Int = 0, before end: Int? = nil) -> Int? {
            let limit = Swift.min(end ?? bytes.count, bytes.count)
            let m = needle.count
            guard m > 0, start >= 0, limit - start >= m, let base = bytes.baseAddress, let nb = needle.baseAddress
            else { return nil }
            let first = Int32(needle[0])
            let last = limit - m
            var i = start
            while i <= last {
                guard let p = memchr(base + i, first, last - i + 1) else { return nil }
                let idx = base.distance(to: UnsafeRawPointer(p))
                if memcmp(base + idx, nb, m) == 0 { return idx }
                i = idx + 1
            }
            return nil
        }

        /// The first offset of `needle` in `from..<before`.
        func find(_ needle: StaticString, from start: Int = 0, before end: Int? = nil) -> Int? {
            needle.withUTF8Buffer { find(UnsafeRawBufferPointer($0), from: start, before: end) }
        }

        /// The last offset of `needle` that starts before `end`.
        func findLast(_ needle: StaticString, before end: Int? = nil) -> Int? {
            var found: Int?
            var i = 0
            while let p = find(needle, from: i, before: end) {
                found = p
                i = p + 1
            }
            return found
        }

        /// Whether `needle` occurs anywhere.
        func contains(_ needle: StaticString) -> Bool { find(needle) != nil }

        /// Whether `needle` occurs at offset `i`.
        func has(_ needle: StaticString, at i: Int) -> Bool {
            needle.withUTF8Buffer { n in
                guard i >= 0, n.count <= bytes.count - i, let base = bytes.baseAddress, let nb = n.baseAddress
                else { return false }
                return memcmp(base + i, nb, n.count) == 0
            }
        }

        /// The first offset of `needle` (ASCII case-insensitive) in `from..<count`.
        func findCaseInsensitive(_ needle: StaticString, from start: Int = 0) -> Int? {
            needle.withUTF8Buffer { n in
                let m = n.count
                guard m > 0, start >= 0, bytes.count - start >= m else { return nil }
                let f = Text.lower(n[0])
                var i = start
                while i <= bytes.count - m {
                    if Text.lower(bytes[i]) == f {
                        var k = 1
                        while k < m, Text.lower(bytes[i + k]) == Text.lower(n[k]) { k += 1 }
                        if k == m { return i }
                    }
                    i += 1
                }
                return nil
            }
        }

        /// Whether `needle` occurs anywhere, ignoring ASCII case.
        func containsCaseInsensitive(_ needle: StaticString) -> Bool { findCaseInsensitive(needle) != nil }

        // MARK: Tokens and numbers

        /// The first offset at or after `i` where `stop` holds (or `count`).
        func scan(from i: Int, until stop: (UInt8) -> Bool) -> Int {
            var j = Swift.max(i, 0)
            while j < bytes.count, !stop(bytes[j]) { j += 1 }
            return j
        }

        /// The first offset at or after `i` that is not one of the bytes of `set`.
        func skip(from i: Int, _ set: StaticString) -> Int {
            set.withUTF8Buffer { s in
                var j = i
                while j < bytes.count, s.contains(bytes[j]) { j += 1 }
                return j
            }
        }

        /// The range of the identifier (`[A-Za-z0-9_]`) that contains offset `i`.
        func identifier(around i: Int) -> Range<Int> {
            var s = i
            while s > 0, Text.isIdentifier(bytes[s - 1]) { s -= 1 }
            var e = i
            while e < bytes.count, Text.isIdentifier(bytes[e]) { e += 1 }
            return s..<e
        }

        /// An unsigned decimal integer at `i` (at most 9 digits).
        func unsigned(at i: Int) -> (value: Int, end: Int)? {
            var j = i
            var v = 0
            while j < bytes.count, j - i < 9, Text.isDigit(bytes[j]) {
                v = v * 10 + Int(bytes[j] - 48)
                j += 1
            }
            return j > i ? (v, j) : nil
        }

        /// A decimal number `digits[.digits]` (optionally negative) at `i`.
        func decimal(at i: Int) -> (value: Double, end: Int)? {
            var j = i
            if j < bytes.count, bytes[j] == 45 { j += 1 }
            while j < bytes.count, Text.isDigit(bytes[j]) { j += 1 }
            if j < bytes.count, bytes[j] == 46, j + 1 < bytes.count, Text.isDigit(bytes[j + 1]) {
                j += 1
                while j < bytes.count, Text.isDigit(bytes[j]) { j += 1 }
            }
            guard j > i, Text.isDigit(bytes[j - 1]) else { return nil }
            guard let v = TimestampParser.parseDouble(slice(i..<j)) else { return nil }
            return (v, j)
        }

        /// Given `i` just after an opening `(`, the offset of the matching `)`.
        func closingParenthesis(from i: Int) -> Int? {
            var depth = 1
            var j = i
            while j < bytes.count {
                if bytes[j] == 40 { depth += 1 } else if bytes[j] == 41 {
                    depth -= 1
                    if depth == 0 { return j }
                }
                j += 1
            }
            return nil
        }

        /// The line (without its `\n` / `\r\n`) that contains offset `i`.
        func line(containing i: Int) -> Range<Int> {
            let p = Swift.min(Swift.max(i, 0), bytes.count)
            var s = p
            while s > 0, bytes[s - 1] != 10 { s -= 1 }
            var e = p
            while e < bytes.count, bytes[e] != 10 { e += 1 }
            if e > s, bytes[e - 1] == 13 { e -= 1 }
            return s..<e
        }

        /// `range` without leading and trailing spaces and the given trailing punctuation.
        func trimmed(_ range: Range<Int>, trailing: StaticString = "") -> Range<Int> {
            var s = range.lowerBound
            var e = range.upperBound
            while s < e, Text.isSpace(bytes[s]) { s += 1 }
            trailing.withUTF8Buffer { t in
                while e > s, Text.isSpace(bytes[e - 1]) || t.contains(bytes[e - 1]) { e -= 1 }
            }
            return s..<e
        }

        // MARK: Conversion

        /// A view of `range`.
        func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[range]) }

        /// The text of `range` (invalid UTF-8 repaired).
        func string(_ range: Range<Int>) -> String { String(decoding: slice(range), as: UTF8.self) }

        /// The text of `range`, or `nil` when it is empty.
        func nonEmptyString(_ range: Range<Int>) -> String? { range.isEmpty ? nil : string(range) }

        // MARK: Byte classes

        @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        @inline(__always) static func isHex(_ c: UInt8) -> Bool {
            isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
        }
        @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        @inline(__always) static func isIdentifier(_ c: UInt8) -> Bool { isLetter(c) || isDigit(c) || c == 95 }
        @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
        @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
    }
}
