/// Something that writes structured entries to the systemd journal (or to a stand-in for tests).
///
/// ``SystemdJournalWriter`` is the real implementation; ``InMemoryJournalWriter`` records entries and can be told
/// to fail, for tests. The daemon keeps undelivered entries in its checkpointed outbox (`DaemonLoop`), not here.
public protocol JournalWriter: Sendable {
    /// Writes one entry.
    ///
    /// - Parameter fields: The entry's fields, in order. Field names must satisfy ``JournalField/isValidName(_:)``.
    /// - Throws: ``JournalError/invalidFieldName(_:)`` or ``JournalError/emptyEntry`` for a malformed entry (never
    ///   worth retrying), ``JournalError/sendFailed(errno:)`` when the journal is unavailable (worth retrying).
    func send(_ fields: [JournalField]) throws(JournalError)
}
