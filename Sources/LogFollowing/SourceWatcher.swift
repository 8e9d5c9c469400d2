import Glibc

/// Follows every file matched by a list of sources (paths, glob patterns, directories followed recursively),
/// discovering files that appear later, such as a new log stream export for each new ECS task (awslogs #334).
///
/// Each file gets a ``FileFollower``. ``poll(_:)`` reads what was appended everywhere, handles rotation, and
/// re-expands the sources when inotify reports a new, moved or deleted name, or at least every
/// ``Options/rescanInterval`` (every poll when inotify is unavailable or its watch limit was reached).
/// ``waitForChange(timeout:)`` blocks in `poll(2)` on the inotify descriptor until something changes; stat polling
/// by the caller at least once a second remains the fallback, so a missed event costs latency, never data.
///
/// Guarantees across rotation and restart:
/// - A file found under a new name (renamed by rotation) continues where the follower of its old name stopped
///   instead of being read again (fail2ban #17: double counting); a file that is still open under its old name is
///   handed over.
/// - The same file reachable by two paths (a hard link or symlink) is followed once.
/// - On restart, saved checkpoints are matched to files by identity (device, inode, fingerprint) first, then by
///   path; files rotated while the daemon was down are resumed under their new name (vector #22954); checkpoints
///   of files that no longer exist are dropped (vector #23076); files without a checkpoint are new and are read from
///   the beginning.
/// - ``StartPosition/end`` applies only on a first start without any saved state.
///
/// `"-"` (standard input) is not handled here: read it with ``LineFramer``.
///
/// A watcher is not thread-safe; use it from one task.
public final class SourceWatcher {
    /// Tuning for a watcher.
    public struct Options: Hashable, Sendable {
        /// Options for each file's follower.
        public var follower: FileFollower.Options
        /// The longest time between two expansions of the sources while inotify works. Default 5 s.
        public var rescanInterval: Duration
        /// The most files followed at once; further matches are ignored and reported. Default 4096.
        public var maximumFiles: Int
        /// How deep directory sources are walked. Default 16.
        public var maximumDirectoryDepth: Int
        /// `fnmatch(3)` patterns of paths never followed (for example `*.tmp`, or `*.log.[0-9]` to skip rotated
        /// copies in a directory source).
        public var exclude: [String]
        /// Whether to use inotify for wake-ups. Default `true`.
        public var usesInotify: Bool
        /// The most directories watched with inotify. Default 1024.
        public var maximumWatches: Int

        /// Creates options.
        ///
        /// - Parameters:
        ///   - follower: Options for each follower.
        ///   - rescanInterval: Maximum time between source expansions while inotify works.
        ///   - maximumFiles: Maximum number of files followed.
        ///   - maximumDirectoryDepth: Maximum recursion depth for directory sources.
        ///   - exclude: `fnmatch(3)` patterns of paths to skip.
        ///   - usesInotify: Whether to use inotify.
        ///   - maximumWatches: Maximum number of inotify watches.
        public init(
            follower: FileFollower.Options = FileFollower.Options(), rescanInterval: Duration = .seconds(5),
            maximumFiles: Int = 4096, maximumDirectoryDepth: Int = 16, exclude: [String] = [],
            usesInotify: Bool = true, maximumWatches: Int = 1024
        ) {
            self.follower = follower
            self.rescanInterval = rescanInterval
            self.maximumFiles = maximumFiles
            self.maximumDirectoryDepth = maximumDirectoryDepth
            self.exclude = exclude
            self.usesInotify = usesInotify
            self.maximumWatches = maximumWatches
        }
    }

    /// A ``FollowEvent`` and the path it happened to.
    public struct FileEvent: Hashable, Sendable, CustomStringConvertible {
        /// The followed path.
        public var path: String
        /// What happened.
        public var event: FollowEvent

        /// `"<path>: <event>"`.
        public var description: String { "\(path): \(event)" }
    }

    /// What one ``poll(_:)`` did.
    public struct PollReport: Hashable, Sendable {
        /// Bytes read from all files.
        public var bytesRead = 0
        /// Lines delivered from all files.
        public var linesDelivered = 0
        /// Everything the followers noticed, in order.
        public var events: [FileEvent] = []
        /// Files found since the previous poll.
        public var newFiles: [String] = []
        /// gzip files found (not followed): decode each once.
        public var gzipFiles: [String] = []
        /// Whether some file has more data than its per-poll budget: poll again without waiting.
        public var hasMoreData = false
        /// Whether the inotify queue overflowed since the last poll (all sources were re-expanded).
        public var inotifyOverflowed = false
        /// Whether more files matched than ``Options/maximumFiles``.
        public var fileLimitReached = false

        /// Whether anything was read or discovered.
        public var didWork: Bool {
            bytesRead > 0 || linesDelivered > 0 || !events.isEmpty || !newFiles.isEmpty
        }
    }

    private struct InodeKey: Hashable {
        var device: UInt64
        var inode: UInt64

        init(_ identity: FileIdentity) {
            device = identity.device
            inode = identity.inode
        }

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    /// The configured sources.
    public let sources: [String]
    /// The options in use.
    public let options: Options
    private let startPosition: StartPosition
    private let expander: SourceExpander
    private let inotify: InotifyWatcher?
    private let clock = ContinuousClock()

    private var followers: [String: FileFollower] = [:]
    private var released: [InodeKey: FileCheckpoint] = [:]
    private var releasedOrder: [InodeKey] = []
    private var restoredByInode: [InodeKey: FileCheckpoint] = [:]
    private var restoredByPath: [String: FileCheckpoint] = [:]
    private let hasRestoredState: Bool
    private var initialScanDone = false
    private var lastRescan: ContinuousClock.Instant?
    private var pendingChanges = InotifyWatcher.Changes()

    private static let maximumReleased = 1024

    /// Creates a watcher. Nothing is read until the first ``poll(_:)``.
    ///
    /// - Parameters:
    ///   - sources: File paths, glob patterns and directories.
    ///   - startPosition: Where to start in files that exist at the first poll when `checkpoints` is `nil`.
    ///   - checkpoints: Saved positions from ``checkpoints()`` of a previous run, or `nil` on a first start.
    ///     Passing a (possibly empty) list means "restarting": files without a matching checkpoint are then read
    ///     from the beginning.
    ///   - options: Tuning.
    public init(
        sources: [String], startPosition: StartPosition, checkpoints: [FileCheckpoint]?, options: Options = Options()
    ) {
        self.sources = sources
        self.startPosition = startPosition
        self.options = options
        expander = SourceExpander(
            sources: sources, exclude: options.exclude, maximumFiles: options.maximumFiles,
            maximumDepth: options.maximumDirectoryDepth)
        inotify = options.usesInotify ? InotifyWatcher(maximumWatches: options.maximumWatches) : nil
        hasRestoredState = checkpoints != nil
        for checkpoint in checkpoints ?? [] {
            restoredByInode[InodeKey(checkpoint.identity)] = checkpoint
            restoredByPath[checkpoint.path] = checkpoint
        }
    }

    /// The paths currently followed, sorted.
    public var followedPaths: [String] {
        followers.keys.sorted()
    }

    /// The inotify file descriptor (readable when something changed), for callers that multiplex it themselves,
    /// or `nil` when inotify is not used.
    public var inotifyDescriptor: Int32? {
        inotify?.descriptor
    }

    /// Whether inotify is in use with all source directories watched. When `false` the caller must poll often
    /// (at most every second) because wake-ups may not come.
    public var isInotifyComplete: Bool {
        guard let inotify else { return false }
        return !inotify.limitReached
    }

    /// Positions to save so that a restart loses and repeats nothing: one per followed file, plus the end positions
    /// of files rotated away since the sources were last expanded (so that a rotated file found under its new name
    /// after a restart is not read again).
    ///
    /// - Returns: Checkpoints, sorted by path.
    public func checkpoints() -> [FileCheckpoint] {
        var result = followers.values.compactMap(\.checkpoint)
        let followed = Set(result.map { InodeKey($0.identity) })
        result += releasedOrder.compactMap { released[$0] }.filter { !followed.contains(InodeKey($0.identity)) }
        return result.sorted { ($0.path, $0.identity.inode) < ($1.path, $1.identity.inode) }
    }

    /// Reads what was appended to every followed file and discovers new files.
    ///
    /// - Parameter onLine: Receives the path, each line (without `\n`; valid only during the call) and its position.
    /// - Returns: What was done.
    @discardableResult
    public func poll(_ onLine: (String, UnsafeRawBufferPointer, LineInfo) -> Void) -> PollReport {
        var report = PollReport()
        var changes = pendingChanges
        pendingChanges = InotifyWatcher.Changes()
        if let inotify { merge(inotify.drain(), into: &changes) }
        report.inotifyOverflowed = changes.overflowed

        for path in followers.keys.sorted() {
            if let follower = followers[path] { poll(follower, into: &report, onLine) }
        }

        let now = clock.now
        let rescanDue =
            !initialScanDone || changes.namesChanged || !isInotifyComplete
            || lastRescan.map { now - $0 >= options.rescanInterval } ?? true
        if rescanDue {
            rescan(&report, onLine)
            lastRescan = now
        }
        return report
    }

    /// Blocks until inotify reports a change in a watched directory or `timeout` passes.
    ///
    /// Without inotify it just sleeps for `timeout`. Do not call it when the last ``PollReport/hasMoreData`` was
    /// `true`.
    ///
    /// - Parameter timeout: The longest wait; use the poll interval (at most 1 s).
    /// - Returns: `true` if a change was reported before the timeout.
    @discardableResult
    public func waitForChange(timeout: Duration) -> Bool {
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: max(0, seconds * 1_000 + attoseconds / 1_000_000_000_000_000))
        guard let inotify else {
            var request = timespec(tv_sec: Int(milliseconds / 1_000), tv_nsec: Int(milliseconds % 1_000) * 1_000_000)
            var remaining = timespec()
            while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
            return false
        }
        let changes = inotify.wait(milliseconds: milliseconds)
        merge(changes, into: &pendingChanges)
        return changes.any
    }

    // MARK: - Internals

    private func merge(_ changes: InotifyWatcher.Changes, into target: inout InotifyWatcher.Changes) {
        target.modified = target.modified || changes.modified
        target.namesChanged = target.namesChanged || changes.namesChanged
        target.overflowed = target.overflowed || changes.overflowed
    }

    private func poll(
        _ follower: FileFollower, into report: inout PollReport,
        _ onLine: (String, UnsafeRawBufferPointer, LineInfo) -> Void
    ) {
        let path = follower.path
        let result = follower.poll { line, info in onLine(path, line, info) }
        report.bytesRead += result.bytesRead
        report.linesDelivered += result.linesDelivered
        report.hasMoreData = report.hasMoreData || result.hasMoreData
        for event in result.events {
            report.events.append(FileEvent(path: path, event: event))
            if event == .gzipDetected { report.gzipFiles.append(path) }
        }
        for checkpoint in result.released {
            remember(released: checkpoint)
        }
    }

    private func remember(released checkpoint: FileCheckpoint) {
        let key = InodeKey(checkpoint.identity)
        if released.updateValue(checkpoint, forKey: key) == nil {
            releasedOrder.append(key)
        }
        if releasedOrder.count > Self.maximumReleased {
            released.removeValue(forKey: releasedOrder.removeFirst())
        }
    }

    /// Where reading of the file with `identity` stopped, if another follower read it: a follower still holding it
    /// under a path that no longer names it hands it over; otherwise the position recorded when it was rotated away.
    private func claim(_ key: InodeKey, for path: String) -> FileCheckpoint? {
        for (holderPath, holder) in followers where holderPath != path {
            guard let held = holder.identity, InodeKey(held) == key else { continue }
            if let info = POSIX.status(holderPath), InodeKey(info) == key { return nil }  // a second name (link)
            return holder.release()
        }
        guard let checkpoint = released.removeValue(forKey: key) else { return nil }
        releasedOrder.removeAll { $0 == key }
        return checkpoint
    }

    private func rescan(_ report: inout PollReport, _ onLine: (String, UnsafeRawBufferPointer, LineInfo) -> Void) {
        let expansion = expander.expand()
        report.fileLimitReached = expansion.isTruncated
        if let inotify {
            for directory in expansion.directories.sorted() { inotify.watch(directory: directory) }
        }

        for path in expansion.files where followers[path] == nil {
            guard followers.count < options.maximumFiles else {
                report.fileLimitReached = true
                break
            }
            guard let info = POSIX.status(path), POSIX.isRegularFile(info) else { continue }
            let key = InodeKey(info)
            let followedElsewhere = followers.contains { holderPath, holder in
                guard let held = holder.identity, InodeKey(held) == key else { return false }
                return POSIX.status(holderPath).map { InodeKey($0) == key } ?? false
            }
            if followedElsewhere { continue }  // the same file under a second name (hard link or symlink)

            var checkpoint: FileCheckpoint?
            if let claimed = claim(key, for: path) {
                checkpoint = claimed  // renamed by rotation: continue, do not re-read (fail2ban #17)
            } else if let saved = restoredByInode.removeValue(forKey: key) {
                checkpoint = saved
                if restoredByPath[saved.path] == saved { restoredByPath[saved.path] = nil }
            } else if let saved = restoredByPath.removeValue(forKey: path) {
                checkpoint = saved  // a different file now: the follower rejects it and reads from the beginning
            }
            checkpoint?.path = path
            let start: StartPosition = !initialScanDone && !hasRestoredState ? startPosition : .beginning
            let follower = FileFollower(
                path: path, startPosition: start, checkpoint: checkpoint, options: options.follower,
                handoff: { [weak self] identity in self?.claim(InodeKey(identity), for: path) })
            followers[path] = follower
            report.newFiles.append(path)
            poll(follower, into: &report, onLine)
        }

        // Forget followers whose file is gone and whose path no longer matches.
        let current = Set(expansion.files)
        for (path, follower) in followers where !current.contains(path) && !follower.isOpen {
            followers[path] = nil
        }
        // Rotated-away files that the sources do not match will never be claimed: forget them (bounded state).
        released.removeAll()
        releasedOrder.removeAll()
        if !initialScanDone {
            initialScanDone = true
            // Checkpoints of files that vanished while the daemon was down expire now (vector #23076).
            restoredByInode.removeAll()
            restoredByPath.removeAll()
        }
    }
}
