import DiagnosisRules

/// Time formatting for triage reports, and parsing of `--since`/`--until` values.
public enum TriageTime {
    /// `2026-11-20 09:00:12 UTC`.
    public static func long(_ t: EventTime) -> String {
        let c = CivilTime(t)
        return "\(date(c)) \(clock(c, seconds: true)) UTC"
    }

    /// `09:00:12.301` (UTC, milliseconds), for evidence lines.
    public static func precise(_ t: EventTime) -> String {
        let c = CivilTime(t)
        return "\(clock(c, seconds: true)).\(pad(c.millisecond, 3))"
    }

    /// `09:00` (UTC), for chart axes.
    public static func minute(_ t: EventTime) -> String { clock(CivilTime(t), seconds: false) }

    /// `2026-11-20`.
    public static func day(_ t: EventTime) -> String { date(CivilTime(t)) }

    private static func date(_ c: CivilTime) -> String { "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))" }

    private static func clock(_ c: CivilTime, seconds: Bool) -> String {
        seconds ? "\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))" : "\(pad(c.hour, 2)):\(pad(c.minute, 2))"
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// A duration for people: `45 s`, `14 min`, `3 h 25 min`, `2 d 3 h`.
    public static func duration(milliseconds ms: Int64) -> String {
        let s = max(ms, 0) / 1000
        if s < 60 { return "\(s) s" }
        let m = s / 60
        if m < 60 { return "\(m) min" }
        let h = m / 60
        if h < 48 { return m % 60 == 0 ? "\(h) h" : "\(h) h \(m % 60) min" }
        return h % 24 == 0 ? "\(h / 24) d" : "\(h / 24) d \(h % 24) h"
    }

    /// Parses a `--since`/`--until` value.
    ///
    /// Accepted: RFC 3339 (`2026-11-20T09:00:00Z`, `2026-11-20T02:00:00-07:00`), `YYYY-MM-DD HH:MM[:SS]` (UTC),
    /// `YYYY-MM-DD` (midnight UTC), `now`, and a duration ago: `2h`, `30min`, `90s`, `1d`, `2h30min`, `1 week`,
    /// optionally written `-2h` or `2h ago`.
    ///
    /// - Parameters:
    ///   - text: The value as given.
    ///   - now: The current wall-clock time (relative values count back from it).
    /// - Returns: The time, or nil when the value is not understood.
    public static func parse(_ text: String, now: EventTime) -> EventTime? {
        var s = text.trimmingWhitespace
        if s.isEmpty { return nil }
        if s.lowercased() == "now" { return now }
        if let absolute = parseAbsolute(s) { return absolute }
        if s.hasPrefix("-") { s.removeFirst() }
        if s.lowercased().hasSuffix(" ago") { s.removeLast(4) }
        guard let ms = parseDuration(s.trimmingWhitespace) else { return nil }
        return now.adding(milliseconds: -ms)
    }

    private static func parseAbsolute(_ s: String) -> EventTime? {
        var text = s
        if text.utf8.count == 10 { text += "T00:00:00Z" }
        else if text.utf8.count == 16 { text += ":00" }
        guard text.utf8.count >= 19 else { return nil }
        return text.withUTF8 { buffer -> EventTime? in
            guard let r = TimestampParser.parseISO(UnsafeRawBufferPointer(buffer)) else { return nil }
            return r.length == buffer.count ? r.time : nil
        }
    }

    /// Milliseconds of a duration such as `2h30min`, `90 s`, `1.5h`, `2 days`.
    static func parseDuration(_ s: String) -> Int64? {
        let units: [(names: [String], ms: Double)] = [
            (["ms", "msec"], 1),
            (["s", "sec", "secs", "second", "seconds"], 1000),
            (["m", "min", "mins", "minute", "minutes"], 60_000),
            (["h", "hr", "hrs", "hour", "hours"], 3_600_000),
            (["d", "day", "days"], 86_400_000),
            (["w", "week", "weeks"], 604_800_000),
        ]
        var chars = Array(s.lowercased())
        chars.removeAll { $0 == " " }
        var i = 0
        var total = 0.0
        var parts = 0
        while i < chars.count {
            var number = ""
            while i < chars.count, chars[i].isNumber || chars[i] == "." { number.append(chars[i]); i += 1 }
            var unit = ""
            while i < chars.count, chars[i].isLetter { unit.append(chars[i]); i += 1 }
            guard let value = Double(number), value >= 0 else { return nil }
            let factor: Double
            if unit.isEmpty {
                factor = 1000
            } else if let u = units.first(where: { $0.names.contains(unit) }) {
                factor = u.ms
            } else {
                return nil
            }
            total += value * factor
            parts += 1
        }
        guard parts > 0, total.isFinite, total < 1e15 else { return nil }
        return Int64(total.rounded())
    }
}

private extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
