import Foundation
import LogFollowing

/// A temporary directory with helpers that manipulate log files the way writers and logrotate do.
/// Removed when released.
final class TestDirectory {
    let path: String

    init(_ label: String = "follow") throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("lft-\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The absolute path of `name` inside the directory.
    func file(_ name: String) -> String {
        "\(path)/\(name)"
    }

    /// Creates or replaces `name` with `text` (new inode only if the file did not exist).
    func write(_ name: String, _ text: String) {
        write(name, bytes: Array(text.utf8))
    }

    /// Creates or truncates `name` and writes `bytes`, keeping the inode of an existing file.
    func write(_ name: String, bytes: [UInt8]) {
        let descriptor = open(file(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "open \(name): \(errno)")
        writeAll(descriptor, bytes)
        close(descriptor)
    }

    /// Appends `text` to `name` (creating it), like a logger with O_APPEND.
    func append(_ name: String, _ text: String) {
        append(name, bytes: Array(text.utf8))
    }

    /// Appends `bytes` to `name` (creating it).
    func append(_ name: String, bytes: [UInt8]) {
        let descriptor = open(file(name), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "open \(name): \(errno)")
        writeAll(descriptor, bytes)
        close(descriptor)
    }

    /// Renames `from` to `to` (rename rotation).
    func rename(_ from: String, _ to: String) {
        precondition(Foundation.rename(file(from), file(to)) == 0, "rename \(from): \(errno)")
    }

    /// Deletes `name`.
    func remove(_ name: String) {
        precondition(unlink(file(name)) == 0, "unlink \(name): \(errno)")
    }

    /// Truncates `name` to `size` bytes in place (same inode).
    func truncate(_ name: String, to size: Int = 0) {
        precondition(Foundation.truncate(file(name), off_t(size)) == 0, "truncate \(name): \(errno)")
    }

    /// Copies `from` to a new file `to` (as logrotate's copytruncate does before truncating).
    func copy(_ from: String, _ to: String) throws {
        try FileManager.default.copyItem(atPath: file(from), toPath: file(to))
    }

    /// Creates a subdirectory.
    func makeDirectory(_ name: String) throws {
        try FileManager.default.createDirectory(atPath: file(name), withIntermediateDirectories: true)
    }

    /// The inode of `name`.
    func inode(_ name: String) -> UInt64 {
        var info = stat()
        precondition(stat(file(name), &info) == 0)
        return UInt64(info.st_ino)
    }

    private func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                precondition(written > 0, "write: \(errno)")
                offset += written
            }
        }
    }
}

/// One delivered line, copied out of the follower's buffer.
struct CollectedLine: Equatable, CustomStringConvertible {
    var path: String
    var text: String
    var bytes: [UInt8]
    var info: LineInfo

    var description: String { "\(path.split(separator: "/").last ?? ""):\(info.lineNumber)@\(info.offset) \(text)" }
}

/// Collects lines from a follower or watcher.
final class LineCollector {
    var lines: [CollectedLine] = []

    var texts: [String] { lines.map(\.text) }

    func take() -> [String] {
        defer { lines.removeAll() }
        return texts
    }

    @discardableResult
    func poll(_ follower: FileFollower) -> FileFollower.PollResult {
        follower.poll { line, info in
            self.lines.append(
                CollectedLine(
                    path: follower.path, text: String(decoding: line, as: UTF8.self), bytes: Array(line), info: info))
        }
    }

    @discardableResult
    func poll(_ watcher: SourceWatcher) -> SourceWatcher.PollReport {
        watcher.poll { path, line, info in
            self.lines.append(
                CollectedLine(path: path, text: String(decoding: line, as: UTF8.self), bytes: Array(line), info: info))
        }
    }

    /// Polls until a poll reports no more data.
    func drain(_ follower: FileFollower) {
        while poll(follower).hasMoreData {}
    }
}
