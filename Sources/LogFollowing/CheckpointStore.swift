import Glibc

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Saves and loads a `Codable` state as a versioned JSON file, atomically.
///
/// The file looks like `{"format":"ecsdiagd-checkpoint","version":1,"savedAt":…,"state":{…}}`.
/// ``save(_:)`` writes a temporary file in the same directory, `fsync`s it, renames it over the old file and
/// `fsync`s the directory, so a crash or OOM kill leaves either the old or the new file, never a torn one
/// (vector #20753). ``load(_:)`` never crashes on a bad file: it throws a ``CheckpointStoreError`` that the caller
/// reports (and then starts without the state).
public struct CheckpointStore: Sendable {
    /// The value of the `format` field.
    public static let formatMarker = "ecsdiagd-checkpoint"
    /// The version this build writes and reads.
    public static let formatVersion = 1
    /// The largest file ``load(_:)`` reads. Default 64 MiB.
    public let maximumSize: Int

    /// The checkpoint file's path.
    public let path: String

    /// Creates a store for one file.
    ///
    /// - Parameters:
    ///   - path: The checkpoint file, e.g. `/var/lib/ecsdiagd/checkpoint.json`. Its directory must exist.
    ///   - maximumSize: The largest file accepted by ``load(_:)``, in bytes.
    public init(path: String, maximumSize: Int = 64 * 1024 * 1024) {
        self.path = path
        self.maximumSize = maximumSize
    }

    private struct Header: Decodable {
        var format: String?
        var version: Int?
    }

    private struct Envelope<State: Codable>: Codable {
        var format: String
        var version: Int
        var savedAt: Double
        var state: State
    }

    /// Writes `state` atomically, replacing any previous file.
    ///
    /// - Parameter state: The state to save.
    /// - Throws: ``CheckpointStoreError/encodingFailed(reason:)`` or ``CheckpointStoreError/io(operation:path:errno:)``.
    public func save<State: Codable>(_ state: State) throws(CheckpointStoreError) {
        let envelope = Envelope(
            format: Self.formatMarker, version: Self.formatVersion,
            savedAt: Date().timeIntervalSince1970, state: state)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(envelope)
        } catch {
            throw .encodingFailed(reason: "\(error)")
        }

        let directory = Self.directory(of: path)
        let temporary = "\(directory)/.\(Self.fileName(of: path)).tmp.\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw .io(operation: "open", path: temporary, errno: errno) }
        var failure: CheckpointStoreError?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 {
                    failure = .io(operation: "write", path: temporary, errno: written < 0 ? errno : EIO)
                    return
                }
                offset += written
            }
        }
        if failure == nil && fsync(descriptor) != 0 {
            failure = .io(operation: "fsync", path: temporary, errno: errno)
        }
        if close(descriptor) != 0 && failure == nil {
            failure = .io(operation: "close", path: temporary, errno: errno)
        }
        if failure == nil && rename(temporary, path) != 0 {
            failure = .io(operation: "rename", path: path, errno: errno)
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
        // Make the rename itself durable.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw .io(operation: "open", path: directory, errno: errno) }
        defer { close(directoryDescriptor) }
        if fsync(directoryDescriptor) != 0 {
            throw .io(operation: "fsync", path: directory, errno: errno)
        }
    }

    /// Loads the saved state.
    ///
    /// - Parameter type: The state type that was saved.
    /// - Returns: The state, or `nil` when no checkpoint file exists (a first start).
    /// - Throws: ``CheckpointStoreError`` for an unreadable, corrupt, foreign, too new or too large file.
    public func load<State: Codable>(_ type: State.Type) throws(CheckpointStoreError) -> State? {
        guard let data = try readFile() else { return nil }
        let decoder = JSONDecoder()
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw .corrupt(path: path, reason: "not a JSON object (\(Self.summary(of: error)))")
        }
        guard header.format == Self.formatMarker else {
            throw .foreignFormat(path: path, found: header.format)
        }
        guard let version = header.version else {
            throw .corrupt(path: path, reason: "missing version")
        }
        guard version == Self.formatVersion else {
            throw .unsupportedVersion(path: path, found: version)
        }
        do {
            return try decoder.decode(Envelope<State>.self, from: data).state
        } catch {
            throw .corrupt(path: path, reason: Self.summary(of: error))
        }
    }

    private func readFile() throws(CheckpointStoreError) -> Data? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw .io(operation: "open", path: path, errno: errno)
        }
        defer { close(descriptor) }
        guard let info = POSIX.status(of: descriptor) else {
            throw .io(operation: "fstat", path: path, errno: errno)
        }
        guard POSIX.isRegularFile(info) else { throw .corrupt(path: path, reason: "not a regular file") }
        let size = info.st_size
        guard size <= maximumSize else { throw .tooLarge(path: path, size: size) }
        var data = Data(count: size)
        let count = data.withUnsafeMutableBytes { POSIX.preadFully(descriptor, into: $0, at: 0) }
        guard count == size else {
            throw .io(operation: "read", path: path, errno: count < 0 ? errno : EIO)
        }
        return data
    }

    private static func summary(of error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return "invalid JSON: \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "unexpected value at \(path(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
