/// Where following of one file stopped: enough to resume after a restart without losing or repeating a line.
///
/// ``offset`` is the byte offset just after the last complete line delivered, so a partial last line (not yet
/// terminated by a newline) is read again from its start after a restart instead of being lost (fluent-bit #11265).
public struct FileCheckpoint: Codable, Hashable, Sendable {
    /// The path the file was followed under.
    public var path: String
    /// The file's identity when the checkpoint was taken.
    public var identity: FileIdentity
    /// Byte offset just after the last complete line delivered.
    public var offset: UInt64
    /// Number of lines delivered from this file up to ``offset`` (so the next line is `lineNumber + 1`).
    public var lineNumber: UInt64

    /// Creates a checkpoint.
    ///
    /// - Parameters:
    ///   - path: The followed path.
    ///   - identity: The file's identity.
    ///   - offset: Byte offset after the last complete line.
    ///   - lineNumber: Lines delivered up to `offset`.
    public init(path: String, identity: FileIdentity, offset: UInt64, lineNumber: UInt64) {
        self.path = path
        self.identity = identity
        self.offset = offset
        self.lineNumber = lineNumber
    }
}
