/// Parses the timestamp spellings found in CloudWatch, ECS and ALB exports straight from bytes.
///
/// Accepted forms (all normalised to UTC milliseconds):
/// - ISO 8601 / RFC 3339 with `T` or a space, optional fraction of any length, and `Z`,
///   `+hh:mm`, `-hhmm` or no zone (taken as UTC): `2023-08-23T18:27:56.436000-07:00`;
/// - slash dates as printed by deploy tools: `2017/12/26 23:46:45`;
/// - epoch numbers: milliseconds (`1712567843827`), seconds with a fraction (`1556717034.08`)
///   and exponent notation (`1.619952106055E9`).
public enum TimestampParser {
    /// Parses an ISO-like date-time at the start of `bytes`.
    /// - Returns: the time and the number of bytes consumed, or `nil`.
    public static func parseISO(_ bytes: UnsafeRawBufferPointer) -> (time: EventTime, length: Int)? {
        let n = bytes.count
        guard n >= 19 else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let c = bytes[i]
            return c >= 48 && c <= 57 ? Int(c - 48) : nil
        }
        @inline(__always) func number(_ at: Int, _ width: Int) -> Int? {
            var v = 0
            for i in at..<(at + width) { guard let d = digit(i) else { return nil }; v = v * 10 + d }
            return v
        }
        guard let year = number(0, 4), bytes[4] == 45 || bytes[4] == 47,
              let month = number(5, 2), bytes[7] == bytes[4],
              let day = number(8, 2), bytes[10] == 84 || bytes[10] == 32 || bytes[10] == 116,
              let hour = number(11, 2), bytes[13] == 58,
              let minute = number(14, 2), bytes[16] == 58,
              let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis = 0
        if i < n, bytes[i] == 46 || bytes[i] == 44 {
            i += 1
            var scale = 100
            let start = i
            while i < n, let d = digit(i) {
                millis += d * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        var offsetMinutes = 0
        if i < n {
            let c = bytes[i]
            if c == 90 || c == 122 { i += 1 }
            else if c == 43 || c == 45, i + 3 <= n, let hh = number(i + 1, 2) {
                var mm = 0
                var j = i + 3
                if j < n, bytes[j] == 58 { j += 1 }
                if j + 2 <= n, let m = number(j, 2) { mm = m; j += 2 }
                offsetMinutes = (hh * 60 + mm) * (c == 45 ? -1 : 1)
                i = j
            }
        }
        let days = CivilTime.days(year: year, month: month, day: day)
        let secs = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return (EventTime(milliseconds: secs * 1000 + Int64(millis)), i)
    }

    /// Parses a JSON number that is an epoch time. Values ≥ 1e11 are milliseconds, smaller ones seconds.
    public static func parseEpoch(_ bytes: UnsafeRawBufferPointer) -> EventTime? {
        guard let v = parseDouble(bytes) else { return nil }
        // Numbers too large for an Int64 of milliseconds (or infinite) are not times: nil, not a trap.
        if v >= 1e11 { return Int64(exactly: v.rounded()).map(EventTime.init(milliseconds:)) }
        if v > 0 { return EventTime(milliseconds: Int64((v * 1000).rounded())) }
        return nil
    }

    /// Parses either form: ISO text or an epoch number.
    public static func parseAny(_ bytes: UnsafeRawBufferPointer) -> EventTime? {
        if let iso = parseISO(bytes) { return iso.time }
        return parseEpoch(bytes)
    }

    /// A small, allocation-free decimal parser for JSON numbers (sign, fraction, exponent).
    public static func parseDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var i = 0
        let n = bytes.count
        guard n > 0 else { return nil }
        var negative = false
        if bytes[0] == 45 { negative = true; i = 1 }
        var mantissa: Double = 0
        var digits = 0
        var exponent = 0
        while i < n, bytes[i] >= 48, bytes[i] <= 57 { mantissa = mantissa * 10 + Double(bytes[i] - 48); i += 1; digits += 1 }
        if i < n, bytes[i] == 46 {
            i += 1
            while i < n, bytes[i] >= 48, bytes[i] <= 57 {
                mantissa = mantissa * 10 + Double(bytes[i] - 48); exponent -= 1; i += 1; digits += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < n, bytes[i] == 101 || bytes[i] == 69 {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == 43 || bytes[i] == 45 { expNegative = bytes[i] == 45; i += 1 }
            var e = 0
            var expDigits = 0
            while i < n, bytes[i] >= 48, bytes[i] <= 57, e < 10_000 { e = e * 10 + Int(bytes[i] - 48); i += 1; expDigits += 1 }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        var value = mantissa
        if exponent != 0 {
            var p: Double = 1
            var e = abs(exponent)
            var base: Double = 10
            while e > 0 { if e & 1 == 1 { p *= base }; base *= base; e >>= 1 }
            value = exponent < 0 ? value / p : value * p
        }
        return negative ? -value : value
    }

    /// Parses an unsigned decimal integer; `nil` on any other byte.
    @inlinable public static func parseInt(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var v: Int64 = 0
        for b in bytes { guard b >= 48, b <= 57 else { return nil }; v = v * 10 + Int64(b - 48) }
        return v
    }
}
