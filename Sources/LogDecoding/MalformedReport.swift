/// What a reader could not decode, counted per reason with a few examples, and what it deliberately ignored.
///
/// Malformed input never stops a reader: the bad record is skipped (or, for invalid UTF-8, kept and counted)
/// and decoding continues with the next one.
public struct MalformedReport: Sendable, Equatable, CustomStringConvertible {
    /// Why a record was counted.
    public enum Reason: UInt8, CaseIterable, Sendable, CustomStringConvertible {
        /// A line starting with `{` that is not a JSON object, or a JSON document that ends early or has a
        /// syntax error. The record is skipped.
        case brokenJSON
        /// A gzip input (or embedded payload) that ends inside a member or is corrupt. Everything decoded
        /// before the damage is kept.
        case truncatedGzip
        /// A record that is not valid UTF-8. It is still yielded; counted once per record.
        case invalidUTF8
        /// Binary data (NUL bytes, mostly control bytes or mostly invalid UTF-8). Skipped; a run of
        /// consecutive binary lines counts once.
        case binaryData
        /// A record longer than ``DecoderOptions/maxRecordBytes``. Skipped.
        case recordTooLong
        /// A JSON document (multi-line object, array, embedded payload) of no known shape. Skipped.
        case unknownJSONDocument
        /// The source threw an I/O error; the input ends there.
        case readError

        public var description: String {
            switch self {
            case .brokenJSON: "broken JSON"
            case .truncatedGzip: "truncated gzip"
            case .invalidUTF8: "invalid UTF-8"
            case .binaryData: "binary data"
            case .recordTooLong: "record too long"
            case .unknownJSONDocument: "unknown JSON document"
            case .readError: "read error"
            }
        }
    }

    /// One counted occurrence, kept as an example.
    public struct Example: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line (in the decompressed input) where the record starts.
        public var line: Int64
        /// Why it was counted.
        public var reason: Reason
        /// What exactly was wrong, e.g. "line ends inside a string".
        public var detail: String

        public init(line: Int64, reason: Reason, detail: String) {
            self.line = line
            self.reason = reason
            self.detail = detail
        }

        public var description: String { "line \(line): \(reason) (\(detail))" }
    }

    private var countsByReason = [Int](repeating: 0, count: Reason.allCases.count)
    /// Up to ``DecoderOptions/maxExamplesPerReason`` examples per reason, in input order.
    public private(set) var examples: [Example] = []
    /// Subscription `CONTROL_MESSAGE`s recognised and skipped (not malformed).
    public internal(set) var ignoredControlMessages = 0
    /// Non-event rows of `--output text` tables (`SERVICES`, `DEPLOYMENTS`, …) skipped (not malformed).
    public internal(set) var ignoredTableRows = 0

    /// Creates an empty report.
    public init() {}

    /// How many records were counted for `reason`.
    public func count(_ reason: Reason) -> Int { countsByReason[Int(reason.rawValue)] }

    /// The examples kept for `reason`.
    public func examples(_ reason: Reason) -> [Example] { examples.filter { $0.reason == reason } }

    /// The total count over all reasons (ignored messages excluded).
    public var total: Int { countsByReason.reduce(0, +) }

    /// Whether nothing malformed was seen.
    public var isEmpty: Bool { total == 0 }

    /// Counts one occurrence; keeps it as an example while fewer than `maxExamples` are kept for its reason.
    public mutating func record(_ reason: Reason, line: Int64, detail: @autoclosure () -> String, maxExamples: Int = 3)
    {
        let i = Int(reason.rawValue)
        if countsByReason[i] < maxExamples {
            examples.append(Example(line: line, reason: reason, detail: detail()))
        }
        countsByReason[i] += 1
    }

    public var description: String {
        var parts: [String] = []
        for r in Reason.allCases where count(r) > 0 {
            let lines = examples(r).map { String($0.line) }.joined(separator: ", ")
            parts.append("\(r): \(count(r)) (e.g. line \(lines))")
        }
        if ignoredControlMessages > 0 { parts.append("ignored CONTROL_MESSAGE: \(ignoredControlMessages)") }
        if ignoredTableRows > 0 { parts.append("ignored table rows: \(ignoredTableRows)") }
        return parts.isEmpty ? "no malformed input" : parts.joined(separator: "; ")
    }
}
