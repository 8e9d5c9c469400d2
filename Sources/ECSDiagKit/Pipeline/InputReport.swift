/// What reading one input gave: volume, formats recognised, and the malformed records skipped.
public struct InputReport: Sendable {
    /// The input's path (`-` for standard input).
    public var path: String
    /// Bytes read (decompressed when the input was gzip).
    public var bytes: Int
    /// Records decoded.
    public var records: Int
    /// Human names of the formats detected in it.
    public var formats: [String]
    /// Problems per reason: count and up to 3 examples as `PATH:LINE: reason`.
    public var problems: [(reason: String, count: Int, examples: [String])]

    /// Creates a report.
    public init(path: String, bytes: Int, records: Int, formats: [String], problems: [(reason: String, count: Int, examples: [String])]) {
        self.path = path
        self.bytes = bytes
        self.records = records
        self.formats = formats
        self.problems = problems
    }

    /// Total skipped or flagged records.
    public var problemCount: Int { problems.reduce(0) { $0 + $1.count } }
}

/// The whole run's report, summarised on standard error at the end.
public struct PipelineReport: Sendable {
    /// Per input, in command-line order.
    public var inputs: [InputReport] = []
    /// Signals recognised.
    public var signals = 0
    /// Signals that arrived later than the allowed lateness and were dropped.
    public var lateSignals = 0
    /// Whether any CloudWatch application-log record was read (missing-logs judged only then).
    public var sawApplicationLogs = false

    /// Creates an empty report.
    public init() {}

    /// Total records decoded.
    public var records: Int { inputs.reduce(0) { $0 + $1.records } }
    /// Total bytes read.
    public var bytes: Int { inputs.reduce(0) { $0 + $1.bytes } }

    /// The end-of-run summary: per input with problems, counts and up to 3 examples each (`PATH:LINE: reason`).
    public var summary: String {
        var out = "ecsdiagd: read \(inputs.count) input(s), \(bytes) bytes, \(records) records, \(signals) signals"
        if lateSignals > 0 { out += ", \(lateSignals) late signals dropped (beyond the allowed lateness)" }
        out += "\n"
        for input in inputs where input.problemCount > 0 {
            out += "  \(TerminalText.sanitize(input.path)): \(input.problemCount) record(s) skipped or flagged\n"
            for p in input.problems {
                out += "    \(p.count) × \(p.reason)\n"
                for e in p.examples { out += "      \(TerminalText.sanitize(e, limit: 300))\n" }
            }
        }
        return out
    }
}

import LogDecoding

extension InputReport {
    /// Summarises what `reader` decoded from the input at `path`.
    init(reader: RecordReader, path: String) {
        let report = reader.report
        var problems: [(reason: String, count: Int, examples: [String])] = []
        for reason in MalformedReport.Reason.allCases where report.count(reason) > 0 {
            let examples = report.examples(reason).prefix(3).map { "\(path):\($0.line): \($0.reason) (\($0.detail))" }
            problems.append((reason.description, report.count(reason), Array(examples)))
        }
        self.init(
            path: path, bytes: reader.decodedBytes, records: reader.recordsDecoded,
            formats: reader.detectedFormats.sorted { $0.rawValue < $1.rawValue }.map(\.name), problems: problems
        )
    }
}
