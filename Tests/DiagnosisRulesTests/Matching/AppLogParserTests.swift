import Testing
@testable import DiagnosisRules

/// One line of an app's own access log and the signal it must give.
struct RequestCase: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var kind: SignalKind?
    var status: Int? = nil
    var seconds: Double? = nil
    var testDescription: String { name }
}

@Suite("AppLogParser")
struct AppLogParserTests {
    static let requests: [RequestCase] = [
        RequestCase(
            name: "combined log 500",
            text: #"10.0.1.7 - - [20/Nov/2026:09:14:03 +0000] "GET /orders/42 HTTP/1.1" 500 1234 "-" "python-requests/2.31""#,
            kind: .httpError, status: 500),
        RequestCase(
            name: "uvicorn 500",
            text: #"INFO:     10.0.1.7:51234 - "GET /orders HTTP/1.1" 500 Internal Server Error"#,
            kind: .httpError, status: 500),
        RequestCase(
            name: "JSON status and duration_ms",
            text: #"{"time":"2026-11-20T09:14:03Z","method":"GET","path":"/orders","status":502,"duration_ms":30012}"#,
            kind: .httpError, status: 502, seconds: 30.012),
        RequestCase(
            name: "JSON with spaces, latency in seconds",
            text: #"{"status": 503, "latency": 1.25, "path": "/orders"}"#,
            kind: .httpError, status: 503, seconds: 1.25),
        RequestCase(
            name: "quoted status_code, response_time in ms",
            text: #"{"status_code":"504","response_time":31000}"#,
            kind: .httpError, status: 504, seconds: 31),
        RequestCase(
            name: "express statusCode and responseTime",
            text: #"{"level":30,"req":{"method":"POST","url":"/orders"},"res":{"statusCode":500},"responseTime":12}"#,
            kind: .httpError, status: 500, seconds: 0.012),
        RequestCase(
            name: "slow 200 in ms",
            text: #"{"status":200,"duration_ms":30012,"path":"/orders"}"#,
            kind: .slowRequest, status: 200, seconds: 30.012),
        RequestCase(
            name: "slow Go duration string",
            text: #"{"level":"info","msg":"request","status":200,"latency":"30.012s"}"#,
            kind: .slowRequest, status: 200, seconds: 30.012),
        RequestCase(
            name: "slow Go duration with minutes",
            text: #"{"level":"info","msg":"request","status":200,"duration":"1m2.5s"}"#,
            kind: .slowRequest, status: 200, seconds: 62.5),
        RequestCase(
            name: "nginx request_time",
            text: #"{"remote_addr":"10.0.1.7","status": "200","request_time": "30.004","upstream_response_time":"30.001"}"#,
            kind: .slowRequest, status: 200, seconds: 30.004),
        RequestCase(
            name: "logfmt",
            text: #"level=info msg="handled request" method=GET path=/orders status=200 duration=31.2s"#,
            kind: .slowRequest, status: 200, seconds: 31.2),
        RequestCase(
            name: "zap seconds float",
            text: #"{"level":"info","msg":"served","status":200,"duration":2.5}"#,
            kind: .slowRequest, status: 200, seconds: 2.5),
        RequestCase(
            name: "morgan dev 500",
            text: "GET /orders 500 30012.345 ms - 21",
            kind: .httpError, status: 500, seconds: 30.012345),
        RequestCase(
            name: "morgan dev with colours",
            text: "\u{1B}[0mGET /orders \u{1B}[31m500\u{1B}[0m 30012.345 ms - 21\u{1B}[0m",
            kind: .httpError, status: 500, seconds: 30.012345),
        RequestCase(
            name: "morgan dev slow 200",
            text: "GET /orders 200 1500.5 ms - 512",
            kind: .slowRequest, status: 200, seconds: 1.5005),
        RequestCase(
            name: "fast 200",
            text: #"{"status":200,"duration_ms":12,"path":"/orders"}"#, kind: nil),
        RequestCase(
            name: "4xx is never an http-error",
            text: #"10.0.1.7 - - [20/Nov/2026:09:14:03 +0000] "GET /missing HTTP/1.1" 404 153 "-" "curl/8.4.0""#, kind: nil),
        RequestCase(name: "JSON 404", text: #"{"status":404,"duration_ms":5}"#, kind: nil),
        RequestCase(
            name: "health checker 503 during startup",
            text: #"10.0.1.4 - - [20/Nov/2026:09:14:03 +0000] "GET /health HTTP/1.1" 503 19 "-" "ELB-HealthChecker/2.0""#,
            kind: nil),
        RequestCase(
            name: "health checker JSON 503",
            text: #"{"status":503,"path":"/health","user_agent":"ELB-HealthChecker/2.0","duration_ms":2}"#, kind: nil),
        RequestCase(
            name: "integer duration is ambiguous (ms or ns)",
            text: #"{"status":200,"duration":30012}"#, kind: nil),
        RequestCase(
            name: "a port is not a status",
            text: #"{"msg":"connecting","port":5432}"#, kind: nil),
    ]

    @Test("app access log lines give http-error and slow-request", arguments: requests, [false, true])
    func request(_ c: RequestCase, escaped: Bool) throws {
        let s = MatcherFixture.match(c.text, escaped: escaped)
        guard let kind = c.kind else {
            #expect(s == nil)
            return
        }
        let signal = try #require(s)
        #expect(signal.kind == kind)
        #expect(signal.detail.status == c.status)
        #expect(signal.detail.origin == "app")
        if let seconds = c.seconds {
            #expect(abs((signal.detail.seconds ?? -1) - seconds) < 1e-9)
        } else {
            #expect(signal.detail.seconds == nil)
        }
    }

    @Test("skipping the searches whose literal the prefilter did not see changes no result", arguments: requests.map(\.text) + [
        #"GET /orders 200 12.345 ms - 512"#,
        #"{"level":"info","responseTime":1500,"msg":"request completed"}"#,
        #"{"request_time":"1.250","upstream_response_time":"1.249","status":200}"#,
        #"{"response_time":2500,"statusCode":200}"#,
        #"{"event":"stock reserved","duration_ms":91.9,"level":"info"}"#,
        #"INFO:     10.0.0.142:50314 - "GET /payments HTTP/1.1" 200 OK"#,
    ], [false, true])
    func presentLiteralsDoNotChangeResults(_ text: String, escaped: Bool) {
        let bytes = escaped ? MatcherFixture.jsonEscaped(text) : text
        let prefilter = LiteralPrefilter(literals: SignalMatcher.prefilterLiterals)
        let mask = Array(bytes.utf8).withUnsafeBytes { prefilter.matches(in: $0) }
        let present = SignalMatcher.presentRequestLiterals(mask)
        let full = MatcherFixture.withText(bytes) { SignalMatcher.AppLogParser.request($0) }
        let skipping = MatcherFixture.withText(bytes) { SignalMatcher.AppLogParser.request($0, present: present) }
        #expect(full == skipping)
    }

    @Test("request figures are read from escaped bytes without unescaping")
    func requestOnEscapedBytes() {
        let escaped = MatcherFixture.jsonEscaped(#"{"status": 502, "duration_ms": 30012}"#)
        let r = MatcherFixture.withText(escaped) { SignalMatcher.AppLogParser.request($0) }
        #expect(r?.status == 502)
        #expect(r?.seconds == 30.012)
    }

    // MARK: Readiness

    static let readyLines: [(String, Double?)] = [
        ("2026-11-20 09:14:37.812  INFO 1 --- [           main] c.e.orders.OrdersApplication             : Started OrdersApplication in 34.8 seconds (process running for 36.1)", 34.8),
        ("2026-11-20 09:14:37.812  INFO 1 --- [main] c.e.orders.OrdersApplication : Started OrdersApplication in 34.8 seconds (JVM running for 36.1)", 34.8),
        (#"{"@timestamp":"2026-11-20T09:14:37.812Z","level":"INFO","logger_name":"c.e.orders.OrdersApplication","message":"Started OrdersApplication in 34.8 seconds (process running for 36.1)"}"#, 34.8),
        ("Listening on port 8080", nil),
        ("2026/11/20 09:14:37 listening on :8080", nil),
        ("INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)", nil),
        ("INFO:     Application startup complete.", nil),
        ("server started on :8080", nil),
        (#"level=info ts=2026-11-20T09:14:37Z msg="Server started" addr=:8080"#, nil),
        ("1:M 20 Nov 2026 09:14:37.812 * Ready to accept connections tcp", nil),
    ]

    @Test("readiness markers give app-ready with the startup time the line states")
    func ready() throws {
        for (text, seconds) in Self.readyLines {
            // Redis' capitalised "Ready" is not a default marker.
            let expectNil = text.contains("Ready to accept")
            for escaped in [false, true] {
                let s = MatcherFixture.match(text, escaped: escaped)
                if expectNil {
                    #expect(s == nil, "\(text)")
                    continue
                }
                #expect(s?.kind == .appReady, "\(text)")
                #expect(s?.detail.startupSeconds == seconds, "\(text)")
            }
        }
    }

    @Test("not readiness", arguments: [
        #"Started GET "/orders" for 10.0.1.7 at 2026-11-20 09:14:03 +0000"#,
        "Started OrdersApplication",
        #"10.0.1.7 - - [20/Nov/2026:09:14:03 +0000] "GET /status?msg=server%20started HTTP/1.1" 200 2 "-" "curl/8.4.0""#,
        "2026-11-20T09:14:03Z INFO scheduler: processed 42 jobs, 3 retried, 0 failed, queue depth 17, oldest message 3s, the consumer group rebalanced and listening on partition 7",
        #"10.0.1.4 - - [20/Nov/2026:09:14:03 +0000] "GET /health HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0" Listening on"#,
    ])
    func notReady(_ text: String) {
        #expect(MatcherFixture.match(text) == nil)
    }

    @Test("custom readiness markers are prefiltered and recognised")
    func customMarker() throws {
        var settings = RuleSettings()
        settings.restartLoop.readyMarkers = ["Orders API is up", "Started "]
        let matcher = SignalMatcher(settings: settings)
        #expect(matcher.literals.contains("Orders API is up"))
        let s = try #require(MatcherFixture.match("INFO Orders API is up", matcher: matcher))
        #expect(s.kind == .appReady)
        #expect(MatcherFixture.match("Listening on port 8080", matcher: matcher) == nil)
    }

    // MARK: Memory

    @Test("runtime out-of-memory errors give oom", arguments: [
        (#"Exception in thread "main" java.lang.OutOfMemoryError: Java heap space"#, "java.lang.OutOfMemoryError"),
        ("MemoryError: Unable to allocate 1.2 GiB for an array with shape (1000, 1000, 160) and data type float64", "MemoryError"),
        ("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory", "JavaScript heap out of memory"),
        ("<--- Last few GCs --->\nFATAL ERROR: CALL_AND_RETRY_LAST Allocation failed - JavaScript heap out of memory", "JavaScript heap out of memory"),
    ])
    func outOfMemory(_ text: String, reason: String) throws {
        for escaped in [false, true] {
            let s = try #require(MatcherFixture.match(text, escaped: escaped))
            #expect(s.kind == .oom)
            #expect(s.detail.failureClass == .oom)
            #expect(s.detail.origin == "app")
            #expect(s.detail.reason == reason)
        }
    }

    @Test("JVM flags that name OutOfMemoryError are not oom")
    func jvmFlags() {
        #expect(MatcherFixture.match("JVM arguments: -Xmx512m -XX:+HeapDumpOnOutOfMemoryError -XX:+ExitOnOutOfMemoryError") == nil)
    }

    // MARK: Log router

    @Test("Fluent Bit CloudWatch output errors give logger-error")
    func logRouter() throws {
        let verbatim = "[error] [output:cloudwatch_logs:cloudwatch_logs.0] CreateLogStream API responded with error='AccessDeniedException'"
        for escaped in [false, true] {
            let s = try #require(MatcherFixture.match(verbatim, escaped: escaped))
            #expect(s.kind == .loggerError)
            #expect(s.detail.errorCode == "AccessDeniedException")
            #expect(s.detail.action == "logs:CreateLogStream")
        }
        let full = "[2026/11/20 09:14:03] [error] [output:cloudwatch_logs:cloudwatch_logs.0] CreateLogStream API responded with error='AccessDeniedException', message='User: arn:aws:sts::123456789012:assumed-role/orders-exec-role/0b0c11fa47b04ed0a669fa3ce6345afa is not authorized to perform: logs:CreateLogStream on resource: arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/orders:log-stream:app/app/0b0c11fa47b04ed0a669fa3ce6345afa'"
        let s = try #require(MatcherFixture.match(full))
        #expect(s.kind == .loggerError)
        #expect(s.detail.role == "orders-exec-role")
        #expect(s.detail.resource == "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/orders:log-stream:app/app/0b0c11fa47b04ed0a669fa3ce6345afa")
        let missing = "[error] [output:cloudwatch_logs:cloudwatch_logs.0] PutLogEvents API responded with error='ResourceNotFoundException', message='The specified log group does not exist.'"
        let m = try #require(MatcherFixture.match(missing))
        #expect(m.kind == .loggerError)
        #expect(m.detail.errorCode == "ResourceNotFoundException")
        #expect(m.detail.reason == "The specified log group does not exist.")
        #expect(m.detail.action == "logs:PutLogEvents")
    }
}
