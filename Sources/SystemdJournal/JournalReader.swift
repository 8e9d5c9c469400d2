#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSystemd

/// Reads entries from the local systemd journal with `sd_journal_open(3)`, for example the diagnoses ecsdiagd wrote
/// (`MESSAGE_ID=…`, `SYSLOG_IDENTIFIER=ecsdiagd`).
///
/// A reader owns one `sd_journal` handle and is not thread-safe: use it from one task at a time.
///
/// ```swift
/// let reader = try JournalReader()
/// try reader.addMatch(JournalField(name: "SYSLOG_IDENTIFIER", value: "ecsdiagd"))
/// for entry in try reader.entries(sinceMicroseconds: start, limit: 1000) { print(entry["MESSAGE"] ?? "") }
/// ```
///
/// Matches follow `sd_journal_add_match(3)`: matches on different fields are ANDed, matches on the same field are
/// ORed, and ``addDisjunction()`` / ``addConjunction()`` combine groups.
public final class JournalReader {
    private let journal: OpaquePointer

    /// Opens the journal files of the local machine (`SD_JOURNAL_LOCAL_ONLY`).
    ///
    /// - Parameter dataThreshold: Maximum size in bytes of a field value returned (larger compressed values may be
    ///   truncated; see `sd_journal_set_data_threshold(3)`). Default 64 KiB.
    /// - Throws: ``JournalError/openFailed(errno:)``.
    public init(dataThreshold: Int = 65_536) throws(JournalError) {
        var handle: OpaquePointer?
        let result = sd_journal_open(&handle, Int32(SD_JOURNAL_LOCAL_ONLY))
        guard result >= 0, let handle else { throw .openFailed(errno: result < 0 ? -result : EINVAL) }
        journal = handle
        sd_journal_set_data_threshold(journal, dataThreshold)
    }

    /// Opens the journal files in one directory (for example an exported `/var/log/journal/<machine-id>`).
    ///
    /// - Parameters:
    ///   - directory: Path of a directory holding `.journal` files.
    ///   - dataThreshold: Maximum size in bytes of a field value returned. Default 64 KiB.
    /// - Throws: ``JournalError/openFailed(errno:)``.
    public init(directory: String, dataThreshold: Int = 65_536) throws(JournalError) {
        var handle: OpaquePointer?
        let result = sd_journal_open_directory(&handle, directory, 0)
        guard result >= 0, let handle else { throw .openFailed(errno: result < 0 ? -result : EINVAL) }
        journal = handle
        sd_journal_set_data_threshold(journal, dataThreshold)
    }

    deinit {
        sd_journal_close(journal)
    }

    /// Restricts iteration to entries with the field `name=value`.
    ///
    /// - Parameter field: The field to match; its name must satisfy ``JournalField/isValidName(_:)`` or be a trusted
    ///   field such as `_SYSTEMD_UNIT`.
    /// - Throws: ``JournalError/readFailed(operation:errno:)``.
    public func addMatch(_ field: JournalField) throws(JournalError) {
        let match = "\(field.name)=\(field.value)"
        let result = match.utf8CString.withUnsafeBufferPointer { buffer in
            sd_journal_add_match(journal, buffer.baseAddress, buffer.count - 1)
        }
        try check(result, "sd_journal_add_match(\(field.name))")
    }

    /// Starts a new group of matches ORed with the previous group.
    ///
    /// - Throws: ``JournalError/readFailed(operation:errno:)``.
    public func addDisjunction() throws(JournalError) {
        try check(sd_journal_add_disjunction(journal), "sd_journal_add_disjunction")
    }

    /// Starts a new group of matches ANDed with the previous group.
    ///
    /// - Throws: ``JournalError/readFailed(operation:errno:)``.
    public func addConjunction() throws(JournalError) {
        try check(sd_journal_add_conjunction(journal), "sd_journal_add_conjunction")
    }

    /// Removes all matches.
    public func removeMatches() {
        sd_journal_flush_matches(journal)
    }

    /// Positions the reader before the oldest entry.
    ///
    /// - Throws: ``JournalError/readFailed(operation:errno:)``.
    public func seekToHead() throws(JournalError) {
        try check(sd_journal_seek_head(journal), "sd_journal_seek_head")
    }

    /// Positions the reader so that ``next()`` returns the first entry received at or after `microseconds`.
    ///
    /// - Parameter microseconds: Wall-clock time in microseconds since the Unix epoch.
    /// - Throws: ``JournalError/readFailed(operation:errno:)``.
    public func seek(toRealtimeMicroseconds microseconds: UInt64) throws(JournalError) {
        try check(sd_journal_seek_realtime_usec(journal, microseconds), "sd_journal_seek_realtime_usec")
    }

    /// Positions the reader after the entry with the given cursor (so ``next()`` returns the following entry).
    ///
    /// - Parameter cursor: A cursor from ``JournalEntry/cursor``.
    /// - Throws: ``JournalError/readFailed(operation:errno:)``.
    public func seek(afterCursor cursor: String) throws(JournalError) {
        try check(sd_journal_seek_cursor(journal, cursor), "sd_journal_seek_cursor")
        // Seeking to a cursor positions *at* that entry; step over it if it still exists.
        let step = sd_journal_next(journal)
        try check(step, "sd_journal_next")
        if step > 0, sd_journal_test_cursor(journal, cursor) <= 0 {
            // The exact entry is gone; we landed on the next one: step back so next() returns it.
            _ = sd_journal_previous(journal)
        }
    }

    /// Advances to the next matching entry and returns it, or `nil` at the end of the journal.
    ///
    /// - Returns: The entry with all its fields.
    /// - Throws: ``JournalError/readFailed(operation:errno:)``.
    public func next() throws(JournalError) -> JournalEntry? {
        let step = sd_journal_next(journal)
        try check(step, "sd_journal_next")
        if step == 0 { return nil }
        return try currentEntry()
    }

    /// Reads matching entries in time order.
    ///
    /// - Parameters:
    ///   - sinceMicroseconds: Start time (inclusive) in microseconds since the Unix epoch, or `nil` for the oldest
    ///     entry.
    ///   - untilMicroseconds: End time (inclusive), or `nil` for no end.
    ///   - limit: Maximum number of entries returned, bounding memory.
    /// - Returns: Up to `limit` entries.
    /// - Throws: ``JournalError/readFailed(operation:errno:)``.
    public func entries(
        sinceMicroseconds: UInt64? = nil, untilMicroseconds: UInt64? = nil, limit: Int = 10_000
    ) throws(JournalError) -> [JournalEntry] {
        if let sinceMicroseconds {
            try seek(toRealtimeMicroseconds: sinceMicroseconds)
        } else {
            try seekToHead()
        }
        var result: [JournalEntry] = []
        while result.count < limit, let entry = try next() {
            if let sinceMicroseconds, entry.realtimeMicroseconds < sinceMicroseconds { continue }
            if let untilMicroseconds, entry.realtimeMicroseconds > untilMicroseconds { break }
            result.append(entry)
        }
        return result
    }

    private func currentEntry() throws(JournalError) -> JournalEntry {
        var realtime: UInt64 = 0
        try check(sd_journal_get_realtime_usec(journal, &realtime), "sd_journal_get_realtime_usec")

        var cursorPointer: UnsafeMutablePointer<CChar>?
        try check(sd_journal_get_cursor(journal, &cursorPointer), "sd_journal_get_cursor")
        let cursor = cursorPointer.map { String(cString: $0) } ?? ""
        free(cursorPointer)

        var fields: [String: String] = [:]
        sd_journal_restart_data(journal)
        while true {
            var data: UnsafeRawPointer?
            var length = 0
            let result = sd_journal_enumerate_available_data(journal, &data, &length)
            try check(result, "sd_journal_enumerate_available_data")
            guard result > 0, let data else { break }
            let bytes = UnsafeRawBufferPointer(start: data, count: length)
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(decoding: bytes[..<equals], as: UTF8.self)
            fields[name] = String(decoding: bytes[(equals + 1)...], as: UTF8.self)
        }
        return JournalEntry(fields: fields, realtimeMicroseconds: realtime, cursor: cursor)
    }

    private func check(_ result: Int32, _ operation: String) throws(JournalError) {
        if result < 0 { throw .readFailed(operation: operation, errno: -result) }
    }
}
