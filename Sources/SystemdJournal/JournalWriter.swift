/// Something that writes structured entries to the systemd journal (or to a stand-in for tests).
///
/// ``SystemdJournalWriter`` is the real implementation; ``InMemoryJournalWriter`` records entries and can be told
/// to fail, for tests. ``BufferedJournalSink`` puts a bounded retry queue in front of any writer.
public protocol JournalWriter: Sendable {
    /// Writes one entry.
    ///
    /// - Parameter fields: The entry's fields, in order. Field names must satisfy ``JournalField/isValidName(_:)``.
    /// - Throws: ``JournalError/invalidFieldName(_:)`` or ``JournalError/emptyEntry`` for a malformed entry (never
    ///   worth retrying), ``JournalError/sendFailed(errno:)`` when the journal is unavailable (worth retrying).
    func send(_ fields: [JournalField]) throws(JournalError)
}
