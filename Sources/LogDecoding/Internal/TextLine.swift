import DiagnosisRules

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Classification of one text line (no newline, no CR, no ANSI codes) by its content.
///
/// Pure and allocation-free: it returns ranges into the line.
enum TextLine {
    enum Shape: Equatable {
        case plain
        /// `<ISO with offset> <stream> <message>`.
        case tailDetailed
        /// `<ISO without zone> <message>`.
        case tailShort
        /// `<ISO ms Z> <message>`.
        case s3Export
        /// Another leading timestamp (slash dates, space-separated ISO, logrus `timestamp="…"`).
        case timestamped
        /// An ECS service event message (API or console wording), possibly after a timestamp.
        case serviceEvent
        /// `EVENTS\t<createdAt>\t<id>\t<message>` or `<createdAt>\t<id>\t<message>`.
        case describeServicesRow
        /// Another row of an `--output text` table (`SERVICES\t…`).
        case tableRow
        /// An ALB access log entry.
        case alb
        /// A base64 line holding gzip or JSON (Kinesis record data).
        case base64Record
    }

    struct Result {
        var shape: Shape
        var time: EventTime?
        var payload: Range<Int>
        var stream: Range<Int> = 0..<0
    }

    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    @inline(__always) private static func isUpper(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }

    /// Classifies `b`. `tableMode` says an `--output text` table was seen in this input.
    static func classify(_ b: UnsafeRawBufferPointer, tableMode: Bool) -> Result {
        let n = b.count
        let all = 0..<n
        guard n > 0 else { return Result(shape: .plain, payload: all) }
        let c0 = b[0]

        if isUpper(c0) {
            if ByteChecks.hasPrefix(b, "EVENTS\t"), let r = describeServicesRow(b, from: 7) { return r }
            if let tab = tableTag(b), tableMode || ByteChecks.hasPrefix(b, "SERVICES\t") {
                _ = tab
                return Result(shape: .tableRow, payload: all)
            }
            if let r = logrusLine(b) { return r }
            if c0 == 72, ByteChecks.hasPrefix(b, "H4sI"), n >= 20, Base64.isBase64(b) {
                return Result(shape: .base64Record, payload: all)
            }
        } else if isDigit(c0) {
            if let r = timestampedLine(b) { return r }
        } else if c0 == 104 || c0 == 103 || c0 == 119 {  // h, g, w
            if let r = albLine(b) { return r }
        } else if c0 == 101, ByteChecks.hasPrefix(b, "eyJ"), n >= 8, Base64.isBase64(b) {
            return Result(shape: .base64Record, payload: all)
        }
        if isServiceEvent(b, at: 0) { return Result(shape: .serviceEvent, payload: all) }
        return Result(shape: .plain, payload: all)
    }

    /// `TAG\t` where TAG is upper-case letters, digits and underscores.
    private static func tableTag(_ b: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        while i < b.count, i < 48 {
            let c = b[i]
            if c == 9 { return i > 0 ? i : nil }
            guard isUpper(c) || isDigit(c) || c == 95 else { return nil }
            i += 1
        }
        return nil
    }

    /// `<createdAt>\t<id>\t<message>` starting at `from`.
    private static func describeServicesRow(_ b: UnsafeRawBufferPointer, from: Int) -> Result? {
        let n = b.count
        guard let t1 = index(of: 9, in: b, from: from), let t2 = index(of: 9, in: b, from: t1 + 1) else { return nil }
        let created = UnsafeRawBufferPointer(rebasing: b[from..<t1])
        guard let time = TimestampParser.parseAny(created) else { return nil }
        // The id is a UUID without spaces.
        for i in (t1 + 1)..<t2 where b[i] == 32 { return nil }
        return Result(shape: .describeServicesRow, time: time, payload: (t2 + 1)..<n)
    }

    private static func index(of byte: UInt8, in b: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard from < b.count, let base = b.baseAddress,
            let p = memchr(base + from, Int32(byte), b.count - from)
        else { return nil }
        return base.distance(to: UnsafeRawPointer(p))
    }

    /// Lines that start with a timestamp.
    private static func timestampedLine(_ b: UnsafeRawBufferPointer) -> Result? {
        let n = b.count
        guard let (time, len) = TimestampParser.parseISO(b), len < n || len == n else { return nil }
        if len == n { return Result(shape: .timestamped, time: time, payload: n..<n) }
        let sep = b[len]
        if sep == 9 {
            return describeServicesRow(b, from: 0)
        }
        guard sep == 32 else { return nil }
        var r = len + 1
        while r < n, b[r] == 32 { r += 1 }
        if isServiceEvent(b, at: r) { return Result(shape: .serviceEvent, time: time, payload: r..<n) }
        let isoT = b[10] == 84
        let zulu = b[len - 1] == 90
        let offset = len >= 25 && (b[len - 6] == 43 || b[len - 6] == 45) && b[len - 3] == 58
        if isoT && offset && r == len + 1 {
            // detailed: the stream name is the next token.
            var s = r
            while s < n, b[s] != 32 { s += 1 }
            guard s > r else { return Result(shape: .timestamped, time: time, payload: r..<n) }
            let message = s < n ? (s + 1)..<n : n..<n
            return Result(shape: .tailDetailed, time: time, payload: message, stream: r..<s)
        }
        if isoT && zulu { return Result(shape: .s3Export, time: time, payload: (len + 1)..<n) }
        if isoT && len == 19 { return Result(shape: .tailShort, time: time, payload: (len + 1)..<n) }
        return Result(shape: .timestamped, time: time, payload: r..<n)
    }

    /// `INFO[0037] (service x) …  timestamp="2021-03-08 07:30:43 +0000 UTC"` (ecs-cli / logrus text format).
    private static func logrusLine(_ b: UnsafeRawBufferPointer) -> Result? {
        let n = b.count
        var i = 0
        while i < n, i < 8, isUpper(b[i]) { i += 1 }
        guard i >= 4, i < n, b[i] == 91 else { return nil }
        var j = i + 1
        while j < n, isDigit(b[j]) { j += 1 }
        guard j > i + 1, j < n, b[j] == 93 else { return nil }
        var r = j + 1
        while r < n, b[r] == 32 { r += 1 }
        var payloadEnd = n
        var time: EventTime?
        if let k = ByteChecks.index(of: "timestamp=\"", in: UnsafeRawBufferPointer(rebasing: b[r..<n]), anchor: 9) {
            let at = r + k
            let valueStart = at + 11
            if valueStart < n,
                let (t, _) = TimestampParser.parseISO(UnsafeRawBufferPointer(rebasing: b[valueStart..<n]))
            {
                time = t
                payloadEnd = at
                while payloadEnd > r, b[payloadEnd - 1] == 32 { payloadEnd -= 1 }
            }
        }
        if isServiceEvent(b, at: r) { return Result(shape: .serviceEvent, time: time, payload: r..<payloadEnd) }
        if let time { return Result(shape: .timestamped, time: time, payload: r..<n) }
        return nil
    }

    /// `http 2018-07-02T22:23:00.186641Z app/… client:port …`.
    private static func albLine(_ b: UnsafeRawBufferPointer) -> Result? {
        let n = b.count
        var i = 0
        while i < n, i < 6, b[i] != 32 { i += 1 }
        guard i < n, b[i] == 32 else { return nil }
        let type = UnsafeRawBufferPointer(rebasing: b[0..<i])
        guard
            ByteChecks.equals(type, "http") || ByteChecks.equals(type, "https") || ByteChecks.equals(type, "h2")
                || ByteChecks.equals(type, "grpcs") || ByteChecks.equals(type, "ws") || ByteChecks.equals(type, "wss")
        else { return nil }
        let rest = UnsafeRawBufferPointer(rebasing: b[(i + 1)..<n])
        guard let (time, len) = TimestampParser.parseISO(rest), len < rest.count, rest[len] == 32, rest[len - 1] == 90
        else { return nil }
        return Result(shape: .alb, time: time, payload: 0..<n)
    }

    /// Whether an ECS service event message starts at `r`: the API form `(service NAME) …` or the console
    /// form `service NAME <known phrase>`.
    static func isServiceEvent(_ b: UnsafeRawBufferPointer, at r: Int) -> Bool {
        let n = b.count
        guard n - r >= 12 else { return false }
        if b[r] == 40 { return ByteChecks.hasPrefix(b, "(service ", at: r) }
        guard b[r] == 115, ByteChecks.hasPrefix(b, "service ", at: r) else { return false }
        var i = r + 8
        while i < n, b[i] == 32 { i += 1 }
        let nameStart = i
        while i < n, b[i] != 32 { i += 1 }
        guard i > nameStart, i < n else { return false }
        i += 1
        let rest = UnsafeRawBufferPointer(rebasing: b[i..<n])
        return ByteChecks.hasPrefix(rest, "has reached") || ByteChecks.hasPrefix(rest, "has started")
            || ByteChecks.hasPrefix(rest, "has stopped") || ByteChecks.hasPrefix(rest, "has begun")
            || ByteChecks.hasPrefix(rest, "stopped ") || ByteChecks.hasPrefix(rest, "registered ")
            || ByteChecks.hasPrefix(rest, "deregistered ") || ByteChecks.hasPrefix(rest, "port ")
            || ByteChecks.hasPrefix(rest, "(port ") || ByteChecks.hasPrefix(rest, "instance ")
            || ByteChecks.hasPrefix(rest, "(instance ") || ByteChecks.hasPrefix(rest, "task ")
            || ByteChecks.hasPrefix(rest, "(task ") || ByteChecks.hasPrefix(rest, "was unable")
            || ByteChecks.hasPrefix(rest, "is unable") || ByteChecks.hasPrefix(rest, "is unhealthy")
            || ByteChecks.hasPrefix(rest, "failed ") || ByteChecks.hasPrefix(rest, "operations ")
            || ByteChecks.hasPrefix(rest, "deployment ") || ByteChecks.hasPrefix(rest, "(deployment ")
    }
}
