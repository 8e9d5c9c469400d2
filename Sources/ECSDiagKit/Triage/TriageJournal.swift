import DiagnosisRules
import SystemdJournal

/// Reads the ecsdiagd daemon's alerts back from the systemd journal for `ecsdiagd triage --journal`: entries with
/// `SYSLOG_IDENTIFIER=ecsdiagd` and one of the four rules' `MESSAGE_ID`s, rebuilt into alert transitions with
/// `AlertJournalEntry.transition(from:)`.
public enum TriageJournal {
    /// Most entries read (bounds memory; the daemon journals transitions, not records, so this is generous).
    public static let maximumEntries = 100_000

    /// Reads the transitions journaled within the window, in journal order.
    ///
    /// - Parameters:
    ///   - window: Reception-time window (`--since`, `--until`); nil ends mean the journal's head or tail.
    ///   - additionalMatches: Further `FIELD=value` matches ANDed with the rest (for example
    ///     `ECSDIAG_SERVICE=orders-api`).
    ///   - directory: A directory of `.journal` files to read instead of the local machine's journal.
    /// - Returns: The transitions, and how many matching entries could not be rebuilt.
    /// - Throws: `JournalError` when the journal cannot be opened or read.
    public static func transitions(
        window: TriageWindow, additionalMatches: [JournalField] = [], directory: String? = nil
    ) throws(JournalError) -> (transitions: [AlertTransition], unreadable: Int) {
        let reader: JournalReader
        if let directory { reader = try JournalReader(directory: directory) } else { reader = try JournalReader() }
        for rule in RuleID.allCases {
            try reader.addMatch(JournalField(name: "MESSAGE_ID", value: rule.messageID))
        }
        try reader.addMatch(JournalField(name: "SYSLOG_IDENTIFIER", value: AlertJournalEntry.syslogIdentifier))
        for m in additionalMatches { try reader.addMatch(m) }
        let entries = try reader.entries(
            sinceMicroseconds: window.since.map(microseconds), untilMicroseconds: window.until.map(microseconds),
            limit: maximumEntries)
        var out: [AlertTransition] = []
        var unreadable = 0
        for entry in entries {
            if let t = AlertJournalEntry.transition(from: entry.fields) { out.append(t) } else { unreadable += 1 }
        }
        return (out, unreadable)
    }

    private static func microseconds(_ t: EventTime) -> UInt64 {
        UInt64(max(t.milliseconds, 0)) * 1000
    }
}
