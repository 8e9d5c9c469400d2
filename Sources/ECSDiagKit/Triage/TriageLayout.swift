#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal the text report is written to: its width and whether colour may be used.
public struct TriageTerminal: Sendable, Equatable {
    /// Columns to lay the report out in.
    public var width: Int
    /// Whether ANSI colour may be used.
    public var color: Bool

    /// The default width when neither `COLUMNS` nor the terminal says.
    public static let defaultWidth = 100

    /// Creates a terminal description.
    public init(width: Int, color: Bool) {
        self.width = width
        self.color = color
    }

    /// Detects the standard-output terminal: width from `COLUMNS`, else `TIOCGWINSZ` when standard output is a
    /// terminal, else 100 (clamped to 60…300); colour only when standard output is a terminal and `NO_COLOR` is
    /// unset (https://no-color.org) and `TERM` is not `dumb`.
    public static func detect(environment: [String: String]? = nil) -> TriageTerminal {
        let env = environment ?? currentEnvironment()
        let isTerminal = isatty(1) == 1
        var width = defaultWidth
        if let c = env["COLUMNS"], let n = Int(c), n > 0 {
            width = n
        } else if isTerminal {
            var size = winsize()
            let result = withUnsafeMutablePointer(to: &size) { ioctl(1, UInt(TIOCGWINSZ), $0) }
            if result == 0, size.ws_col > 0 { width = Int(size.ws_col) }
        }
        let noColor = env["NO_COLOR"].map { !$0.isEmpty } ?? false
        let color = isTerminal && !noColor && env["TERM"] != "dumb"
        return TriageTerminal(width: min(max(width, 60), 300), color: color)
    }

    private static func currentEnvironment() -> [String: String] {
        var out: [String: String] = [:]
        for name in ["COLUMNS", "NO_COLOR", "TERM"] {
            if let v = getenv(name) { out[name] = String(cString: v) }
        }
        return out
    }
}

/// Word wrapping and column layout for the text report (widths counted in characters).
enum TextLayout {
    /// Wraps `text` to lines of at most `width` characters, breaking at spaces; words longer than the width are cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(width, 8)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineCount = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var w = Substring(word)
                while w.count > width {
                    if lineCount > 0 { lines.append(line); line = ""; lineCount = 0 }
                    lines.append(String(w.prefix(width)))
                    w = w.dropFirst(width)
                }
                if w.isEmpty { continue }
                let n = w.count
                if lineCount == 0 {
                    line = String(w)
                    lineCount = n
                } else if lineCount + 1 + n <= width {
                    line += " " + w
                    lineCount += 1 + n
                } else {
                    lines.append(line)
                    line = String(w)
                    lineCount = n
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// Pads `s` with spaces to `width` characters.
    static func pad(_ s: String, _ width: Int) -> String {
        let n = s.count
        return n >= width ? s : s + String(repeating: " ", count: width - n)
    }

    /// Right-aligns `s` in `width` characters.
    static func padLeft(_ s: String, _ width: Int) -> String {
        let n = s.count
        return n >= width ? s : String(repeating: " ", count: width - n) + s
    }

    /// Cuts `s` to `width` characters with an ellipsis.
    static func truncate(_ s: String, _ width: Int) -> String {
        s.count <= width ? s : String(s.prefix(max(width - 1, 0))) + "…"
    }

    /// Cuts `s` to `width` characters in the middle, keeping its start and its end (`PATH:LINE` keeps the line).
    static func truncateMiddle(_ s: String, _ width: Int) -> String {
        guard s.count > width, width > 8 else { return s }
        let tail = (width - 1) * 2 / 3
        return String(s.prefix(width - 1 - tail)) + "…" + String(s.suffix(tail))
    }

    /// Lays out rows of cells in columns of the given widths, each cell wrapped; columns separated by two spaces.
    static func table(_ rows: [[String]], widths: [Int], indent: String = "") -> [String] {
        var out: [String] = []
        for row in rows {
            let wrapped = zip(row, widths).map { wrap($0, width: $1) }
            let height = wrapped.map(\.count).max() ?? 0
            for i in 0..<height {
                var line = indent
                for (c, cell) in wrapped.enumerated() {
                    let text = i < cell.count ? cell[i] : ""
                    line += c == wrapped.count - 1 ? text : pad(text, widths[c]) + "  "
                }
                out.append(line.trimmingTrailingSpaces)
            }
        }
        return out
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

/// Compact text charts of a timeline: one sparkline row per measure, minutes bucketed to fit.
public enum TriageChart {
    /// The eight block levels.
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Minutes per column so that `minutes` fit in `columns`.
    public static func bucketMinutes(minutes: Int, columns: Int) -> Int {
        guard columns > 0 else { return max(minutes, 1) }
        return max(1, (minutes + columns - 1) / columns)
    }

    /// Buckets a series: sums (counts) or maxima (CPU); nil when nothing was measured in the bucket.
    static func bucket(_ series: TriageSeries, size: Int) -> [Double?] {
        guard size > 1 else { return series.values }
        var out: [Double?] = []
        var i = 0
        while i < series.values.count {
            let slice = series.values[i..<min(i + size, series.values.count)].compactMap { $0 }
            if slice.isEmpty {
                out.append(nil)
            } else {
                out.append(series.measure.aggregatesByMaximum ? slice.max()! : slice.reduce(0, +))
            }
            i += size
        }
        return out
    }

    /// One sparkline: `·` for zero or unmeasured, `▁…█` scaled to the row's maximum (any non-zero value shows).
    static func sparkline(_ values: [Double?], maximum: Double? = nil) -> String {
        let top = maximum ?? values.compactMap { $0 }.max() ?? 0
        var s = ""
        for v in values {
            guard let v, v > 0, top > 0 else { s.append(v == nil ? " " : "·"); continue }
            let level = Int((v / top * Double(blocks.count)).rounded(.up)) - 1
            s.append(blocks[min(max(level, 0), blocks.count - 1)])
        }
        return s
    }

    /// The chart of a timeline in `width` columns: a time axis, one row per measure with its peak and total.
    ///
    /// ```
    ///               09:00                                          12:25   1 column = 3 min
    ///   denials     ▂█▃·····································               peak 14   total 38
    /// ```
    public static func render(_ timeline: TriageTimeline, width: Int) -> [String] {
        let labelWidth = 12
        let series = timeline.series
        var reserve = 20
        var size = 1
        var rows: [(label: String, values: [Double?], stats: String, series: TriageSeries)] = []
        // The statistics column's width depends on the bucket size and the bucket size on the room left: widen the
        // reservation until both fit.
        for _ in 0..<8 {
            let columns = max(width - 2 - labelWidth - 2 - reserve, 10)
            size = bucketMinutes(minutes: timeline.minutes.count, columns: columns)
            rows = series.map { s in
                let values = bucket(s, size: size)
                return (s.measure.label, values, stats(s, values: values, size: size), s)
            }
            let need = max(rows.map { $0.stats.count }.max() ?? 0, axisNote(size).count)
            if need <= reserve { break }
            reserve = need
        }
        let buckets = (timeline.minutes.count + size - 1) / size
        var lines: [String] = []
        let startLabel = TriageTime.minute(timeline.start)
        let endLabel = TriageTime.minute(timeline.end)
        var axis = startLabel
        let gap = buckets - startLabel.count - endLabel.count
        if gap >= 1 { axis += String(repeating: " ", count: gap) + endLabel }
        lines.append(String(repeating: " ", count: 2 + labelWidth) + TextLayout.pad(axis, buckets) + "  " + axisNote(size))
        for row in rows {
            let spark = row.series.measure.aggregatesByMaximum ? sparkline(row.values, maximum: 100) : sparkline(row.values)
            lines.append("  " + TextLayout.pad(row.label, labelWidth) + TextLayout.pad(spark, buckets) + "  " + row.stats)
        }
        return lines
    }

    private static func axisNote(_ size: Int) -> String {
        size == 1 ? "1 column = 1 min" : "1 column = \(size) min"
    }

    private static func stats(_ series: TriageSeries, values: [Double?], size: Int) -> String {
        let measured = series.values.compactMap { $0 }
        if series.measure.aggregatesByMaximum {
            return measured.isEmpty ? "not measured" : "peak \(JSONText.format(((measured.max() ?? 0) * 10).rounded() / 10)) %"
        }
        let total = measured.reduce(0, +)
        let peak = values.compactMap { $0 }.max() ?? 0
        return total == 0 ? "none" : "peak \(JSONText.format(peak))\(size > 1 ? "/col" : "/min")  total \(JSONText.format(total))"
    }
}
