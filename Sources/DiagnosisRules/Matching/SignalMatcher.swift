/// Recognises the facts the rules need in one record: at most one ``Signal`` per record, the most specific one,
/// and `nil` for the vast majority of records.
///
/// Application log records go through one ``LiteralPrefilter`` pass over their bytes (still JSON-escaped when
/// they came from a CloudWatch `message` field); a record that contains none of ``prefilterLiterals`` costs that
/// pass and nothing else: no allocation, no `String`. Request lines (status and duration) are then checked on the
/// raw bytes, still without allocating. Only the rest of the candidates are unescaped and parsed by small
/// hand-written parsers (no regular expressions). The other record kinds are structured (JSON events, ALB lines)
/// and are read with ``JSONScanner`` or a byte tokenizer; `String`s are built only for a produced signal.
///
/// Signals of application logs carry the record's task (from the log stream) but no service: the engine
/// resolves the service from the task. A record without an event time gets `EventTime(milliseconds: 0)`; callers
/// that know a better time (the latest time seen) should set `RecordView.time` before matching.
public struct SignalMatcher: Sendable {
    /// The settings the matcher was built with (readiness markers).
    public let settings: RuleSettings
    /// The prefilter literals of this matcher: ``coreLiterals`` plus the readiness markers of `settings`.
    public let literals: [String]
    private let prefilter: LiteralPrefilter
    private let readyMarkers: [AppLogParser.ReadyMarker]
    private let readyMask: UInt64

    /// Creates a matcher.
    /// - Parameter settings: Engine settings; the matcher reads `restartLoop.readyMarkers`.
    public init(settings: RuleSettings = .init()) {
        self.settings = settings
        let markers = SignalMatcher.readyMarkerLiterals(settings.restartLoop.readyMarkers)
        literals = SignalMatcher.coreLiterals + markers
        prefilter = LiteralPrefilter(literals: literals)
        readyMarkers = settings.restartLoop.readyMarkers.filter { !$0.isEmpty }.map(AppLogParser.ReadyMarker.init)
        readyMask = SignalMatcher.bits(SignalMatcher.coreLiterals.count..<literals.count)
    }

    // MARK: Literals

    /// The literals a record of an application log must contain to be looked at, with the default settings
    /// (what a benchmark hands to `grep -F` / `rg -F`). None contains a backslash, a control character or a
    /// non-ASCII byte, so each also matches the JSON-escaped form of a message (`" 5` matches the escaped `\" 5`).
    public static var prefilterLiterals: [String] {
        coreLiterals + readyMarkerLiterals(RuleSettings().restartLoop.readyMarkers)
    }

    // Literals are chosen so that their first bytes are rare in ordinary log text: the Teddy prefilter keys on a
    // literal's first three bytes (the scalar fallback on its first two), and every occurrence of them in a message
    // costs an exact verification (`"ized to perform"`, not `"not authorized to perform"`; `"API responded with
    // error"`, not `"responded with error"`). The request literals are the exception: `quest_time`, `nse_time` and
    // `duration` start like common words and cause most of the verifications left.

    /// Literals of AWS denials (§4.1): SDK error codes, IAM's message, SDK 403s (`Forbidden`, `Status Code: 403`,
    /// `StatusCode: 403`).
    static let accessDeniedLiterals = ["AccessDenied", "ized to perform", "Forbidden", "Code: 403"]
    /// Literals of missing credentials (§4.3).
    static let credentialLiterals = ["credentials", "NoCredential", "IMDS role"]
    /// Literals of out-of-memory errors (`OutOfMemoryError`, Python's `MemoryError`, Node).
    static let memoryLiterals = ["MemoryError", "JavaScript heap"]
    /// Literal of FireLens / Fluent Bit output errors.
    static let logRouterLiterals = ["API responded with error"]
    /// Literals of the app's own access log: a 5xx after a quoted request line (`HTTP/1.1" 503`), a 500–509 after
    /// a colon (`"status":503`, `"status": 503`), and the duration keys (`duration…`, `latency…`, `…response_time`,
    /// `request_time`, morgan's `… ms - …`). The duration keys select every line that has one; the byte check that
    /// follows does not allocate.
    static let requestLiterals = ["\" 5", ":50", ": 50", "duration", "latency", "nse_time", "quest_time", "ms - "]
    /// All literals except the readiness markers, in bit order.
    static let coreLiterals = accessDeniedLiterals + credentialLiterals + memoryLiterals + logRouterLiterals
        + requestLiterals

    static let accessDeniedMask = mask(of: accessDeniedLiterals)
    static let credentialMask = mask(of: credentialLiterals)
    static let memoryMask = mask(of: memoryLiterals)
    static let logRouterMask = mask(of: logRouterLiterals)
    static let requestMask = mask(of: requestLiterals)

    /// The request parser's view of a prefilter mask: which of its needles' literals occurred.
    static func presentRequestLiterals(_ mask: UInt64) -> AppLogParser.PresentLiterals {
        var present: AppLogParser.PresentLiterals = []
        for (bits, literal) in requestLiteralBits where mask & bits != 0 { present.insert(literal) }
        return present
    }

    /// The prefilter bit of each literal the request parser's needles contain.
    static let requestLiteralBits: [(UInt64, AppLogParser.PresentLiterals)] = [
        (mask(of: ["ms - "]), .morgan), (mask(of: ["duration"]), .duration), (mask(of: ["latency"]), .latency),
        (mask(of: ["quest_time"]), .requestTime), (mask(of: ["nse_time"]), .responseTime),
    ]

    /// The prefilter bits of a group of core literals.
    static func mask(of group: [String]) -> UInt64 {
        guard let first = group.first, let start = coreLiterals.firstIndex(of: first) else { return 0 }
        return bits(start..<(start + group.count))
    }

    /// The prefilter literals of readiness markers: for each marker, its longest suffix that starts with an
    /// uncommon byte pair (`listening on` becomes `ning on`); a literal that contains another is dropped
    /// (`Listening on`, `Uvicorn running on`). Verification always checks the whole marker.
    static func readyMarkerLiterals(_ markers: [String]) -> [String] {
        var candidates: [String] = []
        for marker in markers where marker.utf8.count >= 2 {
            let literal = distinctiveSuffix(of: marker)
            if !candidates.contains(literal), !coreLiterals.contains(literal) { candidates.append(literal) }
        }
        let kept = candidates.filter { literal in !candidates.contains { $0 != literal && literal.contains($0) } }
        return Array(kept.prefix(64 - coreLiterals.count))
    }

    /// The longest suffix of `marker`, at least 6 bytes (or the whole marker), whose first byte pair is not one of
    /// the most frequent pairs of English and log text (`commonPairs`); the whole marker when there is none.
    static func distinctiveSuffix(of marker: String) -> String {
        let bytes = Array(marker.utf8)
        func isCommon(_ i: Int) -> Bool { commonPairs.contains(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
        let last = bytes.count - Swift.min(bytes.count, 6)
        var start = 0
        while start < last, isCommon(start) || bytes[start] & 0xC0 == 0x80 { start += 1 }
        if start + 1 >= bytes.count || isCommon(start) || bytes[start] & 0xC0 == 0x80 { start = 0 }
        return String(decoding: bytes[start...], as: UTF8.self)
    }

    /// Frequent byte pairs of English words and log punctuation (lowercase: capitalised pairs are rarer).
    static let commonPairs: Set<UInt16> = {
        let pairs = [
            "th", "he", "in", "er", "an", "re", "on", "at", "en", "nd", "ti", "es", "or", "te", "of", "ed", "is", "it",
            "al", "ar", "st", "to", "nt", "ng", "se", "ha", "as", "ou", "io", "le", "ve", "co", "me", "de", "hi", "ri",
            "ro", "ic", "ne", "ea", "ra", "ce", "li", "ch", "ll", "be", "ma", "si", "om", "ur", "ta", "la", "ec", "un",
            "ac", "ca", "el", "et", "il", "no", "ns", "pe", "sa", "so", "ss", "tr", "us", "ut", "wa", "wi",
            "e ", "s ", "d ", "t ", "n ", "r ", "y ", "o ", " t", " a", " s", " o", " i", " c", " d", " p", " m", " f",
            " w", " r", " b", " e", " l", " n", ": ", ", ", "\" ", "\":", "{\"", "\\\"",
        ]
        return Set(pairs.map { p in
            let b = Array(p.utf8)
            return UInt16(b[0]) << 8 | UInt16(b[1])
        })
    }()

    static func bits(_ r: Range<Int>) -> UInt64 { r.reduce(0) { $0 | (1 << UInt64($1)) } }

    // MARK: Matching

    /// The signal of one record, or `nil`.
    ///
    /// - Parameters:
    ///   - record: The record; its bytes are only borrowed.
    ///   - sourceText: `PATH:LINE` of the record; called only when a signal is produced.
    /// - Returns: At most one signal: the most specific fact the record states.
    public func match(_ record: RecordView, sourceText: () -> String) -> Signal? {
        let mask = candidateMask(record)
        return mask == 0 ? nil : match(record, candidateMask: mask, sourceText: sourceText)
    }

    /// The prefilter's answer for one record: `0` when it cannot be a signal (an application log that contains
    /// no literal: the vast majority), non-zero otherwise (all bits set for the structured kinds).
    ///
    /// The hot path asks this first and calls ``match(_:candidateMask:sourceText:)`` only when it is non-zero, so
    /// a benign record never sets up the (large) optional `Signal` result.
    @inline(__always)
    public func candidateMask(_ record: RecordView) -> UInt64 {
        record.kind == .applicationLog ? prefilter.matches(in: record.payload) : .max
    }

    /// ``match(_:sourceText:)`` for a record whose ``candidateMask(_:)`` is `mask` (non-zero).
    public func match(_ record: RecordView, candidateMask mask: UInt64, sourceText: () -> String) -> Signal? {
        record.kind == .applicationLog
            ? matchApplicationLog(record, mask: mask, sourceText: sourceText)
            : matchStructured(record, sourceText: sourceText)
    }

    /// `match` for the structured kinds (everything but application logs).
    private func matchStructured(_ record: RecordView, sourceText: () -> String) -> Signal? {
        switch record.kind {
        case .applicationLog:
            return nil
        case .serviceEvent:
            return Self.withText(record) { t in
                ServiceEventParser.parse(t).map { signal($0, record, t, sourceText) }
            }
        case .eventBridge:
            return Self.withText(record) { t in
                TaskStateChangeClassifier.parse(t.bytes).map { signal($0, record, t, sourceText) }
            }
        case .containerInsights:
            return Self.withText(record) { t in
                ContainerInsightsParser.parse(t.bytes).map { signal($0, record, t, sourceText) }
            }
        case .albAccessLog:
            return Self.withText(record) { t in
                ALBAccessLogParser.parse(t.bytes).map { signal($0, record, t, sourceText) }
            }
        case .metricStream:
            return Self.withText(record) { t in
                MetricStreamParser.parse(t.bytes).map { signal($0, record, t, sourceText) }
            }
        }
    }

    /// Application logs: prefilter, allocation-free request check, then the parsers in order of specificity
    /// (log router error, access denied, no credentials, out of memory, request, readiness).
    private func matchApplicationLog(_ record: RecordView, mask: UInt64, sourceText: () -> String) -> Signal? {
        var request: AppLogParser.Request?
        if mask & Self.requestMask != 0 {
            request = AppLogParser.request(Text(record.payload), present: Self.presentRequestLiterals(mask))
            if let r = request, !SignalMatcher.isSignal(r) { request = nil }
        }
        if mask & ~Self.requestMask == 0, request == nil { return nil }

        return Self.withText(record) { t in
            var f: Finding?
            if mask & Self.logRouterMask != 0, let d = AppLogParser.logRouterError(t) {
                f = Finding(kind: .loggerError, detail: d)
            }
            if f == nil, mask & Self.accessDeniedMask != 0, let d = AccessDeniedParser.parse(t) {
                var finding = Finding(kind: .accessDenied, anchor: d.anchor)
                finding.detail.errorCode = d.errorCode
                finding.detail.action = d.action
                finding.detail.resource = d.resource
                finding.detail.principal = d.principal
                finding.detail.role = d.role
                finding.detail.session = d.session
                f = finding
            }
            if f == nil, mask & Self.credentialMask != 0, let c = NoCredentialsParser.parse(t) {
                var finding = Finding(kind: .noCredentials, anchor: c.anchor)
                finding.detail.errorCode = c.errorCode
                finding.detail.action = c.action
                f = finding
            }
            if f == nil, mask & Self.memoryMask != 0, let m = AppLogParser.outOfMemory(t) {
                var finding = Finding(kind: .oom, anchor: m.anchor)
                finding.detail.failureClass = .oom
                finding.detail.reason = t.string(m.reason)
                finding.detail.origin = "app"
                f = finding
            }
            if f == nil, let r = request {
                // Offsets of the raw bytes only match the text when nothing was unescaped.
                let anchor = record.payloadIsJSONEscaped ? 0 : r.anchor
                var finding = Finding(kind: (r.status ?? 0) >= 500 ? .httpError : .slowRequest, anchor: anchor)
                finding.detail.status = r.status
                finding.detail.seconds = r.seconds
                finding.detail.origin = "app"
                f = finding
            }
            if f == nil, mask & readyMask != 0, let r = AppLogParser.ready(t, markers: readyMarkers) {
                var finding = Finding(kind: .appReady, anchor: r.anchor)
                finding.detail.startupSeconds = r.startupSeconds
                f = finding
            }
            return f.map { signal($0, record, t, sourceText) }
        }
    }

    /// Whether a request is an `http-error` (status ≥ 500) or a `slow-request` (≥ 1 s). A 5xx that was also slow is
    /// an `http-error` carrying `seconds`.
    private static func isSignal(_ r: AppLogParser.Request) -> Bool {
        (r.status ?? 0) >= 500 || (r.seconds ?? 0) >= 1
    }

    // MARK: Engine helpers

    /// The service and target group a service event ties together: target registration and deregistration
    /// (which produce no signal) and unhealthy-target events. The engine learns which target group serves which
    /// service from these.
    public static func targetGroupBinding(_ record: RecordView) -> (service: String, targetGroup: String)? {
        guard record.kind == .serviceEvent, Text(record.payload).find("target-group ") != nil else { return nil }
        return withText(record) { ServiceEventParser.targetGroupBinding($0) }
    }

    /// Target group, target processing time and ELB status of one ALB access log line, without allocating, so
    /// that the engine can count every request per target group (p90 needs the totals).
    ///
    /// - Returns: `targetGroup` is the byte range of `target_group_arn` in `payload` (empty when the field is
    ///   `-`); `targetSeconds` is `nil` when the field is `-1` or `-`; `nil` when the line is not an ALB line.
    public static func albRequest(
        _ payload: UnsafeRawBufferPointer
    ) -> (targetGroup: Range<Int>, targetSeconds: Double?, status: Int)? {
        ALBAccessLogParser.request(payload)
    }

    // MARK: Signal assembly

    /// A recognised fact, before it becomes a ``Signal``.
    struct Finding {
        var kind: SignalKind
        var detail = SignalDetail()
        var service: String?
        var cluster: String?
        var task: TaskID?
        /// Offset of the evidence in the record's text, to pick the evidence line.
        var anchor = 0

        init(kind: SignalKind, detail: SignalDetail = SignalDetail(), anchor: Int = 0) {
            self.kind = kind
            self.detail = detail
            self.anchor = anchor
        }
    }

    /// Calls `body` with the record's text, unescaped when the payload is still JSON-escaped.
    private static func withText<R>(_ record: RecordView, _ body: (Text) -> R) -> R {
        guard record.payloadIsJSONEscaped else { return body(Text(record.payload)) }
        var bytes: [UInt8] = []
        JSONString.unescape(record.payload, into: &bytes)
        return bytes.withUnsafeBytes { body(Text($0)) }
    }

    /// Longest evidence line kept, in bytes.
    static let maximumLineBytes = 2048

    private func signal(_ f: Finding, _ record: RecordView, _ t: Text, _ sourceText: () -> String) -> Signal {
        let structured = record.kind == .eventBridge || record.kind == .containerInsights
            || record.kind == .metricStream
        return Signal(
            time: record.time ?? EventTime(milliseconds: 0), source: record.source, sourceText: sourceText(),
            kind: f.kind, service: f.service, cluster: f.cluster, task: f.task ?? record.task,
            logGroup: record.logGroup.isEmpty ? nil : String(decoding: record.logGroup, as: UTF8.self),
            logStream: record.logStream.isEmpty ? nil : String(decoding: record.logStream, as: UTF8.self),
            detail: f.detail, line: structured ? Self.compactLine(t) : Self.evidenceLine(t, anchor: f.anchor))
    }

    /// The line of `t` that holds the evidence, at most ``maximumLineBytes`` (cut on a UTF-8 boundary).
    static func evidenceLine(_ t: Text, anchor: Int) -> String {
        let line = t.line(containing: Swift.min(anchor, t.count))
        var start = line.lowerBound
        if anchor - start > maximumLineBytes - 256 { start = anchor - 256 }
        var end = Swift.min(line.upperBound, start + maximumLineBytes)
        while start < end, start > line.lowerBound, t[start] & 0xC0 == 0x80 { start += 1 }
        while end > start, end < line.upperBound, t[end] & 0xC0 == 0x80 { end -= 1 }
        return t.string(start..<end)
    }

    /// A JSON object on one line: runs of whitespace that contain a line break become one space.
    static func compactLine(_ t: Text) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(Swift.min(t.count, maximumLineBytes))
        var i = 0
        while i < t.count, out.count < maximumLineBytes {
            // Copy the run up to the next line break (or the cap) in one go.
            var j = i
            let stop = Swift.min(t.count, i + (maximumLineBytes - out.count))
            while j < stop, t[j] != 10, t[j] != 13 { j += 1 }
            if j > i { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: t.bytes[i..<j])) }
            i = j
            guard i < t.count, out.count < maximumLineBytes else { break }
            while out.last == 32 || out.last == 9 { out.removeLast() }
            if !out.isEmpty { out.append(32) }
            i += 1
            while i < t.count, Text.isSpace(t[i]) { i += 1 }
        }
        if i < t.count {
            // Cut: drop a multi-byte character the cap split.
            var lead = out.count
            while lead > 0, out[lead - 1] & 0xC0 == 0x80 { lead -= 1 }
            if lead > 0, out[lead - 1] >= 0xC0 {
                let needed = out[lead - 1] >= 0xF0 ? 4 : out[lead - 1] >= 0xE0 ? 3 : 2
                if out.count - (lead - 1) < needed { out.removeSubrange((lead - 1)...) }
            }
        }
        while out.last == 32 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }
}
