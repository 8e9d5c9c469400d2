import Glibc

/// Why a checkpoint file could not be saved or loaded.
public enum CheckpointStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// The file is not valid JSON, or its `state` does not decode as the expected type.
    case corrupt(path: String, reason: String)
    /// The file is JSON but not an ecsdiagd checkpoint (`format` is missing or different).
    case foreignFormat(path: String, found: String?)
    /// The file is an ecsdiagd checkpoint of a version this build cannot read.
    case unsupportedVersion(path: String, found: Int)
    /// The file is larger than the store accepts.
    case tooLarge(path: String, size: Int)
    /// The state could not be encoded.
    case encodingFailed(reason: String)

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            "checkpoint \(path): \(operation) failed: \(POSIX.describe(code))"
        case .corrupt(let path, let reason):
            "checkpoint \(path) is corrupt: \(reason)"
        case .foreignFormat(let path, let found):
            "checkpoint \(path) is not an ecsdiagd checkpoint (format \(found.map { "\"\($0)\"" } ?? "missing"))"
        case .unsupportedVersion(let path, let found):
            "checkpoint \(path) has unsupported version \(found) (this build reads \(CheckpointStore.formatVersion))"
        case .tooLarge(let path, let size):
            "checkpoint \(path) is too large (\(size) bytes)"
        case .encodingFailed(let reason):
            "cannot encode checkpoint: \(reason)"
        }
    }
}
