internal import CByteScan
import DiagnosisRules

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The members of one JSON object that decide what it is, located in a single pass.
///
/// Only the keys the decoder cares about are kept (as byte ranges); everything else is skipped. Keys are
/// compared in their raw (escaped) form, which is exact for these ASCII names.
struct ObjectMembers {
    // CloudWatch event / logs documents
    var timestamp: JSONValue?
    var message: JSONValue?
    var logStreamName: JSONValue?
    var logGroupName: JSONValue?
    var events: JSONValue?
    var hasLogTokens = false  // nextForwardToken / nextBackwardToken (get-log-events)
    var hasFilterKeys = false  // searchedLogStreams / nextToken (filter-log-events)
    // EventBridge
    var detailType: JSONValue?
    var source: JSONValue?
    var time: JSONValue?
    var resources: JSONValue?
    var detail: JSONValue?
    // Container Insights (EMF)
    var typeName: JSONValue?  // "Type"
    var hasEMFMarker = false  // "Version" / "CloudWatchMetrics" / "ClusterName"
    var taskIdName: JSONValue?  // "TaskId"
    var timestampName: JSONValue?  // "Timestamp"
    // Metric streams
    var metricStreamName: JSONValue?
    // Subscription payloads
    var messageType: JSONValue?
    var logGroup: JSONValue?
    var logStream: JSONValue?
    var logEvents: JSONValue?
    var awslogs: JSONValue?
    var data: JSONValue?
    // ECS
    var services: JSONValue?
    var createdAt: JSONValue?
    var taskArn: JSONValue?
    var updatedAt: JSONValue?
    // Generic time keys of unrecognised JSON log lines
    var atTimestamp: JSONValue?  // "@timestamp"
    var ts: JSONValue?

    /// Scans the object whose `{` is at `start` (whitespace allowed before it).
    ///
    /// Strings and numbers are located inline (one string-end kernel call per string); nested objects and arrays are
    /// skipped with `JSONScanner`. String values say whether they hold a backslash (`hasEscapes`), found in the
    /// same pass, so only those are unescaped (`RecordReader.stringBytes`, `JSONScanner.string`).
    /// - Returns: The index just after the closing `}`, or `nil` when the object is malformed or incomplete.
    static func scan(_ s: JSONScanner, at start: Int, into m: inout ObjectMembers) -> Int? {
        let bytes = s.bytes
        guard let base = bytes.baseAddress else { return nil }
        let n = bytes.count
        @inline(__always) func at(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }
        @inline(__always) func space(_ i: Int) -> Int {
            var i = i
            while i < n, ByteChecks.isSpace(at(i)) { i += 1 }
            return i
        }
        var i = space(start)
        guard i < n, at(i) == 123 else { return nil }
        i = space(i + 1)
        if i < n, at(i) == 125 { return i + 1 }
        while i < n {
            guard at(i) == 34, let keyEnd = stringEnd(base, from: i + 1, to: n, escapes: nil) else { return nil }
            let keyStart = i + 1
            i = keyEnd + 1
            if i < n, at(i) != 58 { i = space(i) }
            guard i < n, at(i) == 58 else { return nil }
            i += 1
            if i < n, at(i) == 32 { i += 1 }
            guard i < n else { return nil }
            let value: JSONValue
            let c = at(i)
            if c == 34 {
                var escapes: Int32 = 0
                guard let e = stringEnd(base, from: i + 1, to: n, escapes: &escapes) else { return nil }
                value = JSONValue(kind: .string, range: (i + 1)..<e, hasEscapes: escapes != 0)
                i = e + 1
            } else if (c >= 48 && c <= 57) || c == 45 {
                var j = i + 1
                // Eight digits at a time first (epoch-millisecond timestamps have 13): all bytes in 0x30…0x39.
                let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
                let zeros: UInt64 = 0x3030_3030_3030_3030
                while j + 8 <= n {
                    let w = base.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                    guard w & nibbles == zeros, (w &+ 0x0606_0606_0606_0606) & nibbles == zeros else { break }
                    j += 8
                }
                while j < n {
                    let d = at(j)
                    if (d >= 48 && d <= 57) || d == 46 || d == 101 || d == 69 || d == 43 || d == 45 {
                        j += 1
                    } else {
                        break
                    }
                }
                value = JSONValue(kind: .number, range: i..<j)
                i = j
            } else {
                guard let (v, next) = s.value(at: i) else { return nil }
                value = v
                i = next
            }
            m.assign(key: base + keyStart, count: keyEnd - keyStart, value: value)
            if i < n, at(i) != 44, at(i) != 125 { i = space(i) }
            guard i < n else { return nil }
            if at(i) == 44 { i = space(i + 1); continue }
            return at(i) == 125 ? i + 1 : nil
        }
        return nil
    }

    /// The index of the quote that closes a string whose content starts at `from`.
    ///
    /// Quotes and backslashes are found 16 or 32 bytes at a time (`cbs_json_string_end`), escaped quotes
    /// included: no restart at each `\"`.
    /// `escapes`, when given, is set to non-zero when a backslash comes before the end.
    @inline(__always)
    static func stringEnd(
        _ base: UnsafeRawPointer, from: Int, to n: Int, escapes: UnsafeMutablePointer<Int32>?
    ) -> Int? {
        guard from < n else { return nil }
        let end = cbs_json_string_end_inline(base + from, n - from, escapes)
        return end < 0 ? nil : from + end
    }

    /// Whether the `s.utf8CodeUnitCount` bytes at `p` spell `s` (the caller checked the length): with two
    /// overlapping word loads instead of a `memcmp` call — every member of every object is compared.
    @inline(__always)
    static func eq(_ p: UnsafeRawPointer, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        let q = UnsafeRawPointer(s.utf8Start)
        switch n {
        case 8...:
            guard p.loadUnaligned(as: UInt64.self) == q.loadUnaligned(as: UInt64.self),
                p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                    == q.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            else { return false }
            return n <= 16 || memcmp(p + 8, q + 8, n - 16) == 0
        case 4...:
            return p.loadUnaligned(as: UInt32.self) == q.loadUnaligned(as: UInt32.self)
                && p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
                    == q.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        case 2...:
            return p.loadUnaligned(as: UInt16.self) == q.loadUnaligned(as: UInt16.self)
                && p.load(fromByteOffset: n - 1, as: UInt8.self) == q.load(fromByteOffset: n - 1, as: UInt8.self)
        default:
            return n == 0 || p.load(as: UInt8.self) == q.load(as: UInt8.self)
        }
    }

    @inline(__always)
    mutating func assign(key p: UnsafeRawPointer, count: Int, value v: JSONValue) {
        let eq = ObjectMembers.eq
        switch count {
        case 2:
            if eq(p, "ts") { ts = v }
        case 4:
            if eq(p, "time") { time = v } else if eq(p, "Type") { typeName = v } else if eq(p, "data") { data = v }
        case 6:
            if eq(p, "events") {
                events = v
            } else if eq(p, "source") {
                source = v
            } else if eq(p, "detail") {
                detail = v
            } else if eq(p, "TaskId") {
                taskIdName = v
            }
        case 7:
            if eq(p, "message") {
                message = v
            } else if eq(p, "awslogs") {
                awslogs = v
            } else if eq(p, "taskArn") {
                taskArn = v
            } else if eq(p, "Version") {
                hasEMFMarker = true
            }
        case 8:
            if eq(p, "services") { services = v } else if eq(p, "logGroup") { logGroup = v }
        case 9:
            if eq(p, "timestamp") {
                timestamp = v
            } else if eq(p, "Timestamp") {
                timestampName = v
            } else if eq(p, "createdAt") {
                createdAt = v
            } else if eq(p, "resources") {
                resources = v
            } else if eq(p, "logStream") {
                logStream = v
            } else if eq(p, "logEvents") {
                logEvents = v
            } else if eq(p, "nextToken") {
                hasFilterKeys = true
            } else if eq(p, "updatedAt") {
                updatedAt = v
            }
        case 10:
            if eq(p, "@timestamp") { atTimestamp = v }
        case 11:
            if eq(p, "detail-type") {
                detailType = v
            } else if eq(p, "messageType") {
                messageType = v
            } else if eq(p, "ClusterName") {
                hasEMFMarker = true
            }
        case 12:
            if eq(p, "logGroupName") { logGroupName = v }
        case 13:
            if eq(p, "logStreamName") { logStreamName = v }
        case 16:
            if eq(p, "nextForwardToken") { hasLogTokens = true }
        case 17:
            if eq(p, "nextBackwardToken") {
                hasLogTokens = true
            } else if eq(p, "CloudWatchMetrics") {
                hasEMFMarker = true
            }
        case 18:
            if eq(p, "metric_stream_name") {
                metricStreamName = v
            } else if eq(p, "searchedLogStreams") {
                hasFilterKeys = true
            }
        default:
            break
        }
    }
}
