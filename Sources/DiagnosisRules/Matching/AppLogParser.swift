extension SignalMatcher {
    /// Recognises what an application's own log says about its requests, its readiness, its memory and its log
    /// router.
    enum AppLogParser {
        // MARK: Requests

        /// Status and duration of one request line of the app's own access log.
        struct Request: Equatable {
            var status: Int?
            var seconds: Double?
            /// Offset of the evidence.
            var anchor: Int = 0
        }

        /// Status and duration of the request `t` logs, or `nil` when `t` is no request line or is a load balancer
        /// health check (`ELB-HealthChecker`: its startup 503s are not customer errors).
        ///
        /// Works on plain or still JSON-escaped bytes without allocating. Recognised shapes:
        /// - common/combined log format and uvicorn: `"GET /x HTTP/1.1" 500 …`;
        /// - JSON and logfmt keys `status`, `status_code`, `statusCode`, `http_status`, `httpStatus` (number or
        ///   quoted number);
        /// - durations under keys containing `duration`, `latency`, `response_time`, `request_time`,
        ///   `responseTime`; see ``durationSeconds(_:key:valueAt:)`` for units;
        /// - express/morgan `dev`: `GET /x 500 30012.345 ms - 21` (ANSI colours allowed).
        /// Which prefilter literals of request lines occurred: a search whose needle contains an absent literal
        /// cannot succeed and is skipped (the result is the same, the record is scanned fewer times).
        struct PresentLiterals: OptionSet {
            let rawValue: UInt8
            static let morgan = PresentLiterals(rawValue: 1)  // `ms - `
            static let duration = PresentLiterals(rawValue: 2)  // `duration`
            static let latency = PresentLiterals(rawValue: 4)  // `latency`
            static let requestTime = PresentLiterals(rawValue: 8)  // `quest_time`
            static let responseTime = PresentLiterals(rawValue: 16)  // `nse_time`
            static let all = PresentLiterals(rawValue: 31)
        }

        static func request(_ t: Text, present: PresentLiterals = .all) -> Request? {
            var r = Request()
            if let (status, at) = statusAfterRequestLine(t) ?? statusKey(t) {
                r.status = status
                r.anchor = at
            }
            if present.contains(.morgan), let (seconds, status, at) = morganDev(t) {
                r.seconds = seconds
                if r.status == nil {
                    r.status = status
                    r.anchor = at
                }
            }
            if r.seconds == nil, let (seconds, at) = durationKey(t, present: present) {
                r.seconds = seconds
                if r.status == nil { r.anchor = at }
            }
            guard r.status != nil || r.seconds != nil, !t.contains("ELB-HealthChecker") else { return nil }
            return r
        }

        /// `HTTP/x.y" NNN` (the status after a quoted request line).
        static func statusAfterRequestLine(_ t: Text) -> (Int, Int)? {
            var i = 0
            while let p = t.find("HTTP/", from: i) {
                i = p + 1
                var j = t.scan(from: p + 5) { !(Text.isDigit($0) || $0 == UInt8(ascii: ".")) }
                if t.at(j) == UInt8(ascii: "\\") { j += 1 }
                guard t.at(j) == UInt8(ascii: "\"") else { continue }
                j = t.skip(from: j + 1, " ")
                if let status = threeDigitStatus(t, at: j) { return (status, j) }
            }
            return nil
        }

        /// Keys whose value is the response status.
        static let statusKeys: [StaticString] = ["status", "status_code", "statusCode", "http_status", "httpStatus"]
        /// Key parts that name a request duration, with the prefilter literal each contains (`responseTime` has
        /// none: always searched).
        static let durationKeys: [(key: StaticString, literal: PresentLiterals)] = [
            ("duration", .duration), ("latency", .latency), ("request_time", .requestTime),
            ("response_time", .responseTime), ("responseTime", []),
        ]

        /// A status under a JSON or logfmt key.
        static func statusKey(_ t: Text) -> (Int, Int)? {
            var i = 0
            while let p = t.find("tatus", from: i) {
                i = p + 1
                guard p > 0, t[p - 1] == UInt8(ascii: "s") || t[p - 1] == UInt8(ascii: "S") else { continue }
                let key = t.identifier(around: p)
                let keyIsStatus = statusKeys.contains {
                    key.count == $0.utf8CodeUnitCount && t.has($0, at: key.lowerBound)
                }
                guard keyIsStatus, let v = valueStart(t, afterKey: key.upperBound) else { continue }
                if let status = threeDigitStatus(t, at: v) { return (status, key.lowerBound) }
            }
            return nil
        }

        /// A plausible HTTP status (100–599) of exactly three digits at `i`.
        static func threeDigitStatus(_ t: Text, at i: Int) -> Int? {
            guard let (v, end) = t.unsigned(at: i), end - i == 3, (100...599).contains(v),
                  !Text.isIdentifier(t.at(end))
            else { return nil }
            return v
        }

        /// Where the value after a key starts: past quotes (escaped or not), then `:` or `=`, then spaces and quotes.
        static func valueStart(_ t: Text, afterKey k: Int) -> Int? {
            var j = t.skip(from: k, "\\\"'")
            guard t.at(j) == UInt8(ascii: ":") || t.at(j) == UInt8(ascii: "=") else { return nil }
            j = t.skip(from: j + 1, " \\\"'")
            return j < t.count ? j : nil
        }

        /// express/morgan `dev`: `METHOD URL STATUS RESPONSE_TIME ms - LENGTH`.
        static func morganDev(_ t: Text) -> (seconds: Double, status: Int?, at: Int)? {
            guard let p = t.find(" ms - ") else { return nil }
            var s = p
            while s > 0, Text.isDigit(t[s - 1]) || t[s - 1] == UInt8(ascii: ".") { s -= 1 }
            guard s < p, let (ms, _) = t.decimal(at: s) else { return nil }
            var e = s
            while e > 0, t[e - 1] == UInt8(ascii: " ") { e -= 1 }
            e = skipANSIBackwards(t, end: e)
            var status: Int?
            if e >= 3, let v = threeDigitStatus(t, at: e - 3), e == 3 || !Text.isDigit(t[e - 4]) { status = v }
            return (ms / 1000, status, s)
        }

        /// The offset before a colour sequence (`ESC[…m`, or `\u001b[…m` still escaped) ending at `end`.
        static func skipANSIBackwards(_ t: Text, end: Int) -> Int {
            guard end > 0, t[end - 1] == UInt8(ascii: "m") else { return end }
            var b = end - 1
            while b > 0, Text.isDigit(t[b - 1]) || t[b - 1] == UInt8(ascii: ";") { b -= 1 }
            guard b > 0, t[b - 1] == UInt8(ascii: "[") else { return end }
            if b >= 2, t[b - 2] == 0x1B { return b - 2 }
            if b >= 7, t.has("\\u001b", at: b - 7) || t.has("\\u001B", at: b - 7) { return b - 7 }
            return end
        }

        /// The first duration under a known key, in seconds.
        static func durationKey(_ t: Text, present: PresentLiterals = .all) -> (Double, Int)? {
            for (base, literal) in durationKeys where present.contains(literal) {
                var i = 0
                while let p = t.find(base, from: i) {
                    i = p + 1
                    let key = t.identifier(around: p)
                    guard let v = valueStart(t, afterKey: key.upperBound),
                          let seconds = durationSeconds(t, key: key, valueAt: v)
                    else { continue }
                    return (seconds, key.lowerBound)
                }
            }
            return nil
        }

        /// The duration at `v` in seconds, with the unit from the value (`30.01s`, `1m2s`, `250ms`, `12µs`), else from
        /// the key:
        ///
        /// | key | unit |
        /// |---|---|
        /// | `…_ms`, `…Ms`, `…_millis` | ms |
        /// | `…_s`, `…_sec`, `…_secs`, `…_seconds`, `…Seconds` | s |
        /// | `…_us`, `…_micros` / `…_ns`, `…_nanos` | µs / ns |
        /// | `request_time`, `upstream_response_time` (nginx) | s |
        /// | `response_time`, `responseTime` (express, morgan) | ms |
        /// | `duration`, `latency` with a fraction (zap, logrus) | s |
        /// | `duration`, `latency` as an integer | ambiguous (ms for some loggers, ns for slog): not used |
        static func durationSeconds(_ t: Text, key: Range<Int>, valueAt v: Int) -> Double? {
            if let withUnit = goDuration(t, at: v) { return withUnit }
            guard let (value, end) = t.decimal(at: v), value >= 0 else { return nil }
            func ends(_ suffix: StaticString) -> Bool {
                key.count >= suffix.utf8CodeUnitCount && t.has(suffix, at: key.upperBound - suffix.utf8CodeUnitCount)
            }
            if ends("_ms") || ends("Ms") || ends("_millis") || ends("Millis") { return value / 1000 }
            if ends("_us") || ends("_micros") || ends("Micros") { return value / 1_000_000 }
            if ends("_ns") || ends("_nanos") || ends("Nanos") { return value / 1_000_000_000 }
            if ends("_s") || ends("_sec") || ends("_secs") || ends("_seconds") || ends("Seconds") { return value }
            if ends("request_time") { return value }
            if ends("response_time") {
                return t.find("upstream_response_time", from: key.lowerBound, before: key.upperBound) != nil
                    ? value : value / 1000
            }
            if ends("responseTime") { return value / 1000 }
            let hasFraction = t.find(".", from: v, before: end) != nil
            return hasFraction ? value : nil
        }

        /// A Go-style duration with units at `v`: `30.012s`, `1m2.5s`, `250ms`, `12µs`, `12us`, `5ns`, `1h`.
        static func goDuration(_ t: Text, at v: Int) -> Double? {
            var i = v
            var total = 0.0
            var parts = 0
            while let (value, end) = t.decimal(at: i) {
                let scale: Double
                var next = end
                if t.has("ms", at: end) { scale = 1e-3; next += 2 }
                else if t.has("ns", at: end) { scale = 1e-9; next += 2 }
                else if t.has("us", at: end) { scale = 1e-6; next += 2 }
                else if t.has("\u{00B5}s", at: end) || t.has("\u{03BC}s", at: end) { scale = 1e-6; next += 3 }
                else if t.has("\\u00b5s", at: end) || t.has("\\u03bcs", at: end) { scale = 1e-6; next += 7 }
                else if t.at(end) == UInt8(ascii: "s") { scale = 1; next += 1 }
                else if t.at(end) == UInt8(ascii: "m") { scale = 60; next += 1 }
                else if t.at(end) == UInt8(ascii: "h") { scale = 3600; next += 1 }
                else { break }
                if Text.isLetter(t.at(next)) { return nil }
                total += value * scale
                parts += 1
                i = next
            }
            return parts > 0 ? total : nil
        }

        // MARK: Readiness

        /// The offset of a readiness marker and the startup time the line states (`Started X in 34.8 seconds`).
        ///
        /// The marker must start the message (within 120 bytes of the start of the message, after a Spring
        /// `logger : ` prefix, a JSON `"message":"`/`"msg":"` or a logfmt `msg=`), the line must not be an access
        /// log line, and a marker that is just `Started` needs `… in N seconds` (Rails' `Started GET "/x"` is a
        /// request, not readiness).
        static func ready(_ t: Text, markers: [ReadyMarker]) -> (anchor: Int, startupSeconds: Double?)? {
            guard !t.contains("HTTP/"), !t.contains("ELB-HealthChecker") else { return nil }
            for marker in markers {
                var i = 0
                while let p = marker.bytes.withUnsafeBytes({ t.find($0, from: i) }) {
                    i = p + 1
                    guard p - messageStart(t, before: p) <= 120 else { continue }
                    let seconds = startedIn(t, from: p + marker.bytes.count)
                    if marker.needsStartupTime, seconds == nil { continue }
                    return (p, seconds)
                }
            }
            return nil
        }

        /// A configured readiness marker.
        struct ReadyMarker: Sendable, Equatable {
            /// The marker's bytes.
            var bytes: [UInt8]
            /// Whether the marker is only `Started`, which needs `… in N seconds` to mean readiness.
            var needsStartupTime: Bool

            init(_ marker: String) {
                bytes = Array(marker.utf8)
                needsStartupTime = marker.strippingEdges(" ") == "Started"
            }
        }

        /// Keys before the message of a structured or Spring log line.
        static let messageKeys: [StaticString] = ["\"message\":", "\"msg\":", "msg=", " : "]

        /// Where the message part of a log line starts, for a marker at `p`.
        static func messageStart(_ t: Text, before p: Int) -> Int {
            let lineStart = t.line(containing: p).lowerBound
            var start = lineStart
            for key in messageKeys {
                if let k = t.findLast(key, before: p), k >= lineStart {
                    start = Swift.max(start, t.skip(from: k + key.utf8CodeUnitCount, " \""))
                }
            }
            return Swift.min(start, p)
        }

        /// `NAME in N seconds` right after a `Started` marker: N.
        static func startedIn(_ t: Text, from s: Int) -> Double? {
            let lineEnd = t.line(containing: s).upperBound
            guard let p = t.find(" in ", from: s, before: Swift.min(lineEnd, s + 120)),
                  let (seconds, end) = t.decimal(at: p + 4),
                  t.has(" second", at: end) || t.has(" sec", at: end) || t.has("s ", at: end)
            else { return nil }
            return seconds
        }

        // MARK: Memory and log router

        /// An out-of-memory error the runtime printed: `java.lang.OutOfMemoryError`, Python `MemoryError`,
        /// Node `JavaScript heap out of memory`. JVM flags such as `-XX:+HeapDumpOnOutOfMemoryError` are not.
        static func outOfMemory(_ t: Text) -> (anchor: Int, reason: Range<Int>)? {
            if let p = t.find("heap out of memory") {
                let s = t.findLast("JavaScript ", before: p).flatMap { p - $0 == 11 ? $0 : nil } ?? p
                return (s, s..<(p + 18))
            }
            var i = 0
            while let p = t.find("MemoryError", from: i) {
                i = p + 1
                let id = t.identifier(around: p)
                guard id.upperBound == p + 11 else { continue }
                let name = t.slice(id)
                if name.elementsEqual("MemoryError".utf8) || name.elementsEqual("OutOfMemoryError".utf8) {
                    var s = id.lowerBound
                    if t.has("java.lang.", at: s - 10) { s -= 10 }
                    return (s, s..<id.upperBound)
                }
            }
            return nil
        }

        /// A FireLens / Fluent Bit output error: `CreateLogStream API responded with error='AccessDeniedException',
        /// message='…'`.
        static func logRouterError(_ t: Text) -> SignalDetail? {
            guard let p = t.find(" API responded with error=") else { return nil }
            var d = SignalDetail()
            var s = p
            while s > 0, Text.isIdentifier(t[s - 1]) { s -= 1 }
            let operation = t.string(s..<p)
            let v = t.skip(from: p + 26, "'\"")
            let codeEnd = t.scan(from: v) { !Text.isIdentifier($0) }
            d.errorCode = t.nonEmptyString(v..<codeEnd)
            if let m = t.find("message='", from: codeEnd) {
                let e = t.find("'", from: m + 9) ?? t.count
                d.reason = t.nonEmptyString(t.trimmed((m + 9)..<e))
            }
            d.reason = d.reason ?? d.errorCode
            let denial = AccessDeniedParser.details(t)
            d.action = denial.action ?? AWSOperationTable.action(operation: operation, servicePrefix: nil)
            d.resource = denial.resource
            d.principal = denial.principal
            d.role = denial.role
            d.session = denial.session
            d.origin = "log-router"
            return d
        }
    }
}

extension String {
    /// The string without leading and trailing `c`.
    fileprivate func strippingEdges(_ c: Character) -> Substring {
        var s = Substring(self)
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return s
    }
}
