#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An error reported by the systemd journal or service-notification APIs.
///
/// Errors carry the positive `errno` value that libsystemd returned (libsystemd returns `-errno`).
public enum JournalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A field name is not a valid journal field name.
    ///
    /// Valid names are 1–64 characters from `A-Z`, `0-9` and `_`, and start with neither a digit nor `_`
    /// (leading underscores are reserved for fields that journald itself adds).
    case invalidFieldName(String)
    /// An entry had no fields.
    case emptyEntry
    /// `sd_journal_sendv` failed, typically because the journal socket is unavailable.
    case sendFailed(errno: Int32)
    /// Opening the journal for reading failed.
    case openFailed(errno: Int32)
    /// A journal read operation (match, seek, next, get data) failed.
    case readFailed(operation: String, errno: Int32)
    /// `sd_notify` failed to deliver a state change to the service manager.
    case notifyFailed(errno: Int32)

    /// Whether retrying the same operation later can succeed.
    ///
    /// Invalid field names and empty entries never succeed on retry; I/O failures may.
    public var isTransient: Bool {
        switch self {
        case .invalidFieldName, .emptyEntry: false
        case .sendFailed, .openFailed, .readFailed, .notifyFailed: true
        }
    }

    /// A human-readable description including the `errno` name where there is one.
    public var description: String {
        switch self {
        case .invalidFieldName(let name):
            "invalid journal field name \(String(reflecting: name)) (want 1-64 of A-Z 0-9 _, not starting with a digit or _)"
        case .emptyEntry:
            "journal entry has no fields"
        case .sendFailed(let code):
            "sd_journal_sendv failed: \(Self.describe(errno: code))"
        case .openFailed(let code):
            "sd_journal_open failed: \(Self.describe(errno: code))"
        case .readFailed(let operation, let code):
            "\(operation) failed: \(Self.describe(errno: code))"
        case .notifyFailed(let code):
            "sd_notify failed: \(Self.describe(errno: code))"
        }
    }

    private static func describe(errno code: Int32) -> String {
        guard let message = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: message)) (errno \(code))"
    }
}
