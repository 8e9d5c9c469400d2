import DiagnosisRules
import SystemdJournal

/// Maps an alert transition to the journal fields the daemon writes (one entry per transition).
///
/// Values taken from logs are untrusted: every value goes through `JournalValueSanitizer` (length cap,
/// control characters escaped; newlines kept only in `ECSDIAG_EVIDENCE` and `ECSDIAG_REMEDIATION`).
public enum AlertJournalEntry {
    /// `SYSLOG_IDENTIFIER` of every entry.
    public static let syslogIdentifier = "ecsdiagd"

    /// The journal priority of a transition: the rule's severity when firing (critical 2, error 3,
    /// warning 4), notice (5) when resolved.
    public static func priority(of t: AlertTransition) -> Int {
        t.status == .resolved ? 5 : t.severity.journalPriority
    }

    /// The one-line human `MESSAGE`.
    public static func message(of t: AlertTransition) -> String {
        let target = [t.cluster, t.service].compactMap { $0 }.joined(separator: "/")
        return "\(t.rule.rawValue) \(t.status.rawValue) (\(t.cause.rawValue)) \(target.isEmpty ? "unknown service" : target): \(t.summary)"
    }

    /// The fields of the entry, in a fixed order.
    public static func fields(of t: AlertTransition) -> [JournalField] {
        let line = JournalValueSanitizer(maximumByteCount: 2048, allowsNewlines: false)
        let block = JournalValueSanitizer(maximumByteCount: 8192, allowsNewlines: true)
        let evidence = t.evidence.prefix(5).map { "\($0.time.rfc3339) \($0.source): \($0.line)" }.joined(separator: "\n")
        return [
            JournalField(name: "MESSAGE", value: line.sanitize(message(of: t))),
            JournalField(name: "PRIORITY", value: String(priority(of: t))),
            JournalField(name: "MESSAGE_ID", value: t.messageID),
            JournalField(name: "SYSLOG_IDENTIFIER", value: syslogIdentifier),
            JournalField(name: "ECSDIAG_RULE", value: t.rule.rawValue),
            JournalField(name: "ECSDIAG_STATUS", value: t.status.rawValue),
            JournalField(name: "ECSDIAG_SEVERITY", value: t.severity.rawValue),
            JournalField(name: "ECSDIAG_CAUSE", value: t.cause.rawValue),
            JournalField(name: "ECSDIAG_CLUSTER", value: line.sanitize(t.cluster ?? "")),
            JournalField(name: "ECSDIAG_SERVICE", value: line.sanitize(t.service ?? "")),
            JournalField(name: "ECSDIAG_TASK_IDS", value: line.sanitize(t.taskIDs.joined(separator: " "))),
            JournalField(name: "ECSDIAG_FIRST_SEEN", value: t.firstSeen.rfc3339),
            JournalField(name: "ECSDIAG_LAST_SEEN", value: t.lastSeen.rfc3339),
            JournalField(name: "ECSDIAG_AT", value: t.at.rfc3339),
            JournalField(name: "ECSDIAG_COUNT", value: String(t.count)),
            JournalField(name: "ECSDIAG_SUMMARY", value: line.sanitize(t.summary)),
            JournalField(name: "ECSDIAG_EVIDENCE", value: block.sanitize(evidence)),
            JournalField(name: "ECSDIAG_REMEDIATION", value: block.sanitize(t.remediation)),
            JournalField(name: "ECSDIAG_ALERT_ID", value: AlertIdentity.id(of: t)),
        ]
    }

    /// Rebuilds a transition from a journal entry written by `fields(of:)` (for `triage --journal`).
    /// Returns nil for entries that are not ecsdiagd alerts.
    public static func transition(from fields: [String: String]) -> AlertTransition? {
        guard let rule = fields["ECSDIAG_RULE"].flatMap(RuleID.init(rawValue:)),
              let status = fields["ECSDIAG_STATUS"].flatMap(AlertStatus.init(rawValue:)),
              let cause = fields["ECSDIAG_CAUSE"].flatMap(Cause.init(rawValue:)),
              let first = fields["ECSDIAG_FIRST_SEEN"].flatMap(parseTime),
              let last = fields["ECSDIAG_LAST_SEEN"].flatMap(parseTime)
        else { return nil }
        let at = fields["ECSDIAG_AT"].flatMap(parseTime) ?? last
        let evidence: [Evidence] = (fields["ECSDIAG_EVIDENCE"] ?? "").split(separator: "\n").compactMap { row in
            let parts = row.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let time = parseTime(String(parts[0])) else { return nil }
            let rest = Array(parts[1])
            // `PATH:LINE: text` — the first ": " after the source separates it from the line.
            var i = 0
            while i + 1 < rest.count, !(rest[i] == ":" && rest[i + 1] == " ") { i += 1 }
            guard i + 1 < rest.count else { return Evidence(time: time, source: String(rest), line: "") }
            return Evidence(time: time, source: String(rest[..<i]), line: String(rest[(i + 2)...]))
        }
        func nonEmpty(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }
        return AlertTransition(
            rule: rule, status: status, cause: cause, cluster: nonEmpty(fields["ECSDIAG_CLUSTER"]),
            service: nonEmpty(fields["ECSDIAG_SERVICE"]),
            taskIDs: (fields["ECSDIAG_TASK_IDS"] ?? "").split(separator: " ").map(String.init),
            firstSeen: first, lastSeen: last, at: at, count: Int(fields["ECSDIAG_COUNT"] ?? "") ?? 0,
            summary: fields["ECSDIAG_SUMMARY"] ?? "", evidence: evidence,
            remediation: fields["ECSDIAG_REMEDIATION"] ?? ""
        )
    }

    private static func parseTime(_ s: String) -> EventTime? {
        var copy = s
        return copy.withUTF8 { TimestampParser.parseISO(UnsafeRawBufferPointer($0))?.time }
    }
}
