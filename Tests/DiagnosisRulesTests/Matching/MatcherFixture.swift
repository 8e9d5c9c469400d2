@testable import DiagnosisRules

/// Builds records from text and runs the matcher over them.
enum MatcherFixture {
    /// The event time every fixture record carries.
    static let time = EventTime(milliseconds: 1_795_000_000_000)

    /// `text` as the inside of a JSON string, the way a CloudWatch `message` field carries it.
    static func jsonEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Matches `text` as one record of `kind`; `escaped` hands the matcher the JSON-escaped bytes.
    static func match(
        _ text: String, kind: RecordKind = .applicationLog, escaped: Bool = false, matcher: SignalMatcher = .init(),
        time: EventTime? = MatcherFixture.time, logGroup: String = "", logStream: String = "", task: TaskID? = nil
    ) -> Signal? {
        let payload = Array((escaped ? jsonEscaped(text) : text).utf8)
        let group = Array(logGroup.utf8)
        let stream = Array(logStream.utf8)
        return payload.withUnsafeBytes { p in
            group.withUnsafeBytes { g in
                stream.withUnsafeBytes { s in
                    let record = RecordView(
                        time: time, source: SourceRef(input: 0, line: 7), kind: kind, payload: p,
                        payloadIsJSONEscaped: escaped, logGroup: g, logStream: s, task: task)
                    return matcher.match(record) { "fixture.log:7" }
                }
            }
        }
    }

    /// Runs `body` with `text` as a parser's ``SignalMatcher/Text``.
    static func withText<R>(_ text: String, _ body: (SignalMatcher.Text) throws -> R) rethrows -> R {
        try Array(text.utf8).withUnsafeBytes { try body(SignalMatcher.Text($0)) }
    }

    /// Runs `body` with the bytes of `text`.
    static func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Array(text.utf8).withUnsafeBytes(body)
    }
}
