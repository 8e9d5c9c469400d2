import DiagnosisRules

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Line mode: the hot path. One line per step, framed with memchr.
extension RecordReader {
    func stepLines() {
        let nl: Int
        let terminated: Bool
        if scanFrom < end, let q = memchr(buf + scanFrom, 10, end - scanFrom) {
            nl = buf.distance(to: q)
            terminated = true
        } else {
            scanFrom = end
            if end - start > options.maxRecordBytes { overlongLine(); return }
            if fill() { return }
            if start >= end { finish(); return }
            if sourceFailed {
                // After a truncated gzip or a read error an unterminated text line is a fragment of the damage;
                // a JSON document is still walked, since its complete elements are good.
                if let p = jsonStart(start, end) { beginWalker(at: p, line: cursorLine) } else { finish() }
                return
            }
            nl = end
            terminated = false
        }
        let s = start
        var e = nl
        if e > s, byte(e - 1) == 13 { e -= 1 }
        let lineNo = cursorLine
        if processLine(s, e, lineNo) {
            let next = terminated ? nl + 1 : nl
            start = next
            scanFrom = next
            cursorPos = next
            if terminated { cursorLine += 1 }
        }
    }

    private func jsonStart(_ s: Int, _ e: Int) -> Int? {
        var p = s
        while p < e, ByteChecks.isSpace(byte(p)) { p += 1 }
        return p < e && (byte(p) == 123 || byte(p) == 91) ? p : nil
    }

    /// A line without newline longer than the record limit: a huge JSON value is streamed, text is skipped.
    private func overlongLine() {
        var p = start
        while p < end, byte(p) == 32 || byte(p) == 9 || byte(p) == 13 { p += 1 }
        let lineNo = cursorLine
        if p < end, byte(p) == 123 || byte(p) == 91 {
            var f = JSONValueFramer()
            let text: Bool  // `[INFO] …` is text, not JSON
            if byte(p) == 91, case .error = f.scan(buf, from: p, to: end) { text = true } else { text = false }
            if !text {
                _ = lineAt(p)
                beginWalker(at: p, line: lineNo)
                return
            }
        }
        let head = view(start, min(end, start + 4096))
        let binary = ByteChecks.looksBinary(head, content: ByteChecks.content(head.baseAddress!, head.count))
        if binary {
            binaryLine(lineNo)
            beginSkipLine(reason: nil, line: lineNo, detail: "")
        } else {
            beginSkipLine(
                reason: .recordTooLong, line: lineNo, detail: "line longer than \(options.maxRecordBytes) bytes")
        }
    }

    /// Decodes the line `s..<e` (no newline, no trailing CR).
    /// - Returns: `false` when it switched to another mode that consumes the line itself.
    func processLine(_ s: Int, _ e: Int, _ lineNo: Int64) -> Bool {
        var s = s
        if atInputStart {
            atInputStart = false
            if e - s >= 3, byte(s) == 0xEF, byte(s + 1) == 0xBB, byte(s + 2) == 0xBF { s += 3 }
        }
        var p = s
        while p < e, byte(p) == 32 || byte(p) == 9 { p += 1 }
        if p == e { return true }
        let c = byte(p)
        if skipFragments {
            if p > s || c == 125 || c == 93 || c == 44 || c == 34 { return true }
            skipFragments = false
        }
        if p == forceTextAt {
            // A multi-line `{` block that turned out not to be JSON, in a text input.
            forceTextAt = -1
            textLine(s, e, lineNo)
            return true
        }
        if c == 123 || c == 91 { return jsonLine(s, p, e, lineNo) }
        textLine(s, e, lineNo)
        return true
    }

    // MARK: JSON lines

    /// A line whose first non-blank byte is `{` or `[`.
    private func jsonLine(_ s: Int, _ p: Int, _ e: Int, _ lineNo: Int64) -> Bool {
        continuation = nil
        if byte(p) == 123 {
            // Common case: one object filling the line, located in a single pass.
            let scanner = JSONScanner(view(p, e))
            var m = ObjectMembers()
            if let objEnd = ObjectMembers.scan(scanner, at: 0, into: &m) {
                var q = p + objEnd
                while q < e, ByteChecks.isSpace(byte(q)) { q += 1 }
                if q == e {
                    jsonLineCount += 1
                    handleTopObject(
                        scanner, 0..<objEnd, &m,
                        Unit(line: lineNo, bufferOffset: nil, multiline: false, concatenated: false))
                    checkUTF8(view(s, e), line: lineNo)
                    return true
                }
            }
        }
        return jsonValuesInLine(s, p, e, lineNo)
    }

    /// The slow path of a JSON line: validate each value strictly, then decode them all — or none.
    private func jsonValuesInLine(_ s: Int, _ p: Int, _ e: Int, _ lineNo: Int64) -> Bool {
        var values: [Range<Int>] = []
        var v = p
        while true {
            var f = JSONValueFramer()
            switch f.scan(buf, from: v, to: e) {
            case .needMore:
                if f.isInString { return brokenLine(s, p, e, lineNo, "line ends inside a string") }
                // The last value continues on the next lines.
                decodeValues(values, lineNo)
                start = v
                cursorPos = v
                beginWalker(at: v, line: lineNo, concatenated: !values.isEmpty)
                return false
            case .error(let at):
                return brokenLine(s, p, e, lineNo, "unexpected byte at column \(at - s + 1)")
            case .complete(let x):
                values.append(v..<x)
                var q = x
                while q < e, ByteChecks.isSpace(byte(q)) { q += 1 }
                if q == e {
                    jsonLineCount += 1
                    decodeValues(values, lineNo)
                    checkUTF8(view(s, e), line: lineNo)
                    return true
                }
                guard byte(q) == 123 || byte(q) == 91 else {
                    return brokenLine(s, p, e, lineNo, "unexpected bytes after a JSON value at column \(q - s + 1)")
                }
                v = q
            }
        }
    }

    /// Decodes complete values of one line (more than one: concatenated objects, as in Firehose objects).
    private func decodeValues(_ values: [Range<Int>], _ lineNo: Int64) {
        for (i, r) in values.enumerated() {
            let scanner = JSONScanner(view(r.lowerBound, r.upperBound))
            let unit = Unit(line: lineNo, bufferOffset: nil, multiline: false, concatenated: i > 0)
            if byte(r.lowerBound) == 91 {
                handleTopArray(scanner, unit)
                continue
            }
            var m = ObjectMembers()
            if let objEnd = ObjectMembers.scan(scanner, at: 0, into: &m) {
                handleTopObject(scanner, 0..<objEnd, &m, unit)
            } else {
                malformed(.brokenJSON, line: lineNo, "not a JSON object")
            }
        }
    }

    /// A line starting with `{` or `[` that is not JSON. In an input of mostly text lines it is a text line
    /// (`[INFO] …`, a cut JSON dump in an error message); among JSON lines it is a broken record.
    private func brokenLine(_ s: Int, _ p: Int, _ e: Int, _ lineNo: Int64, _ detail: String) -> Bool {
        if byte(p) == 91 || textLineCount > jsonLineCount {
            textLine(s, e, lineNo)
        } else {
            malformed(.brokenJSON, line: lineNo, detail)
        }
        return true
    }

    // MARK: Text lines

    func textLine(_ s: Int, _ e: Int, _ lineNo: Int64) {
        textLineCount += 1
        var line = view(s, e)
        let content = ByteChecks.content(line.baseAddress!, line.count)
        if content.hasControlBytes || content.hasHighBytes {
            if ByteChecks.looksBinary(line, content: content) {
                binaryLine(lineNo)
                return
            }
            if content.hasHighBytes, ByteChecks.invalidUTF8Count(line) > 0 {
                malformed(.invalidUTF8, line: lineNo, "invalid UTF-8 sequence")
            }
            if content.hasControlBytes, memchr(line.baseAddress!, 27, line.count) != nil {
                let out = arena.allocate(line.count)
                let n = ByteChecks.stripANSI(line, into: out)
                line = UnsafeRawBufferPointer(start: out, count: n)
                formats.insert(.ansiColor)
            }
        }
        let r = TextLine.classify(line, tableMode: tableMode)
        let payload = UnsafeRawBufferPointer(rebasing: line[r.payload])
        switch r.shape {
        case .plain:
            if let c = continuation {
                containsLogRecords = true
                emit(
                    time: c.time, line: lineNo, kind: .applicationLog, payload: payload,
                    stream: c.hasStream ? contextStream.bytes : UnsafeRawBufferPointer(start: nil, count: 0),
                    task: c.task)
            } else {
                formats.insert(.plainText)
                emit(time: nil, line: lineNo, kind: .applicationLog, payload: payload)
            }
        case .tailDetailed:
            let stream = UnsafeRawBufferPointer(rebasing: line[r.stream])
            contextStream.set(stream)
            let task = FastParsing.taskSuffix(stream)
            continuation = Continuation(time: r.time, task: task, hasStream: true)
            if payload.isEmpty, r.stream.upperBound < line.count, e < end || !eof {
                // `aws logs tail --format json` prints `<time> <stream> ` and the JSON message pretty-printed
                // from the next line on.
                beginTailJSON(lineStart: s, lineEnd: e, line: lineNo, time: r.time, task: task)
                return
            }
            formats.insert(.tailDetailed)
            emitMessage(time: r.time, line: lineNo, payload: payload, stream: contextStream.bytes, task: task)
        case .tailShort:
            formats.insert(.tailShort)
            continuation = Continuation(time: r.time, task: nil, hasStream: false)
            emitMessage(
                time: r.time, line: lineNo, payload: payload, stream: UnsafeRawBufferPointer(start: nil, count: 0),
                task: nil)
        case .s3Export:
            formats.insert(.s3Export)
            var stream = UnsafeRawBufferPointer(start: nil, count: 0)
            if let hint = exportHint {
                hint.stream.withUnsafeBytes { contextStream.set($0) }
                stream = contextStream.bytes
            }
            continuation = Continuation(time: r.time, task: exportHint?.task, hasStream: exportHint != nil)
            emitMessage(time: r.time, line: lineNo, payload: payload, stream: stream, task: exportHint?.task)
        case .timestamped:
            continuation = nil
            formats.insert(.timestampedText)
            emit(time: r.time, line: lineNo, kind: .applicationLog, payload: payload)
        case .serviceEvent:
            continuation = nil
            formats.insert(.serviceEventLines)
            addToRun(time: r.time, line: lineNo, payload: payload)
        case .describeServicesRow:
            continuation = nil
            tableMode = true
            formats.insert(.describeServicesText)
            addToRun(time: r.time, line: lineNo, payload: payload)
        case .tableRow:
            tableMode = true
            report.ignoredTableRows += 1
        case .alb:
            continuation = nil
            formats.insert(.albAccessLog)
            emit(time: r.time, line: lineNo, kind: .albAccessLog, payload: payload)
        case .base64Record:
            continuation = nil
            if !decodeBase64Record(payload, line: lineNo) {
                formats.insert(.plainText)
                emit(time: nil, line: lineNo, kind: .applicationLog, payload: payload)
            }
        }
    }

    /// Emits a tail/export message: EventBridge and Container Insights JSON messages keep their kind.
    private func emitMessage(
        time: EventTime?, line: Int64, payload: UnsafeRawBufferPointer, stream: UnsafeRawBufferPointer, task: TaskID?
    ) {
        if !payload.isEmpty, payload[0] == 123,
            emitEmbedded(
                payload, escaped: false, fallbackTime: time, line: line,
                group: UnsafeRawBufferPointer(start: nil, count: 0), stream: stream)
        {
            return
        }
        containsLogRecords = true
        emit(time: time, line: line, kind: .applicationLog, payload: payload, stream: stream, task: task)
    }

    // MARK: Base64 records (Kinesis)

    /// Decodes a base64 line holding gzip(JSON) or JSON. Returns `false` when it is not such a record.
    private func decodeBase64Record(_ b: UnsafeRawBufferPointer, line: Int64) -> Bool {
        scratch.count = 0
        guard Base64.decode(b, into: scratch) else { return false }
        let decoded = scratch.bytes
        if GzipPayload.isGzip(decoded) {
            formats.insert(.kinesisRecords)
            processEmbeddedPayload(gzip: decoded, line: line)
            return true
        }
        let t = ByteChecks.trimmed(decoded)
        guard !t.isEmpty, t[0] == 123 else { return false }
        formats.insert(.kinesisRecords)
        processNestedValues(arena.copy(t), line: line)
        return true
    }

    // MARK: aws logs tail --format json

    struct TailJSONState {
        var recordStart = 0
        var firstLineEnd = 0
        var messageStart = 0
        var pos = 0
        var line: Int64 = 0
        var time: EventTime?
        var task: TaskID?
        var framing = false
        var framer = JSONValueFramer()

        mutating func shift(by d: Int) {
            recordStart -= d
            firstLineEnd -= d
            messageStart -= d
            pos -= d
        }
    }

    private func beginTailJSON(lineStart: Int, lineEnd: Int, line: Int64, time: EventTime?, task: TaskID?) {
        var nl = lineEnd
        while nl < end, byte(nl) != 10 { nl += 1 }  // skip the CR, if any
        tail = TailJSONState(
            recordStart: lineStart, firstLineEnd: lineEnd, messageStart: nl + 1, pos: nl + 1,
            line: line, time: time, task: task)
        start = lineStart
        mode = .tailJSON
    }

    func stepTailJSON() {
        if !tail.framing {
            let p = tail.messageStart
            if p >= end {
                if end - tail.recordStart > options.maxRecordBytes || !fill() { tailJSONFallback() }
                return
            }
            let c = byte(p)
            guard c == 123 || c == 91 else { tailJSONFallback(); return }
            tail.messageStart = p
            tail.pos = p
            tail.framing = true
        }
        switch tail.framer.scan(buf, from: tail.pos, to: end) {
        case .needMore:
            tail.pos = end
            if end - tail.recordStart > options.maxRecordBytes || !fill() { tailJSONFallback() }
        case .error:
            tailJSONFallback()
        case .complete(let q):
            var nl = q
            while nl < end, byte(nl) != 10 { nl += 1 }
            if nl == end, !eof {
                if !fill() { completeTailJSON(q, next: end) }
                return
            }
            completeTailJSON(q, next: nl < end ? nl + 1 : end)
        }
    }

    private func completeTailJSON(_ q: Int, next: Int) {
        formats.insert(.tailJSON)
        let message = view(tail.messageStart, q)
        checkUTF8(message, line: tail.line)
        emitMessage(time: tail.time, line: tail.line, payload: message, stream: contextStream.bytes, task: tail.task)
        _ = lineAt(next)
        start = next
        scanFrom = next
        mode = .lines
    }

    /// The lines after a tail line were not a JSON message: emit the tail line with an empty message.
    private func tailJSONFallback() {
        formats.insert(.tailDetailed)
        containsLogRecords = true
        emit(
            time: tail.time, line: tail.line, kind: .applicationLog,
            payload: view(tail.firstLineEnd, tail.firstLineEnd),
            stream: contextStream.bytes, task: tail.task)
        var nl = tail.firstLineEnd
        while nl < end, byte(nl) != 10 { nl += 1 }
        let next = nl < end ? nl + 1 : end
        start = next
        scanFrom = next
        cursorPos = next
        if nl < end { cursorLine = tail.line + 1 }
        mode = .lines
    }
}
