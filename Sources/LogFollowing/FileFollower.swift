import Glibc

/// Follows one path like `tail -F`, by polling with `stat(2)`: reads appended data with `read(2)`, frames complete
/// lines with ``LineFramer`` and survives every way log files are rotated.
///
/// Handled cases, each covered by a test named after the bug it guards against:
/// - **Partial last line**: held until its newline arrives, and never committed, so a restart re-reads it whole
///   (fluent-bit #11265).
/// - **Rename rotation / delete and recreate**: a new inode at the path. The old file is first read to its end,
///   then the new file is read from its beginning (vector `file_rotate_create_correctness`). The old file's final
///   position is reported in ``PollResult/released`` so that a watcher following the rotated name continues there
///   instead of reading it again (fail2ban #17).
/// - **copytruncate / truncation**: the file shrinks below the read position: restart at offset 0 (fluent-bit #9580,
///   vector `file_rotate_truncate_correctness`).
/// - **Content replaced in place**: same inode, the first bytes changed (truncated and regrown past the old offset
///   between two polls, or an inode reused): restart at 0 instead of skipping the new beginning (vector #23076).
/// - **Restart from a checkpoint**: resume only when device, inode and head fingerprint match and the file is at
///   least as long as the checkpoint offset; otherwise the file is new and is read from the beginning (vector #23076,
///   fluent-bit #4895, fluent-bit #11455).
/// - **Deleted file**: its remaining data is read, then the descriptor is closed (no held disk space).
/// - **gzip files** (magic `1f 8b`): not followed; reported once through ``FollowEvent/gzipDetected`` and
///   ``isGzip`` so that the caller decodes them.
///
/// A follower is not thread-safe; use it from one task.
public final class FileFollower {
    /// Tuning for a follower.
    public struct Options: Hashable, Sendable {
        /// Buffer sizes and the maximum line length.
        public var framing: LineFramer.Options
        /// The most bytes one ``FileFollower/poll(_:)`` reads, so that one busy file cannot starve the others.
        /// Default 8 MiB.
        public var maximumBytesPerPoll: Int

        /// Creates options.
        ///
        /// - Parameters:
        ///   - framing: Buffer sizes and the maximum line length.
        ///   - maximumBytesPerPoll: Read budget per poll, in bytes.
        public init(framing: LineFramer.Options = LineFramer.Options(), maximumBytesPerPoll: Int = 8 * 1024 * 1024) {
            self.framing = framing
            self.maximumBytesPerPoll = max(maximumBytesPerPoll, 1)
        }
    }

    /// What one ``FileFollower/poll(_:)`` did.
    public struct PollResult: Hashable, Sendable {
        /// Bytes read.
        public var bytesRead = 0
        /// Lines delivered.
        public var linesDelivered = 0
        /// What happened to the file, in order.
        public var events: [FollowEvent] = []
        /// Whether the read budget ran out before the end of the data: poll again without waiting.
        public var hasMoreData = false
        /// Files this follower stopped following because another file replaced them at the path, each with the
        /// position reading stopped at (the end of the file). The checkpoint's ``FileCheckpoint/path`` is the
        /// follower's path; the file itself may live on under another name (for example `app.log.1`).
        public var released: [FileCheckpoint] = []

        /// Creates an empty result.
        public init() {}
    }

    /// The followed path.
    public let path: String
    /// The options in use.
    public let options: Options
    /// Whether the current file is gzip-compressed (and therefore not followed).
    public private(set) var isGzip = false
    /// The identity of the open file, or `nil` when no file is open.
    public private(set) var identity: FileIdentity?

    private var descriptor: Int32 = -1
    private let framer: LineFramer
    private var isFirstOpenAttempt = true
    private var startPosition: StartPosition
    private var pendingCheckpoint: FileCheckpoint?
    private var lastOpenError: Int32?
    private var reportedNotRegularFile = false
    private var lastSize = -1
    private var lastModification = timespec()
    private var needsMagicCheck = false

    /// Looks up where another follower stopped reading a file, so that a file moving from one followed path to
    /// another (numbered rotation: `app.log` → `app.log.1` → `app.log.2`, all followed) is continued rather than
    /// read again. Returns `nil` for a file nobody has read.
    public typealias Handoff = (FileIdentity) -> FileCheckpoint?

    private let handoff: Handoff?

    /// Creates a follower. Nothing is opened until the first ``poll(_:)``.
    ///
    /// - Parameters:
    ///   - path: The path to follow.
    ///   - startPosition: Where to start if the file exists at the first poll and `checkpoint` does not match it.
    ///     A file that appears later is always read from the beginning (or from its ``Handoff`` position).
    ///   - checkpoint: Where reading stopped before a restart. Used only if it matches the file found at the first
    ///     poll (device, inode, head fingerprint, size ≥ offset); otherwise the file is read from its beginning.
    ///   - options: Buffer sizes, maximum line length and read budget.
    ///   - handoff: Consulted whenever a file other than the first one is opened at the path; a returned
    ///     checkpoint is validated like `checkpoint` and, if it matches, reading resumes there.
    public init(
        path: String, startPosition: StartPosition = .beginning, checkpoint: FileCheckpoint? = nil,
        options: Options = Options(), handoff: Handoff? = nil
    ) {
        self.path = path
        self.options = options
        self.startPosition = startPosition
        self.pendingCheckpoint = checkpoint
        self.framer = LineFramer(options: options.framing)
        self.handoff = handoff
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Whether a file is currently open.
    public var isOpen: Bool {
        descriptor >= 0
    }

    /// The position to save: the open file's identity, the offset after the last complete line and the line count;
    /// `nil` when no file is open.
    public var checkpoint: FileCheckpoint? {
        guard let identity else { return nil }
        return FileCheckpoint(
            path: path, identity: identity, offset: framer.committedOffset, lineNumber: framer.committedLineNumber)
    }

    /// Reads what was appended since the last poll and handles rotation, truncation and deletion.
    ///
    /// - Parameter onLine: Receives each line (without its `\n`) and its position. The buffer is valid only during
    ///   the call.
    /// - Returns: Bytes read, lines delivered, events, and whether more data is waiting.
    @discardableResult
    public func poll(_ onLine: (UnsafeRawBufferPointer, LineInfo) -> Void) -> PollResult {
        var result = PollResult()
        var budget = options.maximumBytesPerPoll
        var switches = 0
        while true {
            if descriptor < 0 {
                guard openFile(&result) else { return result }
            }
            if isGzip {
                // Not followed: only notice when it is deleted or another file takes the path.
                switch pathState() {
                case .same:
                    return result
                case .missing:
                    if let info = POSIX.status(of: descriptor), info.st_nlink == 0 {
                        closeFile()
                        result.events.append(.deleted)
                    }
                    return result
                case .different:
                    closeFile()
                    result.events.append(.rotated)
                    switches += 1
                    if switches > 2 { return result }
                    continue
                }
            }
            checkForTruncation(&result, onLine)
            let read = readAvailable(budget: budget, &result, onLine)
            budget -= read.bytesRead
            if !read.reachedEnd {
                result.hasMoreData = read.error == nil
                return result
            }
            switch pathState() {
            case .same:
                return result
            case .missing:
                if let info = POSIX.status(of: descriptor), info.st_nlink == 0 {
                    // Deleted (not renamed): its data has been read; nothing can be appended that anyone could see.
                    if framer.flushPartialLine(onLine) { result.linesDelivered += 1 }
                    closeFile()
                    result.events.append(.deleted)
                }
                // Renamed away without a replacement yet: keep the descriptor and keep reading appended data.
                return result
            case .different:
                // A new file took the path. Drain what was written to the old file before switching.
                let drain = readAvailable(budget: budget, &result, onLine)
                budget -= drain.bytesRead
                if !drain.reachedEnd {
                    result.hasMoreData = drain.error == nil
                    return result
                }
                if framer.flushPartialLine(onLine) { result.linesDelivered += 1 }
                if let checkpoint { result.released.append(checkpoint) }
                closeFile()
                result.events.append(.rotated)
                switches += 1
                if switches > 2 {
                    result.hasMoreData = true
                    return result
                }
            // Loop: the new file is opened and read from its beginning.
            }
        }
    }

    /// Stops following the current file without delivering a held partial line, and returns where reading stopped.
    ///
    /// Used when the same file is found under another name (renamed while this follower still held it): the new
    /// follower resumes from the returned checkpoint and reads the partial line whole. After this call the follower
    /// waits for a new file at its path and reads it from the beginning.
    ///
    /// - Returns: The checkpoint of the released file, or `nil` if none was open.
    public func release() -> FileCheckpoint? {
        let released = checkpoint
        closeFile()
        return released
    }

    // MARK: - Opening

    private func openFile(_ result: inout PollResult) -> Bool {
        let firstAttempt = isFirstOpenAttempt
        isFirstOpenAttempt = false
        let savedCheckpoint = pendingCheckpoint
        pendingCheckpoint = nil
        // The start position and checkpoint describe the file present at start-up only; anything later is new.
        let start: StartPosition = firstAttempt ? startPosition : .beginning

        let file = POSIX.openReadOnly(path)
        if file < 0 {
            let code = errno
            if code != ENOENT && code != lastOpenError { result.events.append(.openFailed(errno: code)) }
            lastOpenError = code
            return false
        }
        lastOpenError = nil
        guard let info = POSIX.status(of: file), POSIX.isRegularFile(info), let current = FileIdentity(descriptor: file)
        else {
            Glibc.close(file)
            if !reportedNotRegularFile { result.events.append(.notRegularFile) }
            reportedNotRegularFile = true
            return false
        }
        reportedNotRegularFile = false
        let size = info.st_size

        var offset: UInt64 = 0
        var lineNumber: UInt64 = 0
        var resumed = false
        if let savedCheckpoint = savedCheckpoint ?? (firstAttempt ? nil : handoff?(current)) {
            if let reason = Self.rejectionReason(savedCheckpoint, current: current, descriptor: file, size: size) {
                result.events.append(.checkpointRejected(reason: reason))
            } else {
                offset = savedCheckpoint.offset
                lineNumber = savedCheckpoint.lineNumber
                resumed = true
            }
        } else if start == .end {
            offset = Self.offsetAfterLastNewline(descriptor: file, size: size)
        }

        descriptor = file
        identity = current
        lastSize = size
        lastModification = info.st_mtim

        if size >= 2 && Self.hasGzipMagic(descriptor: file) {
            isGzip = true
            framer.reset(offset: UInt64(size), lineNumber: lineNumber)
            if !(resumed && offset >= UInt64(size)) { result.events.append(.gzipDetected) }
            return true
        }
        needsMagicCheck = size < 2
        lseek(file, off_t(offset), SEEK_SET)
        framer.reset(offset: offset, lineNumber: lineNumber)
        result.events.append(resumed ? .resumed(offset: offset) : .opened(offset: offset))
        return true
    }

    private static func rejectionReason(
        _ checkpoint: FileCheckpoint, current: FileIdentity, descriptor: Int32, size: Int
    ) -> String? {
        let saved = checkpoint.identity
        if !saved.hasSameInode(as: current) {
            return "different file: device \(current.device) inode \(current.inode), "
                + "checkpoint has device \(saved.device) inode \(saved.inode)"
        }
        if !saved.headMatches(descriptor: descriptor) {
            return "same inode \(current.inode) but the first \(saved.fingerprintLength) bytes differ "
                + "(inode reused or content rewritten)"
        }
        if UInt64(size) < checkpoint.offset {
            return "file size \(size) is below the checkpoint offset \(checkpoint.offset)"
        }
        return nil
    }

    /// The offset just after the last newline in the final 64 KiB of the file (0 when a shorter file has none, so
    /// that a single line still being written is read whole; the size when a longer file has none).
    private static func offsetAfterLastNewline(descriptor: Int32, size: Int) -> UInt64 {
        guard size > 0 else { return 0 }
        let window = min(size, 64 * 1024)
        return withUnsafeTemporaryAllocation(byteCount: window, alignment: 16) { buffer in
            let base = size - window
            let count = POSIX.preadFully(descriptor, into: buffer, at: base)
            if let found = POSIX.offsetAfterLastNewline(in: UnsafeRawBufferPointer(rebasing: buffer[0..<count])) {
                return UInt64(base + found)
            }
            return size <= 64 * 1024 ? 0 : UInt64(size)
        }
    }

    private static func hasGzipMagic(descriptor: Int32) -> Bool {
        var magic: (UInt8, UInt8) = (0, 0)
        let count = withUnsafeMutableBytes(of: &magic) { POSIX.preadFully(descriptor, into: $0, at: 0) }
        return count == 2 && magic.0 == 0x1F && magic.1 == 0x8B
    }

    private func closeFile() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
        identity = nil
        isGzip = false
        needsMagicCheck = false
        framer.reset(offset: 0, lineNumber: 0)
    }

    // MARK: - Reading

    private enum PathState {
        case same
        case missing
        case different
    }

    private func pathState() -> PathState {
        guard let info = POSIX.status(path) else {
            // Only a vanished path counts as missing; other errors (EACCES on a parent) change nothing.
            return errno == ENOENT || errno == ENOTDIR ? .missing : .same
        }
        guard let identity else { return .different }
        return UInt64(info.st_dev) == identity.device && UInt64(info.st_ino) == identity.inode ? .same : .different
    }

    /// Restarts at offset 0 when the open file shrank below the read position or its head changed.
    private func checkForTruncation(
        _ result: inout PollResult, _ onLine: (UnsafeRawBufferPointer, LineInfo) -> Void
    ) {
        guard let info = POSIX.status(of: descriptor), let identity else { return }
        let size = info.st_size
        let modified = info.st_mtim.tv_sec != lastModification.tv_sec || info.st_mtim.tv_nsec != lastModification.tv_nsec
        defer {
            lastSize = size
            lastModification = info.st_mtim
        }
        if UInt64(size) < framer.streamOffset {
            let previous = framer.streamOffset
            if framer.flushPartialLine(onLine) { result.linesDelivered += 1 }
            restartFromBeginning()
            result.events.append(.truncated(previousOffset: previous))
            return
        }
        guard size != lastSize || modified else { return }
        // One pread of at most 1 KiB: check the saved prefix and, if the file grew, extend the fingerprint.
        let capacity = FileIdentity.fingerprintCapacity
        withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 16) { buffer in
            let count = POSIX.preadFully(descriptor, into: buffer, at: 0)
            let saved = identity.fingerprintLength
            let prefixMatches =
                count >= saved
                && FileIdentity.hash(UnsafeRawBufferPointer(rebasing: buffer[0..<saved])) == identity.fingerprint
            if !prefixMatches {
                if framer.flushPartialLine(onLine) { result.linesDelivered += 1 }
                restartFromBeginning()
                result.events.append(.contentReplaced)
            } else if count > saved {
                self.identity?.fingerprint = FileIdentity.hash(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                self.identity?.fingerprintLength = count
            }
        }
    }

    private func restartFromBeginning() {
        lseek(descriptor, 0, SEEK_SET)
        framer.reset(offset: 0, lineNumber: 0)
        identity = FileIdentity(descriptor: descriptor)
        needsMagicCheck = true
    }

    private func readAvailable(
        budget: Int, _ result: inout PollResult, _ onLine: (UnsafeRawBufferPointer, LineInfo) -> Void
    ) -> LineFramer.ReadResult {
        if needsMagicCheck && framer.streamOffset == 0, let info = POSIX.status(of: descriptor) {
            if info.st_size == 0 {
                return LineFramer.ReadResult(bytesRead: 0, linesDelivered: 0, reachedEnd: true, error: nil)
            }
            needsMagicCheck = false
            if info.st_size >= 2 && Self.hasGzipMagic(descriptor: descriptor) {
                isGzip = true
                framer.reset(offset: UInt64(info.st_size), lineNumber: 0)
                result.events.append(.gzipDetected)
                return LineFramer.ReadResult(bytesRead: 0, linesDelivered: 0, reachedEnd: true, error: nil)
            }
        }
        guard budget > 0 else {
            return LineFramer.ReadResult(bytesRead: 0, linesDelivered: 0, reachedEnd: false, error: nil)
        }
        let read = framer.read(from: descriptor, maximumBytes: budget, onLine)
        result.bytesRead += read.bytesRead
        result.linesDelivered += read.linesDelivered
        if let code = read.error { result.events.append(.readFailed(errno: code)) }
        return read
    }
}
