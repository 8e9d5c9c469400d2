internal import CByteScan

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hand-written JSON scanner that locates values and returns byte ranges; it never builds a tree.
///
/// It is tolerant by design: it validates structure only as far as needed to find the requested members,
/// and reports failure (`nil`) instead of trapping on malformed input.
public struct JSONScanner {
    /// The bytes being scanned.
    public let bytes: UnsafeRawBufferPointer

    /// Scans `bytes`.
    @inlinable public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inlinable static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 10 || c == 13 || c == 9 }

    /// Index of the first non-whitespace byte at or after `i`.
    @inlinable public func skipSpace(_ i: Int) -> Int {
        var i = i
        while i < bytes.count, JSONScanner.isSpace(bytes[i]) { i += 1 }
        return i
    }

    /// Given `i` just after an opening quote, returns the index of the closing quote and whether escapes occur.
    ///
    /// Quotes and backslashes are found 16 or 32 bytes at a time (`cbs_json_string_end`).
    public func stringEnd(from i: Int) -> (end: Int, escaped: Bool)? {
        guard let base = bytes.baseAddress, i >= 0, i < bytes.count else { return nil }
        var backslash: Int32 = 0
        let end = cbs_json_string_end(base + i, bytes.count - i, &backslash)
        return end < 0 ? nil : (i + end, backslash != 0)
    }

    /// Locates the value that starts at `i` (whitespace allowed) and returns it with the index after it.
    public func value(at i0: Int) -> (value: JSONValue, next: Int)? {
        let i = skipSpace(i0)
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case 34:
            guard let (end, escaped) = stringEnd(from: i + 1) else { return nil }
            return (JSONValue(kind: .string, range: (i + 1)..<end, hasEscapes: escaped), end + 1)
        case 123, 91:
            guard let end = containerEnd(from: i) else { return nil }
            return (JSONValue(kind: bytes[i] == 123 ? .object : .array, range: i..<end), end)
        case 116, 102:
            var j = i
            while j < bytes.count, bytes[j] >= 97, bytes[j] <= 122 { j += 1 }
            return (JSONValue(kind: .bool, range: i..<j), j)
        case 110:
            var j = i
            while j < bytes.count, bytes[j] >= 97, bytes[j] <= 122 { j += 1 }
            return (JSONValue(kind: .null, range: i..<j), j)
        default:
            var j = i
            while j < bytes.count {
                let c = bytes[j]
                if (c >= 48 && c <= 57) || c == 45 || c == 43 || c == 46 || c == 101 || c == 69 { j += 1 } else { break }
            }
            guard j > i else { return nil }
            return (JSONValue(kind: .number, range: i..<j), j)
        }
    }

    /// Given `i` at `{` or `[`, returns the index just after the matching close bracket.
    ///
    /// Quotes and brackets are found 16 or 32 bytes at a time (`cbs_json_container_end`); brackets inside
    /// strings do not count.
    public func containerEnd(from i: Int) -> Int? {
        guard let base = bytes.baseAddress, i >= 0, i < bytes.count else { return nil }
        let end = cbs_json_container_end(base + i, bytes.count - i)
        return end < 0 ? nil : i + end
    }

    /// Calls `body` with each member of the object starting at `objectStart` (the `{`), in order.
    /// `body` returns `false` to stop early. Returns `false` if the object is malformed.
    @discardableResult
    public func forEachMember(
        ofObjectAt objectStart: Int, _ body: (_ key: Range<Int>, _ value: JSONValue) -> Bool
    ) -> Bool {
        var i = skipSpace(objectStart)
        guard i < bytes.count, bytes[i] == 123 else { return false }
        i = skipSpace(i + 1)
        if i < bytes.count, bytes[i] == 125 { return true }
        while i < bytes.count {
            guard bytes[i] == 34, let (keyEnd, _) = stringEnd(from: i + 1) else { return false }
            let key = (i + 1)..<keyEnd
            i = skipSpace(keyEnd + 1)
            guard i < bytes.count, bytes[i] == 58 else { return false }
            guard let (v, next) = value(at: i + 1) else { return false }
            if !body(key, v) { return true }
            i = skipSpace(next)
            guard i < bytes.count else { return false }
            if bytes[i] == 44 { i = skipSpace(i + 1); continue }
            return bytes[i] == 125
        }
        return false
    }

    /// Calls `body` with each element of the array starting at `arrayStart` (the `[`).
    @discardableResult
    public func forEachElement(ofArrayAt arrayStart: Int, _ body: (JSONValue) -> Bool) -> Bool {
        var i = skipSpace(arrayStart)
        guard i < bytes.count, bytes[i] == 91 else { return false }
        i = skipSpace(i + 1)
        if i < bytes.count, bytes[i] == 93 { return true }
        while i < bytes.count {
            guard let (v, next) = value(at: i) else { return false }
            if !body(v) { return true }
            i = skipSpace(next)
            guard i < bytes.count else { return false }
            if bytes[i] == 44 { i = skipSpace(i + 1); continue }
            return bytes[i] == 93
        }
        return false
    }

    /// Whether the key bytes at `range` equal `key` (keys compared in their escaped form).
    @inlinable public func key(_ range: Range<Int>, equals key: StaticString) -> Bool {
        guard range.count == key.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
        return memcmp(base + range.lowerBound, key.utf8Start, range.count) == 0
    }

    /// The value of the member `key` in the object at `objectStart`, if present.
    public func member(_ key: StaticString, ofObjectAt objectStart: Int) -> JSONValue? {
        var found: JSONValue?
        forEachMember(ofObjectAt: objectStart) { k, v in
            if self.key(k, equals: key) { found = v; return false }
            return true
        }
        return found
    }

    /// Follows a path of member names from the object at `objectStart`.
    public func member(path: [StaticString], ofObjectAt objectStart: Int) -> JSONValue? {
        var start = objectStart
        var current: JSONValue?
        for (n, key) in path.enumerated() {
            guard let v = member(key, ofObjectAt: start) else { return nil }
            current = v
            if n < path.count - 1 {
                guard v.kind == .object else { return nil }
                start = v.range.lowerBound
            }
        }
        return current
    }

    /// A view of the bytes in `range`.
    @inlinable public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// The decoded text of a string value (or the raw text of any other value).
    public func string(_ v: JSONValue) -> String {
        if v.kind == .string, v.hasEscapes { return JSONString.unescape(slice(v.range)) }
        return String(decoding: slice(v.range), as: UTF8.self)
    }

    /// The value as a number, if it is a number or a string holding one.
    public func double(_ v: JSONValue) -> Double? { TimestampParser.parseDouble(slice(v.range)) }

    /// The value as an event time: epoch ms / s numbers, or ISO strings.
    public func time(_ v: JSONValue) -> EventTime? { TimestampParser.parseAny(slice(v.range)) }
}
