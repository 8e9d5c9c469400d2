import Glibc

/// Splits a byte stream into lines without creating a `String` per line.
///
/// Bytes come from ``read(from:maximumBytes:_:)`` (a file descriptor: a followed file, a pipe or standard input) or
/// from ``append(_:_:)``. Complete lines are found with `memchr` and delivered to a closure as
/// `UnsafeRawBufferPointer` views into the framer's buffer, valid only during the call, without the terminating
/// `\n` (a `\r` before it is kept). A partial last line is held until its newline arrives.
///
/// Memory is bounded: the buffer starts at ``Options/initialCapacity`` and grows only while one line is longer, up to
/// ``Options/maximumLineLength`` + 1 bytes. A longer line is delivered cut at the maximum length, marked
/// ``LineInfo/isPartial``, and the rest of it up to the next newline is skipped. The buffer shrinks back after such
/// a line, and is freed whenever a read reaches the end of the data with no partial line pending, so a framer of an
/// idle file holds no buffer at all.
///
/// The framer tracks stream offsets: ``committedOffset`` is the offset just after the last complete line (the value
/// to checkpoint) and ``streamOffset`` the offset of the next byte to be read.
public final class LineFramer {
    /// Buffer sizing.
    public struct Options: Hashable, Sendable {
        /// The buffer's initial size in bytes, which is also the largest single `read(2)`. Default 128 KiB.
        public var initialCapacity: Int
        /// Lines longer than this many bytes are cut (and marked partial). Default 1 MiB.
        public var maximumLineLength: Int

        /// Creates options.
        ///
        /// - Parameters:
        ///   - initialCapacity: Initial buffer size and largest read, in bytes (at least 64).
        ///   - maximumLineLength: Longest line delivered whole, in bytes (at least 1).
        public init(initialCapacity: Int = 128 * 1024, maximumLineLength: Int = 1024 * 1024) {
            self.initialCapacity = max(initialCapacity, 64)
            self.maximumLineLength = max(maximumLineLength, 1)
        }
    }

    /// The outcome of one ``read(from:maximumBytes:_:)`` call.
    public struct ReadResult: Hashable, Sendable {
        /// Bytes read.
        public var bytesRead: Int
        /// Lines delivered.
        public var linesDelivered: Int
        /// Whether reading stopped at the end of the available data (`read(2)` returned 0 or `EAGAIN`) rather than
        /// at the byte budget.
        public var reachedEnd: Bool
        /// The `errno` of a failed `read(2)`, if any.
        public var error: Int32?
    }

    /// The options in use.
    public let options: Options
    private var allocation: UnsafeMutableRawPointer?  // nil while nothing is pending: idle framers hold no buffer
    private var capacity = 0
    private var start = 0  // first byte of the pending (unterminated) line
    private var end = 0  // one past the last byte read
    private var scanned = 0  // bytes before this index contain no newline of the pending line
    private var discarding = false  // inside an over-long line whose prefix was already delivered
    private var discardStartOffset: UInt64 = 0

    /// The stream offset of the next byte to be read.
    public private(set) var streamOffset: UInt64
    /// The number of lines delivered so far (including a cut over-long line whose end was not seen yet).
    public private(set) var lineNumber: UInt64
    /// The number of lines up to ``committedOffset``.
    public private(set) var committedLineNumber: UInt64

    /// Creates a framer.
    ///
    /// - Parameters:
    ///   - options: Buffer sizing.
    ///   - offset: The stream offset of the first byte that will be read.
    ///   - lineNumber: Lines already consumed before `offset`.
    public init(options: Options = Options(), offset: UInt64 = 0, lineNumber: UInt64 = 0) {
        self.options = options
        streamOffset = offset
        self.lineNumber = lineNumber
        committedLineNumber = lineNumber
    }

    deinit {
        allocation?.deallocate()
    }

    /// The buffer; only used after ``makeRoom(_:)`` allocated it or while bytes are pending.
    private var storage: UnsafeMutableRawPointer {
        allocation!
    }

    /// The stream offset just after the last complete line delivered (the start of the pending partial line).
    public var committedOffset: UInt64 {
        discarding ? discardStartOffset : streamOffset - UInt64(end - start)
    }

    /// The number of bytes of an unterminated line being held.
    public var pendingByteCount: Int {
        end - start
    }

    /// Forgets pending bytes and continues as if the next byte were at `offset`.
    ///
    /// - Parameters:
    ///   - offset: Stream offset of the next byte.
    ///   - lineNumber: Lines consumed before `offset`.
    public func reset(offset: UInt64, lineNumber: UInt64) {
        start = 0
        end = 0
        scanned = 0
        discarding = false
        streamOffset = offset
        self.lineNumber = lineNumber
        committedLineNumber = lineNumber
        releaseBufferIfEmpty()
    }

    /// Reads from `descriptor` until the end of the available data or until `maximumBytes` were read, delivering
    /// every complete line.
    ///
    /// - Parameters:
    ///   - descriptor: A readable file descriptor (a regular file, a pipe, standard input).
    ///   - maximumBytes: Read budget for this call.
    ///   - onLine: Receives each complete line and its position; the buffer is only valid during the call.
    /// - Returns: Bytes read, lines delivered, and whether the end of the available data was reached.
    @discardableResult
    public func read(
        from descriptor: Int32, maximumBytes: Int, _ onLine: (UnsafeRawBufferPointer, LineInfo) -> Void
    ) -> ReadResult {
        var result = ReadResult(bytesRead: 0, linesDelivered: 0, reachedEnd: false, error: nil)
        while result.bytesRead < maximumBytes {
            result.linesDelivered += makeRoom(onLine)
            let wanted = min(capacity - end, maximumBytes - result.bytesRead)
            let count = POSIX.read(descriptor, storage + end, wanted)
            if count == 0 {
                result.reachedEnd = true
                break
            }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    result.reachedEnd = true
                } else {
                    result.error = errno
                }
                break
            }
            end += count
            streamOffset += UInt64(count)
            result.bytesRead += count
            result.linesDelivered += frame(onLine)
        }
        if result.reachedEnd { releaseBufferIfEmpty() }
        return result
    }

    /// Frames bytes that are already in memory (for tests, or data decoded elsewhere).
    ///
    /// - Parameters:
    ///   - bytes: The next bytes of the stream.
    ///   - onLine: Receives each complete line and its position.
    /// - Returns: The number of lines delivered.
    @discardableResult
    public func append(_ bytes: UnsafeRawBufferPointer, _ onLine: (UnsafeRawBufferPointer, LineInfo) -> Void) -> Int {
        var delivered = 0
        var index = 0
        while index < bytes.count {
            delivered += makeRoom(onLine)
            let count = min(capacity - end, bytes.count - index)
            (storage + end).copyMemory(from: bytes.baseAddress! + index, byteCount: count)
            end += count
            index += count
            streamOffset += UInt64(count)
            delivered += frame(onLine)
        }
        return delivered
    }

    /// Delivers the held unterminated line, if any, as a partial line, and commits past it.
    ///
    /// Use it when no more bytes can follow (the file was rotated away, truncated or deleted). Do not use it at
    /// shutdown: leaving the line pending keeps ``committedOffset`` before it, so it is read whole after a restart.
    ///
    /// - Parameter onLine: Receives the partial line.
    /// - Returns: Whether a line was delivered.
    @discardableResult
    public func flushPartialLine(_ onLine: (UnsafeRawBufferPointer, LineInfo) -> Void) -> Bool {
        if discarding {
            // The cut prefix was already delivered; the rest is skipped.
            discarding = false
            committedLineNumber = lineNumber
            start = end
            return false
        }
        guard end > start else { return false }
        lineNumber += 1
        let info = LineInfo(lineNumber: lineNumber, offset: committedOffset, isPartial: true)
        onLine(UnsafeRawBufferPointer(start: storage + start, count: end - start), info)
        committedLineNumber = lineNumber
        start = end
        scanned = end
        return true
    }

    // MARK: - Buffer management

    /// Ensures there is free space after `end`, compacting, growing, or cutting an over-long line.
    private func makeRoom(_ onLine: (UnsafeRawBufferPointer, LineInfo) -> Void) -> Int {
        if allocation == nil {
            allocation = .allocate(byteCount: options.initialCapacity, alignment: 16)
            capacity = options.initialCapacity
        }
        if start == end {
            start = 0
            end = 0
            scanned = 0
            shrinkIfLarge()
        }
        let limit = options.maximumLineLength + 1
        if end == capacity || (start > 0 && capacity - end < capacity / 4) {
            if start > 0 {
                let pending = end - start
                memmove(storage, storage + start, pending)
                scanned -= start
                start = 0
                end = pending
            }
        }
        guard end == capacity else { return 0 }
        if capacity < limit {
            resize(to: min(max(capacity * 2, 64), limit))
            return 0
        }
        // The buffer holds more than maximumLineLength bytes without a newline: deliver the cut prefix once and skip
        // the rest of the line.
        var delivered = 0
        if !discarding {
            lineNumber += 1
            let info = LineInfo(lineNumber: lineNumber, offset: committedOffset, isPartial: true)
            onLine(UnsafeRawBufferPointer(start: storage, count: options.maximumLineLength), info)
            discardStartOffset = committedOffset
            discarding = true
            delivered = 1
        }
        start = 0
        end = 0
        scanned = 0
        return delivered
    }

    private func resize(to newCapacity: Int) {
        let pending = end - start
        precondition(newCapacity >= pending)
        let newStorage = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        if let allocation {
            newStorage.copyMemory(from: allocation + start, byteCount: pending)
            allocation.deallocate()
        }
        allocation = newStorage
        capacity = newCapacity
        scanned -= start
        start = 0
        end = pending
    }

    /// Frees the buffer when no bytes are pending, so that idle files cost no buffer memory.
    private func releaseBufferIfEmpty() {
        guard start == end, let allocation else { return }
        allocation.deallocate()
        self.allocation = nil
        capacity = 0
        start = 0
        end = 0
        scanned = 0
    }

    private func shrinkIfLarge() {
        if capacity > options.initialCapacity && end - start <= options.initialCapacity / 2 {
            resize(to: options.initialCapacity)
        }
    }

    /// Delivers every complete line in the buffer.
    private func frame(_ onLine: (UnsafeRawBufferPointer, LineInfo) -> Void) -> Int {
        var delivered = 0
        var position = max(scanned, start)
        while position < end, let found = memchr(storage + position, 0x0A, end - position) {
            let newline = storage.distance(to: found)
            if discarding {
                // End of an over-long line: its prefix was delivered already.
                discarding = false
            } else {
                lineNumber += 1
                let info = LineInfo(
                    lineNumber: lineNumber, offset: streamOffset - UInt64(end - start), isPartial: false)
                onLine(UnsafeRawBufferPointer(start: storage + start, count: newline - start), info)
                delivered += 1
            }
            committedLineNumber = lineNumber
            start = newline + 1
            position = start
        }
        if discarding {
            start = end  // drop the middle of an over-long line
        }
        scanned = end
        return delivered
    }
}
