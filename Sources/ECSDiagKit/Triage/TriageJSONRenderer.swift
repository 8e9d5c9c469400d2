import DiagnosisRules

/// Renders a ``TriageReport`` as one JSON document with a stable schema: members always present (`null` when
/// unknown), in the fixed order below, arrays in report order. Strings are escaped as by `JSONText.appendQuoted`
/// (quotes, backslashes, every control character) plus the bidirectional formatting characters; numbers are
/// printed by `JSONText.format`.
///
/// Schema (`schemaVersion` 1):
///
/// ```
/// {
///   "schemaVersion": 1,
///   "origin": "logs" | "journal",
///   "window": {"since": TIME|null, "until": TIME|null} | null,      // journal reports only
///   "span": {"start": TIME, "end": TIME} | null,                     // first evidence … last evidence/resolution
///   "headline": {
///     "text": STRING, "services": [STRING], "since": TIME|null,
///     "findings": INT, "firing": INT, "worst": INT|null               // worst = a finding's "number"
///   },
///   "findings": [{                                                   // the root-cause chain, by first evidence
///     "number": INT, "rule": RULE, "cause": CAUSE, "severity": "critical"|"error"|"warning",
///     "status": "firing"|"resolved", "cluster": STRING|null, "service": STRING|null,
///     "title": STRING, "consequence": STRING, "explanation": STRING,
///     "summary": STRING, "resolution": STRING|null,
///     "fix": STRING,                                                 // one line
///     "remediation": STRING,                                         // the exact fix, as the rule wrote it
///     "remediationParts": [{"kind": "prose"|"command"|"snippet", "text": STRING}],
///     "figures": [{"name": STRING, "value": STRING}],
///     "evidence": [{"time": TIME, "source": "PATH:LINE", "line": STRING}],
///     "taskIds": [STRING], "count": INT, "episodes": INT,
///     "firstSeen": TIME, "lastSeen": TIME, "firedAt": TIME, "resolvedAt": TIME|null,
///     "messageId": STRING
///   }],
///   "timelines": [{                                                  // per affected service, one entry per minute
///     "cluster": STRING|null, "service": STRING, "start": TIME, "minutes": INT,
///     "denials": [INT], "http5xx": [INT], "taskFailures": [INT],
///     "maxCpuPercent": [NUMBER|null], "logRecords": [INT]
///   }],
///   "checks": [{                                                     // the four rules, then report-wide limits
///     "subject": RULE | "timeline", "verdict": "found"|"fine"|"not-judged",
///     "checked": STRING|null, "notJudged": STRING|null, "findings": [INT], "basis": [STRING]
///   }],
///   "inputs": [{"path": STRING, "bytes": INT, "records": INT, "formats": [STRING], "problems": INT}]
/// }
/// ```
///
/// TIME is RFC 3339 UTC with milliseconds (`2026-11-20T09:00:12.301Z`); RULE is `access-denied`, `restart-loop`,
/// `saturation` or `missing-logs`; CAUSE is the `cause` of `ecsdiagd replay --output json`. New members may be
/// added at the end of an object; existing ones keep their name, type and position.
public struct TriageJSONRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The report as pretty-printed JSON (2-space indent, number arrays on one line), ending with a newline.
    public func render(_ r: TriageReport) -> String {
        var j = TriageJSONWriter()
        j.openObject()
        j.int("schemaVersion", 1)
        j.string("origin", r.origin.rawValue)
        if let w = r.window {
            j.openObject("window")
            j.string("since", w.since?.rfc3339)
            j.string("until", w.until?.rfc3339)
            j.closeObject()
        } else {
            j.null("window")
        }
        if let s = r.span {
            j.openObject("span")
            j.string("start", s.start.rfc3339)
            j.string("end", s.end.rfc3339)
            j.closeObject()
        } else {
            j.null("span")
        }
        j.openObject("headline")
        j.string("text", r.headline.text)
        j.strings("services", r.headline.services)
        j.string("since", r.headline.since?.rfc3339)
        j.int("findings", r.headline.findingCount)
        j.int("firing", r.headline.firingCount)
        j.int("worst", r.headline.worst)
        j.closeObject()

        j.openArray("findings")
        for f in r.findings {
            j.openObject()
            j.int("number", f.number)
            j.string("rule", f.rule.rawValue)
            j.string("cause", f.cause.rawValue)
            j.string("severity", f.severity.rawValue)
            j.string("status", f.status.rawValue)
            j.string("cluster", f.cluster)
            j.string("service", f.service)
            j.string("title", f.title)
            j.string("consequence", f.consequence)
            j.string("explanation", f.explanation)
            j.string("summary", f.summary)
            j.string("resolution", f.resolution)
            j.string("fix", f.fix)
            j.string("remediation", f.remediation)
            j.openArray("remediationParts")
            for p in RemediationText.parts(f.remediation) {
                j.openObject()
                j.string("kind", p.kind)
                j.string("text", p.text)
                j.closeObject()
            }
            j.closeArray()
            j.openArray("figures")
            for fig in f.figures {
                j.openObject()
                j.string("name", fig.name)
                j.string("value", fig.value)
                j.closeObject()
            }
            j.closeArray()
            j.openArray("evidence")
            for e in f.evidence {
                j.openObject()
                j.string("time", e.time.rfc3339)
                j.string("source", e.source)
                j.string("line", e.line)
                j.closeObject()
            }
            j.closeArray()
            j.strings("taskIds", f.taskIDs)
            j.int("count", f.count)
            j.int("episodes", f.episodes)
            j.string("firstSeen", f.firstSeen.rfc3339)
            j.string("lastSeen", f.lastSeen.rfc3339)
            j.string("firedAt", f.firedAt.rfc3339)
            j.string("resolvedAt", f.resolvedAt?.rfc3339)
            j.string("messageId", f.messageID)
            j.closeObject()
        }
        j.closeArray()

        j.openArray("timelines")
        for t in r.timelines {
            j.openObject()
            j.string("cluster", t.cluster)
            j.string("service", t.service)
            j.string("start", t.start.rfc3339)
            j.int("minutes", t.minutes.count)
            j.numbers("denials", t.minutes.map { Double($0.denials) })
            j.numbers("http5xx", t.minutes.map { Double($0.http5xx) })
            j.numbers("taskFailures", t.minutes.map { Double($0.taskFailures) })
            j.numbers("maxCpuPercent", t.minutes.map(\.maxCPUPercent))
            j.numbers("logRecords", t.minutes.map { Double($0.logRecords) })
            j.closeObject()
        }
        j.closeArray()

        j.openArray("checks")
        for c in r.checks {
            j.openObject()
            j.string("subject", c.subject.name)
            j.string("verdict", c.verdict.rawValue)
            j.string("checked", c.checked)
            j.string("notJudged", c.notJudged)
            j.numbers("findings", c.findings.map(Double.init))
            j.strings("basis", c.basis)
            j.closeObject()
        }
        j.closeArray()

        j.openArray("inputs")
        for i in r.inputs {
            j.openObject()
            j.string("path", i.path)
            j.int("bytes", i.bytes)
            j.int("records", i.records)
            j.strings("formats", i.formats)
            j.int("problems", i.problems)
            j.closeObject()
        }
        j.closeArray()
        j.closeObject()
        return j.text + "\n"
    }
}

/// A pretty-printing JSON builder with a fixed member order (like `JSONText`, which it reuses for escaping and
/// numbers), adding arrays of numbers and of strings on one line.
struct TriageJSONWriter {
    private(set) var text = ""
    private var needsComma: [Bool] = [false]

    private var indent: String { String(repeating: "  ", count: needsComma.count - 1) }

    private mutating func begin(_ key: String?) {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
        if needsComma.count > 1 { text += "\n" + indent }
        if let key {
            Self.appendQuoted(key, to: &text)
            text += ": "
        }
    }

    mutating func openObject(_ key: String? = nil) {
        begin(key)
        text += "{"
        needsComma.append(false)
    }

    mutating func closeObject() { close("}") }

    mutating func openArray(_ key: String) {
        begin(key)
        text += "["
        needsComma.append(false)
    }

    mutating func closeArray() { close("]") }

    private mutating func close(_ bracket: String) {
        let hadMembers = needsComma.removeLast()
        if hadMembers { text += "\n" + indent }
        text += bracket
    }

    mutating func string(_ key: String, _ value: String?) {
        begin(key)
        if let value { Self.appendQuoted(value, to: &text) } else { text += "null" }
    }

    mutating func int(_ key: String, _ value: Int?) {
        begin(key)
        text += value.map(String.init) ?? "null"
    }

    mutating func null(_ key: String) {
        begin(key)
        text += "null"
    }

    mutating func strings(_ key: String, _ values: [String]) {
        begin(key)
        text += "["
        for (i, v) in values.enumerated() {
            if i > 0 { text += ", " }
            Self.appendQuoted(v, to: &text)
        }
        text += "]"
    }

    /// `JSONText.appendQuoted`, plus the bidirectional formatting characters (U+061C, U+200E/F, U+202A–202E,
    /// U+2066–2069) as `\u` escapes, so a log line cannot reorder what a person sees in `cat report.json`.
    static func appendQuoted(_ s: String, to out: inout String) {
        guard s.unicodeScalars.contains(where: isBidi) else {
            JSONText.appendQuoted(s, to: &out)
            return
        }
        var inner = ""
        JSONText.appendQuoted(s, to: &inner)
        var escaped = ""
        for scalar in inner.unicodeScalars {
            if isBidi(scalar) {
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        out += escaped
    }

    private static func isBidi(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v == 0x061C || v == 0x200E || v == 0x200F || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    mutating func numbers(_ key: String, _ values: [Double?]) {
        begin(key)
        text += "["
        for (i, v) in values.enumerated() {
            if i > 0 { text += "," }
            if let v, v.isFinite { text += JSONText.format(v) } else { text += "null" }
        }
        text += "]"
    }
}
