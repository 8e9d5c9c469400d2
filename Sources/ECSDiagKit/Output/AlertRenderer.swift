import DiagnosisRules

/// Renders alert transitions for `ecsdiagd replay`: JSON Lines per the command-line contract, or text for people.
public enum AlertRenderer {
    /// One JSON object (no trailing newline) with the contract's fields in the contract's order.
    public static func json(_ t: AlertTransition) -> String {
        var j = JSONText()
        j.openObject()
        j.string("rule", t.rule.rawValue)
        j.string("status", t.status.rawValue)
        j.string("severity", t.severity.rawValue)
        j.string("cause", t.cause.rawValue)
        j.string("cluster", t.cluster)
        j.string("service", t.service)
        j.openArray("taskIds")
        for id in t.taskIDs { j.element(id) }
        j.closeArray()
        j.string("firstSeen", t.firstSeen.rfc3339)
        j.string("lastSeen", t.lastSeen.rfc3339)
        j.string("at", t.at.rfc3339)
        j.int("count", t.count)
        j.string("summary", t.summary)
        j.openArray("evidence")
        for e in t.evidence.prefix(5) {
            j.openObject()
            j.string("time", e.time.rfc3339)
            j.string("source", e.source)
            j.string("line", e.line)
            j.closeObject()
        }
        j.closeArray()
        j.string("remediation", t.remediation)
        j.string("messageId", t.messageID)
        j.closeObject()
        return j.text
    }

    /// A few lines for a terminal: status, rule, cause, service, summary, evidence and fix. Log text is escaped.
    public static func text(_ t: AlertTransition) -> String {
        let where_ = "\(t.cluster ?? "-")/\(t.service ?? "-")"
        var out = "\(t.at.rfc3339) \(t.status.rawValue.uppercased()) \(t.rule.rawValue) [\(t.severity.rawValue)] "
        out += "cause=\(t.cause.rawValue) service=\(TerminalText.sanitize(where_)) count=\(t.count)\n"
        out += "  \(TerminalText.sanitize(t.summary))\n"
        if t.status == .firing {
            for e in t.evidence.prefix(5) {
                out += "  evidence \(e.time.rfc3339) \(TerminalText.sanitize(e.source)): \(TerminalText.sanitize(e.line, limit: 240))\n"
            }
            let fix = TerminalText.sanitize(t.remediation, keepNewlines: true, limit: 4000)
                .split(separator: "\n", omittingEmptySubsequences: false)
                .map { "    " + $0 }
                .joined(separator: "\n")
            out += "  fix:\n\(fix)\n"
        }
        return out
    }
}
