/// One entry read back from the journal by ``JournalReader``.
public struct JournalEntry: Hashable, Sendable {
    /// Every field of the entry, including journald's trusted fields (`_PID`, `_COMM`, …).
    ///
    /// When an entry holds the same field name more than once, the last value read wins. Values that are not valid
    /// UTF-8 are decoded with U+FFFD replacement characters.
    public var fields: [String: String]
    /// When journald received the entry, in microseconds since the Unix epoch (`__REALTIME_TIMESTAMP`).
    public var realtimeMicroseconds: UInt64
    /// The journal cursor of the entry, usable to resume reading after it.
    public var cursor: String

    /// Creates an entry.
    ///
    /// - Parameters:
    ///   - fields: Field names and values.
    ///   - realtimeMicroseconds: Reception time in microseconds since the Unix epoch.
    ///   - cursor: The entry's journal cursor.
    public init(fields: [String: String], realtimeMicroseconds: UInt64, cursor: String) {
        self.fields = fields
        self.realtimeMicroseconds = realtimeMicroseconds
        self.cursor = cursor
    }

    /// The value of the field `name`, or `nil`.
    ///
    /// - Parameter name: A field name such as `MESSAGE`.
    public subscript(name: String) -> String? {
        fields[name]
    }
}
