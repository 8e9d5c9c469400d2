import Glibc

/// A non-blocking inotify instance watching directories, used only to wake up early: the followers still find out
/// what changed by `stat(2)`, so a missed or coalesced event costs latency, never data.
final class InotifyWatcher {
    /// What the drained events say.
    struct Changes {
        /// Something was written to a watched directory's files (IN_MODIFY, IN_CLOSE_WRITE).
        var modified = false
        /// A directory entry appeared, moved or disappeared: the source list should be expanded again.
        var namesChanged = false
        /// The kernel queue overflowed (IN_Q_OVERFLOW): events were lost; rescan everything (fluent-bit #2197).
        var overflowed = false

        var any: Bool { modified || namesChanged || overflowed }
    }

    let descriptor: Int32
    private var watches: [Int32: String] = [:]
    private var watchedPaths: Set<String> = []
    private let maximumWatches: Int
    /// Set when a watch could not be added (limit reached, `ENOSPC`): the watcher then relies on polling.
    private(set) var limitReached = false

    private static let mask: UInt32 =
        UInt32(IN_CREATE) | UInt32(IN_MODIFY) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM) | UInt32(IN_CLOSE_WRITE)
        | UInt32(IN_DELETE) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_ONLYDIR)

    /// Creates an inotify instance, or returns `nil` when inotify is unavailable (the caller then polls).
    init?(maximumWatches: Int) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.maximumWatches = maximumWatches
    }

    deinit {
        close(descriptor)
    }

    /// The number of directories watched.
    var watchCount: Int { watches.count }

    /// Watches `directory` (idempotent).
    func watch(directory: String) {
        guard !watchedPaths.contains(directory) else { return }
        guard watches.count < maximumWatches else {
            limitReached = true
            return
        }
        let watch = inotify_add_watch(descriptor, directory, Self.mask)
        if watch >= 0 {
            watches[watch] = directory
            watchedPaths.insert(directory)
        } else if errno == ENOSPC {
            limitReached = true
        }
    }

    /// Waits up to `timeout` milliseconds for an event, then drains the queue.
    func wait(milliseconds timeout: Int32) -> Changes {
        var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        var result: Int32
        repeat {
            result = poll(&descriptorSet, 1, timeout)
        } while result < 0 && errno == EINTR
        guard result > 0 else { return Changes() }
        return drain()
    }

    /// Reads every queued event without blocking.
    func drain() -> Changes {
        var changes = Changes()
        let size = 64 * 1024
        withUnsafeTemporaryAllocation(byteCount: size, alignment: 8) { buffer in
            while true {
                let count = POSIX.read(descriptor, buffer.baseAddress!, size)
                guard count > 0 else { return }
                var offset = 0
                let headerSize = MemoryLayout<inotify_event>.size
                while offset + headerSize <= count {
                    let event = buffer.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    apply(event, to: &changes)
                    offset += headerSize + Int(event.len)
                }
            }
        }
        return changes
    }

    private func apply(_ event: inotify_event, to changes: inout Changes) {
        let mask = event.mask
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            changes.overflowed = true
            changes.namesChanged = true
        }
        if mask & (UInt32(IN_MODIFY) | UInt32(IN_CLOSE_WRITE)) != 0 {
            changes.modified = true
        }
        let nameMask =
            UInt32(IN_CREATE) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM) | UInt32(IN_DELETE)
            | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF)
        if mask & nameMask != 0 {
            changes.namesChanged = true
        }
        if mask & UInt32(IN_IGNORED) != 0, let path = watches.removeValue(forKey: event.wd) {
            // The directory is gone (or was moved and its watch removed): allow watching a new one at the path.
            watchedPaths.remove(path)
            changes.namesChanged = true
        }
    }
}
