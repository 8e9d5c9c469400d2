import DiagnosisRules

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Classification of complete JSON values by their keys, and emission of their records.
extension RecordReader {
    /// Where a JSON value being decoded lives, for line numbers.
    struct Unit {
        /// The line of the value's first byte.
        var line: Int64
        /// The read-buffer offset of the scanner's byte 0 when the value spans lines (elements then get their
        /// own line numbers); `nil` for single-line values and decoded payloads.
        var bufferOffset: Int?
        /// Whether the value spans lines or came from a document (unknown objects are then malformed, not
        /// kept as JSON log lines).
        var multiline: Bool
        /// Whether the value follows another one on the same line (Firehose objects).
        var concatenated: Bool
    }

    @inline(__always)
    func lineOf(_ u: Unit, _ rel: Int) -> Int64 {
        if let o = u.bufferOffset { return lineAt(o + rel) }
        return u.line
    }

    static var none: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }

    /// The content of a string value, unescaped into the arena when it has escapes.
    func stringBytes(_ s: JSONScanner, _ v: JSONValue) -> UnsafeRawBufferPointer {
        let raw = s.slice(v.range)
        guard v.kind == .string, v.hasEscapes, !raw.isEmpty else { return raw }
        unescapeBuffer.removeAll(keepingCapacity: true)
        JSONString.unescape(raw, into: &unescapeBuffer)
        return unescapeBuffer.withUnsafeBytes { arena.copy($0) }
    }

    // MARK: Top-level values

    /// A complete top-level object: classify it, or keep a single-line unknown object as a JSON log line.
    /// (`m` is `inout` only so that its ~800 bytes are passed by address, not copied per record.)
    func handleTopObject(_ s: JSONScanner, _ range: Range<Int>, _ m: inout ObjectMembers, _ u: Unit) {
        if classifyObject(s, range, &m, u) { return }
        if !u.multiline {
            formats.insert(.jsonLines)
            var timeValue = m.time  // (no `??`: its autoclosures cannot capture an inout parameter)
            if timeValue == nil { timeValue = m.timestamp }
            if timeValue == nil { timeValue = m.atTimestamp }
            if timeValue == nil { timeValue = m.ts }
            if timeValue == nil { timeValue = m.timestampName }
            emit(
                time: timeValue.flatMap { FastParsing.time(s, $0) }, line: u.line, kind: .applicationLog,
                payload: s.slice(range))
        } else {
            malformed(
                .unknownJSONDocument, line: lineOf(u, range.lowerBound), "a JSON object with none of the known keys")
        }
    }

    /// A complete top-level array (`s` covers exactly the array): every element is classified like a
    /// top-level object.
    func handleTopArray(_ s: JSONScanner, _ u: Unit) {
        var unknown = false
        let ok = s.forEachElement(ofArrayAt: 0) { v in
            guard v.kind == .object else { unknown = true; return true }
            var m = ObjectMembers()
            guard let e = ObjectMembers.scan(s, at: v.range.lowerBound, into: &m) else { unknown = true; return true }
            let eu = Unit(line: u.line, bufferOffset: u.bufferOffset, multiline: true, concatenated: false)
            if !classifyObject(s, v.range.lowerBound..<e, &m, eu) { unknown = true }
            return true
        }
        if !ok {
            malformed(.brokenJSON, line: u.line, "malformed JSON array")
        } else if unknown {
            malformed(.unknownJSONDocument, line: u.line, "a JSON array with elements of no known shape")
        }
    }

    /// Classifies an object by its keys and emits its records. Returns `false` when no shape matched.
    func classifyObject(_ s: JSONScanner, _ range: Range<Int>, _ m: inout ObjectMembers, _ u: Unit) -> Bool {
        if let msg = m.message, msg.kind == .string, let ts = m.timestamp {
            formats.insert(.cloudWatchEventLines)
            emitCloudWatchEvent(
                s, message: msg, timestamp: ts, streamValue: m.logStreamName, groupValue: m.logGroupName,
                envelopeGroup: RecordReader.none, envelopeStream: RecordReader.none,
                line: lineOf(u, range.lowerBound))
            return true
        }
        if m.detailType != nil {
            emitEventBridge(
                s, range, m, line: lineOf(u, range.lowerBound), fallbackTime: nil,
                group: RecordReader.none, stream: RecordReader.none)
            return true
        }
        if m.hasEMFMarker, let t = m.typeName, isContainerInsightsType(s, t) {
            emitContainerInsights(
                s, range, m, line: lineOf(u, range.lowerBound), fallbackTime: nil,
                group: RecordReader.none, stream: RecordReader.none)
            return true
        }
        if m.metricStreamName != nil {
            formats.insert(.metricStream)
            emit(
                time: m.timestamp.flatMap { FastParsing.time(s, $0) }, line: lineOf(u, range.lowerBound),
                kind: .metricStream,
                payload: s.slice(range))
            return true
        }
        if m.messageType != nil { return handleSubscription(s, m, u) }
        if let a = m.awslogs, a.kind == .object { return handleLambda(s, a, u) }
        if let ev = m.events, ev.kind == .array {
            handleLogsDocument(s, ev, m, u)
            return true
        }
        if let sv = m.services, sv.kind == .array {
            formats.insert(.describeServicesJSON)
            s.forEachElement(ofArrayAt: sv.range.lowerBound) { v in
                if v.kind == .object { emitServiceObject(s, at: v.range.lowerBound, u) }
                return true
            }
            return true
        }
        if m.createdAt != nil, let msg = m.message, msg.kind == .string {
            formats.insert(.serviceEventObjects)
            addToRun(
                time: m.createdAt.flatMap { FastParsing.time(s, $0) }, line: lineOf(u, range.lowerBound),
                payload: stringBytes(s, msg))
            return true
        }
        return false
    }

    // MARK: CloudWatch events

    /// Emits one CloudWatch event: an application log record, or the EventBridge / Container Insights
    /// event its message carries.
    @inline(__always)
    func emitCloudWatchEvent(
        _ s: JSONScanner, message msg: JSONValue, timestamp: JSONValue?, streamValue: JSONValue?,
        groupValue: JSONValue?,
        envelopeGroup: UnsafeRawBufferPointer, envelopeStream: UnsafeRawBufferPointer, line: Int64
    ) {
        let time = timestamp.flatMap { FastParsing.time(s, $0) }
        if time == nil, timestamp != nil {
            malformed(.brokenJSON, line: line, "timestamp is not a time")
            return
        }
        let stream = streamValue.map { stringBytes(s, $0) } ?? envelopeStream
        let group = groupValue.map { stringBytes(s, $0) } ?? envelopeGroup
        let payload = s.slice(msg.range)
        if payload.count > 40, payload[0] == 123,
            emitEmbedded(payload, escaped: true, fallbackTime: time, line: line, group: group, stream: stream)
        {
            return
        }
        containsLogRecords = true
        emit(
            time: time, line: line, kind: .applicationLog, payload: payload, escaped: true, group: group,
            stream: stream,
            task: FastParsing.taskSuffix(stream))
    }

    /// `detail-type` (bit 0: an EventBridge event) and `ClusterName` (bit 1: Container Insights).
    static let embeddedEventMarkers = LiteralPrefilter(literals: ["detail-type", "ClusterName"])

    /// Emits an EventBridge or Container Insights event carried as a message (escaped in a CloudWatch event,
    /// or plain in a tail line). Returns `false` when the message is neither.
    func emitEmbedded(
        _ payload: UnsafeRawBufferPointer, escaped: Bool, fallbackTime: EventTime?, line: Int64,
        group: UnsafeRawBufferPointer, stream: UnsafeRawBufferPointer
    ) -> Bool {
        // One SIMD pass for both markers (most JSON messages are application logs with neither).
        let markers = RecordReader.embeddedEventMarkers.matches(in: payload)
        let eventBridge = markers & 1 != 0
        let insights = !eventBridge && markers & 2 != 0
        guard eventBridge || insights else { return false }
        if eventBridge && !ByteChecks.contains(payload, "aws.ecs", anchor: 3) { return false }
        let object: UnsafeRawBufferPointer
        if escaped {
            unescapeBuffer.removeAll(keepingCapacity: true)
            JSONString.unescape(payload, into: &unescapeBuffer)
            object = unescapeBuffer.withUnsafeBytes { arena.copy($0) }
        } else {
            object = payload
        }
        let s = JSONScanner(object)
        var m = ObjectMembers()
        let begin = s.skipSpace(0)
        guard let objEnd = ObjectMembers.scan(s, at: begin, into: &m) else { return false }
        if eventBridge, m.detailType != nil, let src = m.source, ByteChecks.equals(s.slice(src.range), "aws.ecs") {
            emitEventBridge(s, begin..<objEnd, m, line: line, fallbackTime: fallbackTime, group: group, stream: stream)
            return true
        }
        if insights, m.hasEMFMarker, let t = m.typeName, isContainerInsightsType(s, t) {
            emitContainerInsights(
                s, begin..<objEnd, m, line: line, fallbackTime: fallbackTime, group: group, stream: stream)
            return true
        }
        return false
    }

    // MARK: EventBridge, Container Insights

    func emitEventBridge(
        _ s: JSONScanner, _ range: Range<Int>, _ m: ObjectMembers, line: Int64, fallbackTime: EventTime?,
        group: UnsafeRawBufferPointer, stream: UnsafeRawBufferPointer
    ) {
        var time = m.time.flatMap { FastParsing.time(s, $0) }
        var task: TaskID?
        if let r = m.resources, r.kind == .array {
            s.forEachElement(ofArrayAt: r.range.lowerBound) { v in
                if v.kind == .string {
                    let arn = s.slice(v.range)
                    if ByteChecks.contains(arn, ":task/", anchor: 0) { task = FastParsing.taskSuffix(arn) }
                }
                return false
            }
        }
        if time == nil || task == nil, let d = m.detail, d.kind == .object {
            var dm = ObjectMembers()
            if ObjectMembers.scan(s, at: d.range.lowerBound, into: &dm) != nil {
                if time == nil {
                    time =
                        dm.updatedAt.flatMap { FastParsing.time(s, $0) }
                        ?? dm.createdAt.flatMap { FastParsing.time(s, $0) }
                }
                if task == nil, let arn = dm.taskArn, arn.kind == .string {
                    task = FastParsing.taskSuffix(s.slice(arn.range))
                }
            }
        }
        formats.insert(.eventBridge)
        emit(
            time: time ?? fallbackTime, line: line, kind: .eventBridge, payload: s.slice(range), group: group,
            stream: stream, task: task)
    }

    func isContainerInsightsType(_ s: JSONScanner, _ t: JSONValue) -> Bool {
        guard t.kind == .string else { return false }
        let b = s.slice(t.range)
        return ByteChecks.equals(b, "Task") || ByteChecks.equals(b, "Service") || ByteChecks.equals(b, "Container")
            || ByteChecks.equals(b, "Cluster")
    }

    func emitContainerInsights(
        _ s: JSONScanner, _ range: Range<Int>, _ m: ObjectMembers, line: Int64, fallbackTime: EventTime?,
        group: UnsafeRawBufferPointer, stream: UnsafeRawBufferPointer
    ) {
        let time = m.timestampName.flatMap { FastParsing.time(s, $0) } ?? fallbackTime
        let task = m.taskIdName.flatMap { $0.kind == .string ? TaskID(bytes: s.slice($0.range)) : nil }
        formats.insert(.containerInsights)
        emit(
            time: time, line: line, kind: .containerInsights, payload: s.slice(range), group: group, stream: stream,
            task: task)
    }

    // MARK: Subscription payloads

    /// A `DATA_MESSAGE` (each log event becomes a record with the envelope's group and stream) or a
    /// `CONTROL_MESSAGE` (counted as ignored).
    func handleSubscription(_ s: JSONScanner, _ m: ObjectMembers, _ u: Unit) -> Bool {
        guard let mt = m.messageType, mt.kind == .string else { return false }
        let type = s.slice(mt.range)
        if ByteChecks.equals(type, "CONTROL_MESSAGE") {
            formats.insert(.subscriptionControlMessage)
            report.ignoredControlMessages += 1
            return true
        }
        guard ByteChecks.equals(type, "DATA_MESSAGE"), let events = m.logEvents, events.kind == .array else {
            return false
        }
        formats.insert(.subscriptionDataMessage)
        if u.concatenated { formats.insert(.firehoseObject) }
        let group = m.logGroup.map { stringBytes(s, $0) } ?? RecordReader.none
        let stream = m.logStream.map { stringBytes(s, $0) } ?? RecordReader.none
        s.forEachElement(ofArrayAt: events.range.lowerBound) { v in
            guard v.kind == .object else { return true }
            var em = ObjectMembers()
            if ObjectMembers.scan(s, at: v.range.lowerBound, into: &em) != nil, let msg = em.message,
                msg.kind == .string
            {
                emitCloudWatchEvent(
                    s, message: msg, timestamp: em.timestamp, streamValue: nil, groupValue: nil,
                    envelopeGroup: group, envelopeStream: stream, line: lineOf(u, v.range.lowerBound))
            }
            return true
        }
        return true
    }

    /// A Lambda subscription event: `{"awslogs":{"data":"<base64(gzip(DATA_MESSAGE))>"}}`.
    func handleLambda(_ s: JSONScanner, _ awslogs: JSONValue, _ u: Unit) -> Bool {
        var am = ObjectMembers()
        guard ObjectMembers.scan(s, at: awslogs.range.lowerBound, into: &am) != nil, let d = am.data, d.kind == .string
        else { return false }
        formats.insert(.lambdaEnvelope)
        let line = lineOf(u, awslogs.range.lowerBound)
        guard nestingDepth == 0 else {
            malformed(.unknownJSONDocument, line: line, "nested awslogs envelope")
            return true
        }
        let b64 = stringBytes(s, d)
        scratch.count = 0
        guard Base64.decode(b64, into: scratch) else {
            malformed(.brokenJSON, line: line, "awslogs.data is not base64")
            return true
        }
        if GzipPayload.isGzip(scratch.bytes) {
            processEmbeddedPayload(gzip: scratch.bytes, line: line)
        } else {
            processNestedValues(arena.copy(scratch.bytes), line: line)
        }
        return true
    }

    /// Inflates an embedded gzip payload and decodes the JSON values in it.
    func processEmbeddedPayload(gzip bytes: UnsafeRawBufferPointer, line: Int64) {
        let out = GrowableBytes(capacity: max(bytes.count * 6, 4096))
        if let error = GzipPayload.inflate(bytes, into: out, limit: options.maxEmbeddedPayloadBytes) {
            malformed(.truncatedGzip, line: line, "embedded payload: \(error.message)")
        }
        let count = out.count
        let p = out.detach()
        arena.adopt(p)
        processNestedValues(UnsafeRawBufferPointer(start: p, count: count), line: line)
    }

    /// Decodes a sequence of JSON values (concatenated or newline-separated) from a decoded payload.
    func processNestedValues(_ bytes: UnsafeRawBufferPointer, line: Int64) {
        nestingDepth += 1
        defer { nestingDepth -= 1 }
        checkUTF8(bytes, line: line)
        let s = JSONScanner(bytes)
        var i = s.skipSpace(0)
        var first = true
        while i < bytes.count {
            let u = Unit(line: line, bufferOffset: nil, multiline: true, concatenated: !first)
            switch bytes[i] {
            case 123:
                var m = ObjectMembers()
                guard let e = ObjectMembers.scan(s, at: i, into: &m) else {
                    malformed(.brokenJSON, line: line, "embedded payload is not valid JSON")
                    return
                }
                handleTopObject(s, i..<e, &m, u)
                i = s.skipSpace(e)
            case 91:
                guard let (v, next) = s.value(at: i), v.kind == .array else {
                    malformed(.brokenJSON, line: line, "embedded payload is not valid JSON")
                    return
                }
                handleTopArray(JSONScanner(s.slice(v.range)), u)
                i = s.skipSpace(next)
            default:
                malformed(.brokenJSON, line: line, "embedded payload is not JSON")
                return
            }
            first = false
        }
    }

    // MARK: Documents

    /// A `get-log-events` / `filter-log-events` document held whole.
    func handleLogsDocument(_ s: JSONScanner, _ events: JSONValue, _ m: ObjectMembers, _ u: Unit) {
        var unknown = false
        s.forEachElement(ofArrayAt: events.range.lowerBound) { v in
            if !emitLogsElement(s, v, u) { unknown = true }
            return true
        }
        formats.insert(m.hasLogTokens ? .cloudWatchGetLogEvents : .cloudWatchFilterLogEvents)
        if unknown { malformed(.unknownJSONDocument, line: u.line, "events of no known shape in a logs document") }
    }

    /// One element of a logs document's `events`.
    func emitLogsElement(_ s: JSONScanner, _ v: JSONValue, _ u: Unit) -> Bool {
        guard v.kind == .object else { return false }
        var em = ObjectMembers()
        guard ObjectMembers.scan(s, at: v.range.lowerBound, into: &em) != nil, let msg = em.message, msg.kind == .string
        else { return false }
        let line = lineOf(u, v.range.lowerBound)
        if em.timestamp == nil, let created = em.createdAt {
            formats.insert(.serviceEventObjects)
            addToRun(time: FastParsing.time(s, created), line: line, payload: stringBytes(s, msg))
        } else {
            emitCloudWatchEvent(
                s, message: msg, timestamp: em.timestamp, streamValue: em.logStreamName,
                groupValue: em.logGroupName, envelopeGroup: RecordReader.none,
                envelopeStream: RecordReader.none, line: line)
        }
        return true
    }

    /// One service of a `describe-services` document: its events (listed newest first) are emitted oldest first.
    func emitServiceObject(_ s: JSONScanner, at objStart: Int, _ u: Unit) {
        var sm = ObjectMembers()
        guard ObjectMembers.scan(s, at: objStart, into: &sm) != nil, let events = sm.events, events.kind == .array
        else { return }
        var items: [RecordView] = []
        s.forEachElement(ofArrayAt: events.range.lowerBound) { v in
            guard v.kind == .object else { return true }
            var em = ObjectMembers()
            guard ObjectMembers.scan(s, at: v.range.lowerBound, into: &em) != nil, let msg = em.message,
                msg.kind == .string
            else { return true }
            items.append(
                RecordView(
                    time: em.createdAt.flatMap { FastParsing.time(s, $0) },
                    source: SourceRef(input: input, line: lineOf(u, v.range.lowerBound)),
                    kind: .serviceEvent, payload: stringBytes(s, msg)))
            return true
        }
        RecordReader.orderServiceEvents(&items)
        flushRun()
        queue.append(contentsOf: items)
    }
}
