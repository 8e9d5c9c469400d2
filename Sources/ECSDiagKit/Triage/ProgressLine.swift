#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress line for long inputs: bytes and records read, rate and an estimate of the time left, redrawn in place
/// with `\r` at most 4 times a second. Written only when the output is a terminal; otherwise every call does nothing.
///
/// The estimate compares bytes read with the inputs' total size on disk; gzip inputs decompress to more bytes than
/// they occupy, so the fraction is capped below 100 % and the estimate is a rough one.
public final class ProgressLine {
    private let output: FileOutput
    private let enabled: Bool
    private let totalBytes: Int
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant?
    private var drawn = false
    /// Minimum time between two redraws.
    public static let interval = Duration.milliseconds(250)

    /// Creates a progress line on `output` (standard error by default).
    ///
    /// - Parameters:
    ///   - totalBytes: Total size of the inputs (0 when unknown: no estimate).
    ///   - output: Where to draw.
    ///   - enabled: Whether to draw at all; by default only when `output` is a terminal.
    public init(totalBytes: Int, output: FileOutput = .standardError, enabled: Bool? = nil) {
        self.output = output
        self.enabled = enabled ?? output.isTerminal
        self.totalBytes = totalBytes
        self.start = .now
    }

    /// Total size of the regular files among `paths` (standard input and unreadable paths count 0).
    public static func totalSize(of paths: [String]) -> Int {
        paths.reduce(0) { sum, path in
            guard path != "-" else { return sum }
            var st = stat()
            return stat(path, &st) == 0 ? sum + Int(st.st_size) : sum
        }
    }

    /// Reports progress; redraws when at least ``interval`` has passed since the last draw.
    public func update(bytes: Int, records: Int) {
        guard enabled else { return }
        let now = ContinuousClock.now
        if let last = lastDraw, now - last < Self.interval { return }
        lastDraw = now
        let elapsed = Self.seconds(now - start)
        output.write("\r" + Self.line(bytes: bytes, records: records, elapsedSeconds: elapsed, totalBytes: totalBytes) + "\u{1B}[K")
        drawn = true
    }

    /// Clears the line (call before writing the report).
    public func finish() {
        guard enabled, drawn else { return }
        output.write("\r\u{1B}[K")
        drawn = false
    }

    /// The text of the line: `read 412.0 MiB, 3120000 records, 96.3 MiB/s, ~7 s left`.
    public static func line(bytes: Int, records: Int, elapsedSeconds: Double, totalBytes: Int) -> String {
        var s = "ecsdiagd: read \(TriageTextRenderer.bytes(bytes)), \(records) records"
        guard elapsedSeconds > 0.05 else { return s }
        let rate = Double(bytes) / elapsedSeconds
        s += ", \(TriageTextRenderer.bytes(Int(rate)))/s"
        if totalBytes > 0, rate > 0 {
            let fraction = min(Double(bytes) / Double(totalBytes), 0.99)
            let left = max(Double(totalBytes - bytes), Double(totalBytes) * (1 - fraction) * 0.05) / rate
            s += ", \(Int((fraction * 100).rounded(.down))) %, ~\(TriageTime.duration(milliseconds: Int64(left * 1000))) left"
        }
        return s
    }

    private static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
