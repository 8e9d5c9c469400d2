import DiagnosisRules

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// State of the streaming walker over one top-level JSON value that spans lines or read buffers.
///
/// The walker follows the top-level object member by member. The arrays that make documents big — `events`
/// (logs documents), `services` (describe-services), `logEvents` (subscription messages whose `messageType`
/// came first) and the elements of a top-level array — are streamed: each element is framed, decoded and
/// dropped before the next one is read. Any other top-level object is kept whole (up to the record limit)
/// and classified like a JSON line.
struct WalkerState {
    enum Phase {
        case open, keyOrEnd, colon, value, skipValue, commaOrEnd, elementOrEnd, element, elementCommaOrEnd, after
    }
    enum Target { case events, services, logEvents, controlEvents, topArray }
    enum Key { case events, services, logEvents, logGroup, logStream, messageType, logTokens, other }
    enum MessageType { case unknown, data, control, other }

    var phase = Phase.open
    var topStart = 0
    var topLine: Int64 = 0
    var pos = 0
    var key = Key.other
    var target: Target?
    /// The top-level value is longer than the record limit and not streamed: walk it without keeping it.
    var discarding = false
    var framer = JSONValueFramer()
    var elementStart = 0
    var elementLine: Int64 = 0
    var elementDiscarding = false
    var messageType = MessageType.unknown
    var sawLogTokens = false
    var unknownElements = false
    var concatenated = false

    /// The first byte that must stay in the buffer.
    var retainFrom: Int {
        if phase == .after { return pos }
        if target == nil && !discarding { return topStart }
        if phase == .element && !elementDiscarding { return elementStart }
        return pos
    }

    mutating func shift(by d: Int) {
        topStart -= d
        pos -= d
        elementStart -= d
    }
}

extension RecordReader {
    private enum WalkOutcome { case yield, needMore }

    /// Starts streaming the JSON value at buffer offset `p` (its `{` or `[`), which starts on line `line`.
    func beginWalker(at p: Int, line: Int64, concatenated: Bool = false) {
        walker = WalkerState()
        walker.topStart = p
        walker.pos = p
        walker.topLine = line
        walker.concatenated = concatenated
        envelopeGroup.count = 0
        envelopeStream.count = 0
        start = p
        mode = .walker
    }

    func stepWalker() {
        while true {
            switch walk() {
            case .yield:
                return
            case .needMore:
                if walker.target == nil, !walker.discarding, end - walker.topStart > options.maxRecordBytes {
                    walker.discarding = true
                }
                if walker.phase == .element, !walker.elementDiscarding,
                    end - walker.elementStart > options.maxRecordBytes
                {
                    walker.elementDiscarding = true
                }
                let keep = walker.retainFrom
                if keep > start {
                    if cursorPos < keep { _ = lineAt(keep) }
                    start = keep
                }
                if !fill() {
                    walkerEOF()
                    return
                }
            }
        }
    }

    private func walkerEOF() {
        if walker.phase == .after {
            toLines(at: walker.pos)
            return
        }
        if rewindAsText() { return }
        let line = walker.phase == .element ? walker.elementLine : walker.topLine
        if !sourceFailed { malformed(.brokenJSON, line: line, "JSON document ends early") }
        _ = lineAt(end)
        start = end
        scanFrom = end
        mode = .lines
    }

    private func toLines(at p: Int) {
        _ = lineAt(p)
        start = p
        scanFrom = p
        mode = .lines
    }

    /// The first non-whitespace offset at or after `p`, or `nil` at the end of the buffer.
    @inline(__always)
    private func skipWhitespace(_ p: Int) -> Int? {
        var p = p
        while p < end {
            let c = byte(p)
            if c != 32 && c != 10 && c != 13 && c != 9 { return p }
            p += 1
        }
        return nil
    }

    /// The offset of the quote closing a string whose content starts at `i`.
    private func quoteEnd(from i: Int) -> Int? {
        var p = i
        while p < end, let q = memchr(buf + p, 34, end - p) {
            let idx = buf.distance(to: q)
            var b = idx - 1
            while b >= i, byte(b) == 92 { b -= 1 }
            if (idx - 1 - b) & 1 == 0 { return idx }
            p = idx + 1
        }
        return nil
    }

    private func walkerKey(_ k: UnsafeRawBufferPointer) -> WalkerState.Key {
        switch k.count {
        case 6: if ByteChecks.equals(k, "events") { return .events }
        case 8:
            if ByteChecks.equals(k, "services") { return .services }
            if ByteChecks.equals(k, "logGroup") { return .logGroup }
        case 9:
            if ByteChecks.equals(k, "logEvents") { return .logEvents }
            if ByteChecks.equals(k, "logStream") { return .logStream }
        case 11: if ByteChecks.equals(k, "messageType") { return .messageType }
        case 16: if ByteChecks.equals(k, "nextForwardToken") { return .logTokens }
        case 17: if ByteChecks.equals(k, "nextBackwardToken") { return .logTokens }
        default: break
        }
        return .other
    }

    private func streamTarget(for key: WalkerState.Key) -> WalkerState.Target? {
        switch key {
        case .events: .events
        case .services: .services
        case .logEvents:
            switch walker.messageType {
            case .data: .logEvents
            case .control: .controlEvents
            default: nil
            }
        default: nil
        }
    }

    private func walk() -> WalkOutcome {
        while true {
            switch walker.phase {
            case .open:
                let c = byte(walker.pos)
                walker.pos += 1
                if c == 123 {
                    walker.phase = .keyOrEnd
                } else {
                    walker.target = .topArray
                    walker.phase = .elementOrEnd
                }

            case .keyOrEnd:
                guard let p = skipWhitespace(walker.pos) else { walker.pos = end; return .needMore }
                walker.pos = p
                let c = byte(p)
                if c == 125 { return finishTop(p + 1) }
                guard c == 34 else { return fail(at: p, "expected a member name") }
                guard let q = quoteEnd(from: p + 1) else {
                    if end - p > 4096 { return fail(at: p, "member name too long") }
                    return .needMore
                }
                walker.key = walkerKey(view(p + 1, q))
                walker.pos = q + 1
                walker.phase = .colon

            case .colon:
                guard let p = skipWhitespace(walker.pos) else { walker.pos = end; return .needMore }
                guard byte(p) == 58 else { return fail(at: p, "expected ':'") }
                walker.pos = p + 1
                walker.phase = .value

            case .value:
                guard let p = skipWhitespace(walker.pos) else { walker.pos = end; return .needMore }
                walker.pos = p
                let c = byte(p)
                if c == 91, let target = streamTarget(for: walker.key) {
                    walker.target = target
                    walker.pos = p + 1
                    walker.phase = .elementOrEnd
                    continue
                }
                if walker.key == .logTokens { walker.sawLogTokens = true }
                if c == 34, walker.key == .logGroup || walker.key == .logStream || walker.key == .messageType {
                    if let q = quoteEnd(from: p + 1) {
                        storeEnvelopeValue(view(p + 1, q))
                        walker.pos = q + 1
                        walker.phase = .commaOrEnd
                        continue
                    }
                    if end - p <= 65536 { return .needMore }
                }
                walker.framer.reset()
                walker.phase = .skipValue

            case .skipValue:
                switch walker.framer.scan(buf, from: walker.pos, to: end) {
                case .needMore:
                    walker.pos = end
                    return .needMore
                case .complete(let q):
                    walker.pos = q
                    walker.phase = .commaOrEnd
                case .error(let q):
                    return fail(at: q, "invalid JSON")
                }

            case .commaOrEnd:
                guard let p = skipWhitespace(walker.pos) else { walker.pos = end; return .needMore }
                switch byte(p) {
                case 44:
                    walker.pos = p + 1
                    walker.phase = .keyOrEnd
                case 125:
                    return finishTop(p + 1)
                default:
                    return fail(at: p, "expected ',' or '}'")
                }

            case .elementOrEnd:
                guard let p = skipWhitespace(walker.pos) else { walker.pos = end; return .needMore }
                if byte(p) == 93 {
                    walker.pos = p + 1
                    if walker.target == .topArray { return finishTop(p + 1) }
                    walker.phase = .commaOrEnd
                    continue
                }
                walker.elementStart = p
                walker.elementLine = lineAt(p)
                walker.elementDiscarding = false
                walker.framer.reset()
                walker.pos = p
                walker.phase = .element

            case .element:
                switch walker.framer.scan(buf, from: walker.pos, to: end) {
                case .needMore:
                    walker.pos = end
                    return .needMore
                case .complete(let q):
                    walker.pos = q
                    walker.phase = .elementCommaOrEnd
                    if walker.elementDiscarding {
                        malformed(
                            .recordTooLong, line: walker.elementLine,
                            "document element longer than \(options.maxRecordBytes) bytes")
                    } else {
                        streamedElement(walker.elementStart, q)
                    }
                    if !queue.isEmpty { return .yield }
                case .error(let q):
                    return fail(at: q, "invalid JSON")
                }

            case .elementCommaOrEnd:
                guard let p = skipWhitespace(walker.pos) else { walker.pos = end; return .needMore }
                switch byte(p) {
                case 44:
                    walker.pos = p + 1
                    walker.phase = .elementOrEnd
                case 93:
                    walker.pos = p + 1
                    if walker.target == .topArray { return finishTop(p + 1) }
                    walker.phase = .commaOrEnd
                default:
                    return fail(at: p, "expected ',' or ']'")
                }

            case .after:
                var p = walker.pos
                while p < end, byte(p) == 32 || byte(p) == 9 || byte(p) == 13 { p += 1 }
                walker.pos = p
                if p == end { return .needMore }
                let c = byte(p)
                if c == 10 {
                    toLines(at: p + 1)
                    return .yield
                }
                if c == 123 || c == 91 {
                    // Another value on the same line: concatenated objects (Firehose).
                    beginWalker(at: p, line: lineAt(p), concatenated: true)
                    continue
                }
                toLines(at: p)
                return .yield
            }
        }
    }

    private func storeEnvelopeValue(_ raw: UnsafeRawBufferPointer) {
        switch walker.key {
        case .logGroup, .logStream:
            let target = walker.key == .logGroup ? envelopeGroup : envelopeStream
            if memchr(raw.baseAddress!, 92, raw.count) != nil {
                unescapeBuffer.removeAll(keepingCapacity: true)
                JSONString.unescape(raw, into: &unescapeBuffer)
                unescapeBuffer.withUnsafeBytes { target.set($0) }
            } else {
                target.set(raw)
            }
        case .messageType:
            walker.messageType =
                ByteChecks.equals(raw, "DATA_MESSAGE")
                ? .data
                : ByteChecks.equals(raw, "CONTROL_MESSAGE") ? .control : .other
        default:
            break
        }
    }

    /// Decodes one streamed element `a..<b`.
    private func streamedElement(_ a: Int, _ b: Int) {
        let region = view(a, b)
        checkUTF8(region, line: walker.elementLine)
        let s = JSONScanner(region)
        let u = Unit(line: walker.elementLine, bufferOffset: a, multiline: true, concatenated: false)
        let isObject = region[0] == 123
        let whole = JSONValue(
            kind: isObject ? .object : (region[0] == 91 ? .array : .string), range: 0..<region.count,
            hasEscapes: !isObject && region[0] != 91 && memchr(region.baseAddress!, 92, region.count) != nil)
        switch walker.target {
        case .events:
            if !emitLogsElement(s, whole, u) { walker.unknownElements = true }
        case .services:
            if isObject { emitServiceObject(s, at: 0, u) } else { walker.unknownElements = true }
        case .logEvents:
            var m = ObjectMembers()
            if isObject, ObjectMembers.scan(s, at: 0, into: &m) != nil, let msg = m.message, msg.kind == .string {
                emitCloudWatchEvent(
                    s, message: msg, timestamp: m.timestamp, streamValue: nil, groupValue: nil,
                    envelopeGroup: envelopeGroup.bytes, envelopeStream: envelopeStream.bytes,
                    line: walker.elementLine)
            } else {
                walker.unknownElements = true
            }
        case .topArray:
            var m = ObjectMembers()
            if isObject, let e = ObjectMembers.scan(s, at: 0, into: &m) {
                if !classifyObject(s, 0..<e, &m, u) { walker.unknownElements = true }
            } else {
                walker.unknownElements = true
            }
        case .controlEvents, nil:
            break
        }
    }

    /// The top-level value ended just before `endPos`.
    private func finishTop(_ endPos: Int) -> WalkOutcome {
        walker.pos = endPos
        walker.phase = .after
        jsonLineCount += 1
        switch walker.target {
        case nil:
            if walker.discarding {
                malformed(
                    .recordTooLong, line: walker.topLine, "JSON value longer than \(options.maxRecordBytes) bytes")
            } else {
                let region = view(walker.topStart, endPos)
                checkUTF8(region, line: walker.topLine)
                let s = JSONScanner(region)
                var m = ObjectMembers()
                let u = Unit(
                    line: walker.topLine, bufferOffset: walker.topStart, multiline: true,
                    concatenated: walker.concatenated)
                if let e = ObjectMembers.scan(s, at: 0, into: &m) {
                    handleTopObject(s, 0..<e, &m, u)
                } else {
                    malformed(.brokenJSON, line: walker.topLine, "invalid JSON object")
                }
            }
        case .events:
            formats.insert(walker.sawLogTokens ? .cloudWatchGetLogEvents : .cloudWatchFilterLogEvents)
        case .services:
            formats.insert(.describeServicesJSON)
        case .logEvents:
            formats.insert(.subscriptionDataMessage)
            if walker.concatenated { formats.insert(.firehoseObject) }
        case .controlEvents:
            formats.insert(.subscriptionControlMessage)
            report.ignoredControlMessages += 1
        case .topArray:
            break
        }
        if walker.unknownElements {
            malformed(.unknownJSONDocument, line: walker.topLine, "document elements of no known shape")
        }
        return .yield
    }

    /// Invalid JSON at buffer offset `q`: count the broken value and resume after it.
    /// In an input of mostly text lines, a `{` block that is not JSON is text: read it again line by line.
    private func rewindAsText() -> Bool {
        guard walker.target == nil, !walker.discarding, textLineCount > jsonLineCount, walker.topStart >= start else {
            return false
        }
        start = walker.topStart
        scanFrom = start
        cursorPos = start
        cursorLine = walker.topLine
        forceTextAt = start
        mode = .lines
        return true
    }

    private func fail(at q: Int, _ detail: String) -> WalkOutcome {
        if rewindAsText() { return .yield }
        let unitLine = walker.phase == .element ? walker.elementLine : walker.topLine
        let errorLine = lineAt(q)
        malformed(.brokenJSON, line: unitLine, "\(detail) (line \(errorLine))")
        var lineStart = q
        while lineStart > start, byte(lineStart - 1) != 10 { lineStart -= 1 }
        let lineStartKnown = lineStart > start || (lineStart == start && lineStart > 0 && byte(lineStart - 1) == 10)
        if errorLine == walker.topLine || !lineStartKnown {
            // The value broke on its first line: drop the rest of that line (and, in a document, the fragments
            // that follow it).
            start = q
            scanFrom = q
            skipFragments = errorLine != walker.topLine
            beginSkipLine(reason: nil, line: errorLine, detail: "")
        } else {
            // A value that continued over several lines broke on a later one: that line may start the next
            // record (JSON lines), or be a fragment of the broken document (skipped while it looks like one).
            start = lineStart
            scanFrom = lineStart
            cursorPos = lineStart
            skipFragments = true
            mode = .lines
        }
        return .yield
    }
}
