/// One `NAME=value` field of a journal entry.
///
/// The name is validated when the entry is sent (see ``JournalField/isValidName(_:)``); the value may contain any
/// text, including newlines. Values that come from untrusted log lines should first go through
/// ``JournalValueSanitizer``.
public struct JournalField: Hashable, Sendable {
    /// The field name, e.g. `MESSAGE`, `MESSAGE_ID` or `ECSDIAG_SERVICE`.
    public var name: String
    /// The field value.
    public var value: String

    /// Creates a field.
    ///
    /// - Parameters:
    ///   - name: The field name. It must satisfy ``isValidName(_:)`` for the entry to be sent.
    ///   - value: The field value.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The longest field name journald accepts.
    public static let maximumNameLength = 64

    /// Whether `name` is a valid field name for an entry sent by a client.
    ///
    /// A valid name has 1–64 characters from `A-Z`, `0-9` and `_`, does not start with a digit, and does not start
    /// with `_`: fields with a leading underscore are "trusted" fields that only journald itself may set.
    ///
    /// - Parameter name: The candidate name.
    /// - Returns: `true` when journald would accept the name from a client.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= maximumNameLength else { return false }
        if first == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }

    /// Throws ``JournalError/invalidFieldName(_:)`` unless every field name in `fields` is valid, and
    /// ``JournalError/emptyEntry`` when `fields` is empty.
    ///
    /// - Parameter fields: The fields of one entry.
    public static func validate(_ fields: [JournalField]) throws(JournalError) {
        guard !fields.isEmpty else { throw .emptyEntry }
        for field in fields where !isValidName(field.name) {
            throw .invalidFieldName(field.name)
        }
    }
}
