#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// Writes entries to the local systemd journal with `sd_journal_sendv(3)`.
///
/// Each field becomes one `iovec` holding `NAME=value`. `sd_journal_sendv` (unlike the C-variadic
/// `sd_journal_send`, which Swift cannot call) is binary-safe and switches to journald's length-prefixed
/// serialisation by itself when a value contains a newline, so multi-line values arrive intact.
///
/// The writer is stateless apart from its default fields; libsystemd keeps one datagram socket per process.
/// Sending does not add `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`.
public struct SystemdJournalWriter: JournalWriter {
    /// Fields appended to every entry that does not already contain a field with the same name,
    /// e.g. `SYSLOG_IDENTIFIER=ecsdiagd` so that `journalctl -t ecsdiagd` finds the entries.
    public let defaultFields: [JournalField]

    /// Creates a writer.
    ///
    /// - Parameter syslogIdentifier: Value of the `SYSLOG_IDENTIFIER` field added to entries that lack one, or `nil`
    ///   to add none.
    public init(syslogIdentifier: String? = "ecsdiagd") {
        self.defaultFields = syslogIdentifier.map { [JournalField(name: "SYSLOG_IDENTIFIER", value: $0)] } ?? []
    }

    /// Creates a writer that appends the given fields to entries that lack them.
    ///
    /// - Parameter defaultFields: Fields added to every entry that has no field of the same name.
    public init(defaultFields: [JournalField]) {
        self.defaultFields = defaultFields
    }

    /// Sends one entry to journald.
    ///
    /// - Parameter fields: The entry's fields. Names are validated before anything is sent.
    /// - Throws: ``JournalError/invalidFieldName(_:)``, ``JournalError/emptyEntry``, or
    ///   ``JournalError/sendFailed(errno:)`` (for example `ENOENT` when `/run/systemd/journal/socket` is missing).
    public func send(_ fields: [JournalField]) throws(JournalError) {
        var all = fields
        for field in defaultFields where !fields.contains(where: { $0.name == field.name }) {
            all.append(field)
        }
        try JournalField.validate(all)
        // sd_journal_sendv returns 0 when the socket does not exist ("fail silently if the journal is not
        // available", journal-send.c): check for it, so that the caller can queue the entry.
        var info = stat()
        if stat("/run/systemd/journal/socket", &info) != 0 { throw .sendFailed(errno: errno) }

        // One contiguous buffer of "NAME=value" records; the iovecs point into it.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(all.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 1 })
        var lengths: [Int] = []
        lengths.reserveCapacity(all.count)
        for field in all {
            let start = bytes.count
            bytes.append(contentsOf: field.name.utf8)
            bytes.append(UInt8(ascii: "="))
            bytes.append(contentsOf: field.value.utf8)
            lengths.append(bytes.count - start)
        }

        let result: Int32 = bytes.withUnsafeMutableBytes { buffer in
            var vectors: [iovec] = []
            vectors.reserveCapacity(lengths.count)
            var offset = 0
            for length in lengths {
                vectors.append(iovec(iov_base: buffer.baseAddress.map { $0 + offset }, iov_len: length))
                offset += length
            }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
        if result < 0 {
            throw .sendFailed(errno: -result)
        }
    }
}
