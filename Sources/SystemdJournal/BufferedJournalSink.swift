#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// A bounded retry queue in front of a ``JournalWriter``.
///
/// ``submit(_:)`` sanitizes the entry's values, then tries to write it. When the writer fails with a transient error
/// (journald not running, socket unavailable) the entry stays queued, in order, and a one-line copy of its `MESSAGE`
/// goes to the fallback output (standard error by default) exactly once, so that the diagnosis is not lost even if
/// the queue later overflows. Queued entries are re-sent, oldest first, by the next ``submit(_:)`` or ``flush()``.
///
/// The queue holds at most ``capacity`` entries; when it is full the oldest entry is dropped and counted in
/// ``Statistics/dropped``. Entries the writer rejects permanently (invalid field names) are discarded and counted in
/// ``Statistics/rejected``. No call sleeps or retries in a loop: each call makes at most one failed attempt.
///
/// The sink is thread-safe; calls are serialised by an internal lock, so entries reach the writer in submission
/// order.
public final class BufferedJournalSink: Sendable {
    /// Counters describing what the sink has done since it was created.
    public struct Statistics: Hashable, Sendable {
        /// Entries the writer accepted.
        public var sent = 0
        /// Entries that had to be queued at least once because the writer failed.
        public var deferred = 0
        /// Queued entries dropped because the queue was full.
        public var dropped = 0
        /// Entries discarded because the writer rejected them permanently (for example an invalid field name).
        public var rejected = 0
        /// Entries currently queued.
        public var pending = 0
        /// The most recent error from the writer, if any.
        public var lastError: JournalError?
    }

    /// What happened to a submitted entry.
    public enum Outcome: Hashable, Sendable {
        /// The writer accepted the entry.
        case sent
        /// The entry is queued for a later retry (the writer failed, or older entries are still queued).
        case queued
        /// The writer rejected the entry permanently; it was discarded.
        case rejected(JournalError)
    }

    private struct Pending {
        var fields: [JournalField]
        var echoed: Bool
    }

    private struct State {
        var queue: [Pending?] = []  // ring buffer storage
        var head = 0
        var count = 0
        var statistics = Statistics()
    }

    /// The default maximum number of queued entries.
    public static let defaultCapacity = 10_000

    /// The maximum number of queued entries.
    public let capacity: Int
    private let writer: any JournalWriter
    private let sanitizer: JournalValueSanitizer?
    private let fallback: @Sendable (String) -> Void
    private let state: Mutex<State>

    /// Creates a sink.
    ///
    /// - Parameters:
    ///   - writer: Where entries go, usually a ``SystemdJournalWriter``.
    ///   - capacity: Maximum number of queued entries (default 10 000, at least 1).
    ///   - sanitizer: Applied to every field value on submission, or `nil` to pass values through unchanged.
    ///   - fallback: Receives one line per entry that could not be written when first submitted; defaults to writing
    ///     the line to standard error.
    public init(
        writer: any JournalWriter,
        capacity: Int = BufferedJournalSink.defaultCapacity,
        sanitizer: JournalValueSanitizer? = JournalValueSanitizer(),
        fallback: @escaping @Sendable (String) -> Void = BufferedJournalSink.writeToStandardError
    ) {
        self.writer = writer
        self.capacity = max(capacity, 1)
        self.sanitizer = sanitizer
        self.fallback = fallback
        self.state = Mutex(State())
    }

    /// Writes `line` and a newline to standard error with one `write(2)`.
    ///
    /// - Parameter line: The text to write.
    public static func writeToStandardError(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Counters and the current queue length.
    public var statistics: Statistics {
        state.withLock { $0.statistics }
    }

    /// The number of queued entries.
    public var pendingCount: Int {
        state.withLock { $0.count }
    }

    /// Sanitizes and submits one entry, first retrying queued entries so that order is kept.
    ///
    /// - Parameter fields: The entry's fields.
    /// - Returns: Whether the entry was sent, queued or rejected.
    @discardableResult
    public func submit(_ fields: [JournalField]) -> Outcome {
        let entry = sanitizer.map { sanitizer in
            fields.map { JournalField(name: $0.name, value: sanitizer.sanitize($0.value)) }
        } ?? fields
        var echoLines: [String] = []
        let outcome: Outcome = state.withLock { state in
            _ = drain(&state, echoLines: &echoLines)
            if state.count > 0 {
                enqueue(Pending(fields: entry, echoed: false), into: &state)
                state.statistics.deferred += 1
                // The journal is still failing: make sure this entry's message is not lost silently.
                markEchoed(lastOf: &state, echoLines: &echoLines)
                return .queued
            }
            do throws(JournalError) {
                try writer.send(entry)
                state.statistics.sent += 1
                return .sent
            } catch {
                state.statistics.lastError = error
                guard error.isTransient else {
                    state.statistics.rejected += 1
                    echoLines.append(Self.fallbackLine(for: entry, error: error))
                    return .rejected(error)
                }
                enqueue(Pending(fields: entry, echoed: false), into: &state)
                state.statistics.deferred += 1
                markEchoed(lastOf: &state, echoLines: &echoLines)
                return .queued
            }
        }
        for line in echoLines { fallback(line) }
        return outcome
    }

    /// Re-sends queued entries, oldest first, until the queue is empty or the writer fails again.
    ///
    /// Call it periodically (for example on every watchdog tick) so that entries queued while journald was down are
    /// delivered even when no new entries arrive.
    ///
    /// - Returns: The number of queued entries delivered by this call.
    @discardableResult
    public func flush() -> Int {
        var echoLines: [String] = []
        let delivered = state.withLock { state in drain(&state, echoLines: &echoLines) }
        for line in echoLines { fallback(line) }
        return delivered
    }

    // MARK: - Queue operations (called with the lock held)

    private func drain(_ state: inout State, echoLines: inout [String]) -> Int {
        var delivered = 0
        while state.count > 0, let pending = state.queue[state.head] {
            do throws(JournalError) {
                try writer.send(pending.fields)
            } catch {
                state.statistics.lastError = error
                if error.isTransient { break }
                state.statistics.rejected += 1
                if !pending.echoed { echoLines.append(Self.fallbackLine(for: pending.fields, error: error)) }
                removeFirst(&state)
                continue
            }
            state.statistics.sent += 1
            delivered += 1
            removeFirst(&state)
        }
        return delivered
    }

    private func enqueue(_ pending: Pending, into state: inout State) {
        if state.count == capacity {
            // Full: overwrite the oldest entry (storage is exactly `capacity` long here).
            state.queue[state.head] = pending
            state.head = (state.head + 1) % capacity
            state.statistics.dropped += 1
        } else if state.count < state.queue.count {
            state.queue[(state.head + state.count) % state.queue.count] = pending
            state.count += 1
        } else {
            // Storage is full but below capacity: unwrap the ring, then grow it.
            if state.head != 0 {
                state.queue = Array(state.queue[state.head...] + state.queue[..<state.head])
                state.head = 0
            }
            state.queue.append(pending)
            state.count += 1
        }
        state.statistics.pending = state.count
    }

    private func removeFirst(_ state: inout State) {
        state.queue[state.head] = nil
        state.head = (state.head + 1) % state.queue.count
        state.count -= 1
        if state.count == 0 {
            state.queue.removeAll(keepingCapacity: false)
            state.head = 0
        }
        state.statistics.pending = state.count
    }

    private func markEchoed(lastOf state: inout State, echoLines: inout [String]) {
        let index = (state.head + state.count - 1) % state.queue.count
        guard var pending = state.queue[index], !pending.echoed else { return }
        pending.echoed = true
        state.queue[index] = pending
        echoLines.append(Self.fallbackLine(for: pending.fields, error: state.statistics.lastError))
    }

    private static func fallbackLine(for fields: [JournalField], error: JournalError?) -> String {
        let message = fields.first(where: { $0.name == "MESSAGE" })?.value ?? "(entry without MESSAGE)"
        let oneLine = JournalValueSanitizer(maximumByteCount: 2048, allowsNewlines: false).sanitize(message)
        let reason = error.map { " (\($0))" } ?? ""
        return "ecsdiagd: journal unavailable\(reason): \(oneLine)"
    }
}
