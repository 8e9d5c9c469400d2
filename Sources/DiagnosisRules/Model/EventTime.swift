/// A point in event time: milliseconds since the Unix epoch, UTC.
///
/// Every window, threshold and timer of the engine runs on `EventTime`, never on the
/// wall clock, so that replaying saved logs and following them live give the same verdicts.
public struct EventTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    /// Creates an event time from milliseconds since the epoch.
    @inlinable public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Creates an event time from whole seconds since the epoch.
    @inlinable public init(seconds: Int64) { self.milliseconds = seconds &* 1000 }

    @inlinable public static func < (lhs: EventTime, rhs: EventTime) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// The time `seconds` later (or earlier when negative).
    @inlinable public func adding(seconds: Double) -> EventTime {
        EventTime(milliseconds: milliseconds &+ Int64((seconds * 1000).rounded()))
    }

    /// The time `ms` milliseconds later.
    @inlinable public func adding(milliseconds ms: Int64) -> EventTime { EventTime(milliseconds: milliseconds &+ ms) }

    /// Seconds from `self` to `other` (positive when `other` is later).
    @inlinable public func seconds(until other: EventTime) -> Double {
        Double(other.milliseconds - milliseconds) / 1000
    }

    /// RFC 3339 UTC with milliseconds, e.g. `2026-11-20T09:14:03.120Z`.
    public var rfc3339: String { CivilTime(self).rfc3339 }

    /// The start of the minute containing this time.
    @inlinable public var minuteFloor: EventTime {
        EventTime(milliseconds: milliseconds &- ((milliseconds % 60_000) &+ 60_000) % 60_000)
    }

    public var description: String { rfc3339 }

    /// The range of event times treated as real: 2000-01-01 to 2100-01-01. A record stamped outside it (epoch 0,
    /// a garbled year) would drag the watermark and wreck every window, so readers treat it as having no time.
    public static let plausibleRange: ClosedRange<Int64> = 946_684_800_000...4_102_444_800_000

    /// Whether this time lies in ``plausibleRange``.
    @inlinable public var isPlausible: Bool { EventTime.plausibleRange.contains(milliseconds) }
}

/// A broken-down UTC date and time, computed with integer arithmetic (no Foundation, no time zone database).
public struct CivilTime: Sendable, Equatable {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int

    /// Breaks an event time into its UTC calendar fields.
    public init(_ time: EventTime) {
        let ms = time.milliseconds
        var days = ms / 86_400_000
        var rem = ms % 86_400_000
        if rem < 0 { rem += 86_400_000; days -= 1 }
        (year, month, day) = CivilTime.civil(fromDays: days)
        hour = Int(rem / 3_600_000)
        minute = Int(rem / 60_000 % 60)
        second = Int(rem / 1000 % 60)
        millisecond = Int(rem % 1000)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    @inlinable public static func days(year y0: Int, month m: Int, day d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((m + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day count since 1970-01-01.
    public static func civil(fromDays z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public var rfc3339: String {
        var s = ""
        s.reserveCapacity(24)
        func pad(_ v: Int, _ width: Int) {
            let digits = String(v)
            if digits.count < width { s += String(repeating: "0", count: width - digits.count) }
            s += digits
        }
        pad(year, 4); s += "-"; pad(month, 2); s += "-"; pad(day, 2); s += "T"
        pad(hour, 2); s += ":"; pad(minute, 2); s += ":"; pad(second, 2); s += "."; pad(millisecond, 3); s += "Z"
        return s
    }
}
