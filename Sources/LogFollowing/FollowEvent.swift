/// Something a ``FileFollower`` noticed about its file, reported so the daemon can log it or count it.
public enum FollowEvent: Hashable, Sendable, CustomStringConvertible {
    /// The file was opened and is read from `offset` (0, or the end for ``StartPosition/end``).
    case opened(offset: UInt64)
    /// The file was opened and matched its checkpoint: reading resumes at `offset`.
    case resumed(offset: UInt64)
    /// A checkpoint was not used because the file at the path is not the checkpointed file (`reason` says why);
    /// the file is read from its beginning.
    case checkpointRejected(reason: String)
    /// The file became shorter than the read position (truncation or copytruncate); reading restarts at 0.
    case truncated(previousOffset: UInt64)
    /// The file's first bytes changed in place (same inode, new content); reading restarts at 0.
    case contentReplaced
    /// A different file now exists at the path (rename rotation or delete and recreate): the old file was read to
    /// its end and the new one is read from its beginning.
    case rotated
    /// The file was deleted and its remaining data read; following resumes if the path reappears.
    case deleted
    /// The file is gzip-compressed (magic bytes `1f 8b`): it is not followed, and should be decoded once by the
    /// caller. Reported once per file.
    case gzipDetected
    /// The path could not be opened (other than "does not exist"); reported once per distinct `errno`.
    case openFailed(errno: Int32)
    /// The path is not a regular file (a directory, FIFO, socket or device) and is not followed.
    case notRegularFile
    /// `read(2)` failed with `errno`.
    case readFailed(errno: Int32)

    /// A short human-readable description.
    public var description: String {
        switch self {
        case .opened(let offset): "opened at offset \(offset)"
        case .resumed(let offset): "resumed from checkpoint at offset \(offset)"
        case .checkpointRejected(let reason): "checkpoint not used (\(reason)); reading from the beginning"
        case .truncated(let previous): "truncated below offset \(previous); reading from the beginning"
        case .contentReplaced: "content replaced in place; reading from the beginning"
        case .rotated: "rotated; old file drained, reading the new file from the beginning"
        case .deleted: "deleted; remaining data read"
        case .gzipDetected: "gzip file: not followed, to be read once"
        case .openFailed(let code): "cannot open: \(POSIX.describe(code))"
        case .notRegularFile: "not a regular file; ignored"
        case .readFailed(let code): "read failed: \(POSIX.describe(code))"
        }
    }
}
