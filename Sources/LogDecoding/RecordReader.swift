import DiagnosisRules

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decodes one input — any supported CloudWatch, ECS or metrics shape, plain or gzip — into a pull stream
/// of ``DiagnosisRules/RecordView``s.
///
/// Formats are detected by content, per input and per record: one file may mix shapes line by line.
/// Framing is done with `memchr` over one large read buffer and JSON is located with byte ranges, so the
/// common shapes (CloudWatch event lines, `aws logs tail` lines, ALB lines) cost no allocation and no
/// `String` per record. Documents (`filter-log-events`, `describe-services`, subscription messages) are
/// streamed element by element; only the current element is kept in memory.
///
/// ```swift
/// let reader = RecordReader(source: myFileSource, input: 0, pathHint: path)
/// while let record = reader.next() {
///     engine.consume(record)   // the view is valid until the next call to next()
/// }
/// print(reader.report)
/// ```
///
/// Records come out in input order, except that ECS service events listed newest first (describe-services,
/// console copies, `--output text`) are put oldest first. Lines without a timestamp have `time == nil`, except
/// continuation lines of an `aws logs tail`/export event (a stack trace), which take that event's time,
/// stream and task. Damaged input is counted in ``report`` and never stops decoding.
///
/// - Important: A reader is confined to one task; it is not `Sendable`.
public final class RecordReader {
    // Stored state is `@exclusivity(unchecked)`: the reader is confined to one task and never re-enters
    // itself, and the dynamic exclusivity checks on class properties cost ~18% of decoding time.

    // MARK: Configuration
    let input: Int32
    let options: DecoderOptions
    let exportHint: ExportPathHint?

    // MARK: Source
    @exclusivity(unchecked) var source: any ByteSource
    let rawCounter = ByteCounter()
    @exclusivity(unchecked) var sniffed = false
    @exclusivity(unchecked) var eof = false
    /// The source threw: what is missing at the end is part of that damage, not counted again.
    @exclusivity(unchecked) var sourceFailed = false

    // MARK: Read buffer (all positions are offsets into `buf`)
    @exclusivity(unchecked) var buf: UnsafeMutableRawPointer
    @exclusivity(unchecked) var cap: Int
    let maxCap: Int
    /// First byte not yet consumed (everything before it may be discarded).
    @exclusivity(unchecked) var start = 0
    /// End of the valid bytes.
    @exclusivity(unchecked) var end = 0
    /// There is no newline in `start..<scanFrom` (line framing resumes here).
    @exclusivity(unchecked) var scanFrom = 0
    /// A position whose line number is known (moves forward only).
    @exclusivity(unchecked) var cursorPos = 0
    /// The 1-based line number at `cursorPos`.
    @exclusivity(unchecked) var cursorLine: Int64 = 1
    /// Whether the next line starts at offset 0 of the decoded input (for the BOM).
    @exclusivity(unchecked) var atInputStart = true

    // MARK: Modes
    enum Mode { case lines, walker, tailJSON, skipLine, finished }
    @exclusivity(unchecked) var mode = Mode.lines
    @exclusivity(unchecked) var walker = WalkerState()
    @exclusivity(unchecked) var tail = TailJSONState()
    @exclusivity(unchecked) var skip = SkipState()
    /// After a broken multi-line document: skip lines that look like its remaining fragments.
    @exclusivity(unchecked) var skipFragments = false

    // MARK: Output
    @exclusivity(unchecked) var queue: [RecordView] = []
    @exclusivity(unchecked) var head = 0
    /// Bytes that records in `queue` point to (unescaped messages, stripped lines, decoded payloads).
    let arena = ByteArena()
    /// Line-oriented service events waiting to be put in time order, and the bytes they point to.
    @exclusivity(unchecked) var run: [RecordView] = []
    let runArena = ByteArena()
    /// Scratch for base64 decoding.
    let scratch = GrowableBytes(capacity: 4096)
    /// Scratch for unescaping JSON strings (copied into `arena` before use).
    @exclusivity(unchecked) var unescapeBuffer: [UInt8] = []
    /// Depth of embedded payload decoding (payloads inside payloads are not decoded).
    @exclusivity(unchecked) var nestingDepth = 0

    // MARK: Contexts
    /// The stream of the last `aws logs tail`/export record, for continuation lines and multi-line JSON messages.
    let contextStream = GrowableBytes()
    @exclusivity(unchecked) var continuation: Continuation?
    /// The envelope of the subscription message being streamed.
    let envelopeGroup = GrowableBytes()
    let envelopeStream = GrowableBytes()
    /// Whether an `--output text` table was seen (its non-event rows are then skipped).
    @exclusivity(unchecked) var tableMode = false
    /// Lines decoded as JSON values and as text so far (decides whether a broken `{` line is text).
    @exclusivity(unchecked) var jsonLineCount = 0
    @exclusivity(unchecked) var textLineCount = 0
    /// A buffer offset where a line must be read as text even though it starts with `{` (-1: none).
    @exclusivity(unchecked) var forceTextAt = -1
    @exclusivity(unchecked) var lastBinaryLine: Int64 = -1
    @exclusivity(unchecked) var formats = FormatBits()

    struct Continuation {
        var time: EventTime?
        var task: TaskID?
        var hasStream: Bool
    }

    // MARK: Public state

    /// What could not be decoded (and what was deliberately ignored).
    @exclusivity(unchecked) public internal(set) var report = MalformedReport()
    /// Records handed out by ``next()``.
    @exclusivity(unchecked) public internal(set) var recordsDecoded = 0
    /// Bytes read from the source (compressed bytes for gzip input).
    public var bytesRead: Int { rawCounter.value }
    /// Bytes decoded (after decompression).
    @exclusivity(unchecked) public internal(set) var decodedBytes = 0
    /// Whether any CloudWatch application-log record was seen (an event message, a tail or export line).
    @exclusivity(unchecked) public internal(set) var containsLogRecords = false
    /// Every shape seen so far.
    public var detectedFormats: Set<InputFormat> { formats.set }
    /// Whether the input has been read to its end and every record handed out.
    public var isFinished: Bool { mode == .finished && head >= queue.count }

    /// Creates a reader over one input.
    ///
    /// - Parameters:
    ///   - source: The input bytes; gzip is detected from its magic bytes.
    ///   - input: The index of this input in the caller's source table (copied into every `SourceRef`).
    ///   - pathHint: The input's path, used only to name the stream and task of CloudWatch export-to-S3
    ///     lines (`…/<exportTaskId>/<stream>/000000.gz`). Never used to detect the format.
    ///   - options: Buffer sizes and limits.
    public init(
        source: some ByteSource, input: Int32, pathHint: String? = nil, options: DecoderOptions = DecoderOptions()
    ) {
        self.input = input
        self.options = options
        self.exportHint = pathHint.flatMap(ExportPathHint.init(path:))
        self.source = CountingByteSource(base: source, counter: rawCounter)
        cap = max(options.readBufferSize, 4096)
        maxCap = max(options.readBufferSize, 4096, options.maxRecordBytes + max(64 << 10, options.readBufferSize / 4))
        buf = .allocate(byteCount: cap, alignment: 64)
        queue.reserveCapacity(64)
    }

    deinit { buf.deallocate() }

    /// Decodes and returns the next record, or `nil` at the end of the input.
    ///
    /// - Returns: A view into the reader's buffers, valid until the next call.
    public func next() -> RecordView? {
        while true {
            if head < queue.count {
                let r = queue[head]
                head += 1
                recordsDecoded += 1
                return r
            }
            if head > 0 { queue.removeAll(keepingCapacity: true); head = 0 }
            if mode == .finished { return nil }
            arena.reset()
            if run.isEmpty { runArena.reset() }
            step()
        }
    }

    /// Performs one unit of work: decodes one record's worth of input or reads more.
    private func step() {
        if !sniffed { sniff(); return }
        switch mode {
        case .lines: stepLines()
        case .walker: stepWalker()
        case .tailJSON: stepTailJSON()
        case .skipLine: stepSkipLine()
        case .finished: break
        }
    }

    // MARK: Buffer management

    /// Reads the first bytes, puts a decompressor in front of gzip input and rejects binary input.
    private func sniff() {
        while end < 2 && !eof { _ = readMore() }
        if end >= 2, buf.load(as: UInt8.self) == 0x1F, buf.load(fromByteOffset: 1, as: UInt8.self) == 0x8B {
            let prefix = Array(UnsafeRawBufferPointer(start: buf, count: end))
            let base = AnyByteSource(base: source)
            source = GzipByteSource(base: PrefixedByteSource(prefix: prefix, base: base), inputBufferSize: 256 << 10)
            formats.insert(.gzip)
            end = 0
            decodedBytes = 0
            eof = false
        }
        sniffed = true
        while end < 4096 && !eof { _ = readMore() }
        if ByteChecks.isBinaryInput(view(0, min(end, 4096))) {
            malformed(.binaryData, line: 1, "binary input")
            // Drain the source so byte counts are complete, then stop.
            while !eof { start = end; _ = fill() }
            start = end
            mode = .finished
        }
    }

    /// Reads more input into the buffer, compacting or growing it first.
    /// - Returns: `false` at the end of input (after recording a read error, if any).
    func fill() -> Bool {
        if eof { return false }
        if start > 0 && (end == cap || cap - end < cap / 4) { compact() }
        if end == cap {
            guard cap < maxCap else { return true }  // callers bound what they retain; nothing to read into
            let newCap = min(cap * 2, maxCap)
            let nb = UnsafeMutableRawPointer.allocate(byteCount: newCap, alignment: 64)
            nb.copyMemory(from: buf, byteCount: end)
            buf.deallocate()
            buf = nb
            cap = newCap
        }
        return readMore()
    }

    private func readMore() -> Bool {
        do {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buf + end, count: cap - end))
            if n == 0 { eof = true; return false }
            end += n
            decodedBytes += n
            return true
        } catch let error as ByteSourceError {
            let reason: MalformedReport.Reason = .truncatedGzip
            malformed(reason, line: lineAt(end), error.description)
            eof = true
            sourceFailed = true
            return false
        } catch {
            malformed(.readError, line: lineAt(end), "\(error)")
            eof = true
            sourceFailed = true
            return false
        }
    }

    /// Moves the unconsumed bytes to the start of the buffer.
    private func compact() {
        let shift = start
        if cursorPos < start { _ = lineAt(start) }
        if end > start { buf.copyMemory(from: buf + start, byteCount: end - start) }
        start = 0
        end -= shift
        scanFrom = max(scanFrom - shift, 0)
        cursorPos -= shift
        walker.shift(by: shift)
        if forceTextAt >= 0 { forceTextAt -= shift }
        tail.shift(by: shift)
    }

    /// The line number of buffer position `pos` (which must not precede earlier queries).
    @inline(__always)
    func lineAt(_ pos: Int) -> Int64 {
        if pos > cursorPos {
            var p = cursorPos
            while p < pos, let q = memchr(buf + p, 10, pos - p) {
                cursorLine += 1
                p = buf.distance(to: q) + 1
            }
            cursorPos = pos
        }
        return cursorLine
    }

    @inline(__always)
    func view(_ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buf + from, count: to - from)
    }

    @inline(__always)
    func byte(_ i: Int) -> UInt8 { buf.load(fromByteOffset: i, as: UInt8.self) }

    func finish() {
        flushRun()
        mode = .finished
    }

    // MARK: Skipping an overlong text line

    struct SkipState {
        var reason: MalformedReport.Reason?
        var line: Int64 = 0
        var detail = ""
    }

    /// Discards input through the next newline, then reports `reason` (if any) and returns to line mode.
    func beginSkipLine(reason: MalformedReport.Reason?, line: Int64, detail: String) {
        skip = SkipState(reason: reason, line: line, detail: detail)
        mode = .skipLine
    }

    private func stepSkipLine() {
        if start < end, let q = memchr(buf + start, 10, end - start) {
            let nl = buf.distance(to: q)
            start = nl + 1
            scanFrom = start
            cursorPos = start
            cursorLine += 1
            endSkip()
            return
        }
        start = end
        scanFrom = end
        cursorPos = end
        if !fill() { endSkip(); finish() }
    }

    private func endSkip() {
        if let reason = skip.reason { malformed(reason, line: skip.line, skip.detail) }
        mode = .lines
    }

    // MARK: Reporting

    func malformed(_ reason: MalformedReport.Reason, line: Int64, _ detail: @autoclosure () -> String) {
        report.record(reason, line: line, detail: detail(), maxExamples: options.maxExamplesPerReason)
    }

    /// Counts invalid UTF-8 in a record's bytes (once per record); `true` when valid.
    @inline(__always)
    func checkUTF8(_ b: UnsafeRawBufferPointer, line: Int64) {
        guard let p = b.baseAddress else { return }
        if ByteChecks.content(p, b.count).hasHighBytes, ByteChecks.invalidUTF8Count(b) > 0 {
            malformed(.invalidUTF8, line: line, "invalid UTF-8 sequence")
        }
    }

    // MARK: Emitting

    @inline(__always)
    func emit(
        time: EventTime?, line: Int64, kind: RecordKind, payload: UnsafeRawBufferPointer, escaped: Bool = false,
        group: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        stream: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0), task: TaskID? = nil
    ) {
        if !run.isEmpty { flushRun() }
        queue.append(
            RecordView(
                time: time, source: SourceRef(input: input, line: line), kind: kind, payload: payload,
                payloadIsJSONEscaped: escaped, logGroup: group, logStream: stream, task: task))
    }

    /// Adds a line-oriented service event to the run that will be emitted in time order.
    func addToRun(time: EventTime?, line: Int64, payload: UnsafeRawBufferPointer) {
        let copy = runArena.copy(payload)
        run.append(
            RecordView(time: time, source: SourceRef(input: input, line: line), kind: .serviceEvent, payload: copy))
        if run.count >= options.maxServiceEventRun { flushRun() }
    }

    func flushRun() {
        guard !run.isEmpty else { return }
        RecordReader.orderServiceEvents(&run)
        queue.append(contentsOf: run)
        run.removeAll(keepingCapacity: true)
    }

    /// Puts service events listed newest first (or in any order) oldest first, keeping the relative order of
    /// events with equal times as they happened. Events without a time keep their listed order.
    static func orderServiceEvents(_ events: inout [RecordView]) {
        guard events.count > 1 else { return }
        guard events.allSatisfy({ $0.time != nil }) else { return }
        if events[0].time! > events[events.count - 1].time! { events.reverse() }
        let indexed = events.enumerated().sorted { a, b in
            let ta = a.element.time!, tb = b.element.time!
            return ta != tb ? ta < tb : a.offset < b.offset
        }
        events = indexed.map(\.element)
    }

    /// Records a binary line; consecutive binary lines count once.
    func binaryLine(_ line: Int64) {
        if lastBinaryLine != line - 1 || lastBinaryLine < 0 {
            malformed(.binaryData, line: line, "NUL or control bytes")
        }
        lastBinaryLine = line
    }
}
