import Testing
@testable import DiagnosisRules

@Suite("SignalMatcher")
struct SignalMatcherTests {
    // MARK: Prefilter

    @Test("the literal list is short, and every literal also matches JSON-escaped text")
    func literals() {
        let literals = SignalMatcher.prefilterLiterals
        #expect(literals == [
            "AccessDenied", "ized to perform", "Forbidden", "Code: 403",
            "credentials", "NoCredential", "IMDS role",
            "MemoryError", "JavaScript heap",
            "API responded with error",
            "\" 5", ":50", ": 50", "duration", "latency", "nse_time", "quest_time", "ms - ",
            "ning on", "Started ", "rver started", "Application startup complete", "ady to accept connections",
        ])
        #expect(literals.count <= 24)
        #expect(Set(literals).count == literals.count)
        for literal in literals {
            #expect(literal.utf8.count >= 2, "\(literal)")
            #expect(literal.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }, "\(literal)")
        }
        #expect(SignalMatcher().literals == literals)
    }

    static let healthyLines: [String] = [
        "2026-11-20T09:14:03.120Z INFO  [orders] order 42 accepted for customer 7 (3 items, total 59.90 EUR)",
        #"10.0.1.7 - - [20/Nov/2026:09:14:03 +0000] "GET /orders/42 HTTP/1.1" 200 512 "-" "python-requests/2.31""#,
        #"10.0.1.4 - - [20/Nov/2026:09:14:03 +0000] "GET /health HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0""#,
        #"{"time":"2026-11-20T09:14:03Z","level":"info","msg":"order accepted","order":42,"status":200}"#,
        "2026-11-20 09:14:03.120 DEBUG 1 --- [nio-8080-exec-3] c.e.orders.OrderController : GET /orders/42 -> 200",
        "INFO:     10.0.1.7:51234 - \"POST /orders HTTP/1.1\" 201 Created",
    ]

    @Test("readiness literals start with an uncommon byte pair and cover every marker")
    func readyLiterals() {
        #expect(SignalMatcher.distinctiveSuffix(of: "listening on") == "ning on")
        #expect(SignalMatcher.distinctiveSuffix(of: "Listening on") == "Listening on")
        #expect(SignalMatcher.distinctiveSuffix(of: "Started ") == "Started ")
        #expect(SignalMatcher.distinctiveSuffix(of: "ready") == "ready")
        #expect(SignalMatcher.distinctiveSuffix(of: "the the the") == "the the the")
        #expect(SignalMatcher.distinctiveSuffix(of: "éééé ready").utf8.first.map { $0 & 0xC0 != 0x80 } == true)
        let markers = RuleSettings().restartLoop.readyMarkers
        let literals = SignalMatcher.readyMarkerLiterals(markers)
        for marker in markers {
            #expect(literals.contains { marker.contains($0) }, "\(marker)")
        }
    }

    @Test("the prefilter rejects healthy lines, plain and escaped", arguments: healthyLines, [false, true])
    func prefilterRejectsHealthyLine(_ line: String, escaped: Bool) {
        let text = escaped ? MatcherFixture.jsonEscaped(line) : line
        let prefilter = LiteralPrefilter(literals: SignalMatcher.prefilterLiterals)
        let mask = Array(text.utf8).withUnsafeBytes { prefilter.matches(in: $0) }
        #expect(mask == 0)
        #expect(MatcherFixture.match(line, escaped: escaped) == nil)
    }

    // MARK: Signal assembly

    @Test("candidateMask: 0 for a benign application log, non-zero for a literal hit and for structured kinds")
    func candidateMask() {
        let matcher = SignalMatcher()
        func mask(_ text: String, _ kind: RecordKind) -> UInt64 {
            Array(text.utf8).withUnsafeBytes { p in
                matcher.candidateMask(RecordView(
                    time: MatcherFixture.time, source: SourceRef(input: 0, line: 1), kind: kind, payload: p))
            }
        }
        for line in Self.healthyLines { #expect(mask(line, .applicationLog) == 0, "\(line)") }
        #expect(mask("User: arn:aws:sts::1:assumed-role/x is not authorized to perform: s3:GetObject", .applicationLog) != 0)
        // Structured kinds are always parsed: a service event has no literal to look for.
        for kind in [RecordKind.serviceEvent, .eventBridge, .containerInsights, .albAccessLog, .metricStream] {
            #expect(mask("(service web) has reached a steady state.", kind) == .max)
        }
    }

    @Test("the split API (candidateMask, then match) finds the signal of each kind of candidate", arguments: [
        ("User: arn:aws:sts::1:assumed-role/x is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k",
         SignalKind?.some(.accessDenied)),
        ("INFO:     10.0.1.7:51234 - \"GET /orders HTTP/1.1\" 503 Service Unavailable", .some(.httpError)),
        ("{\"level\":\"info\",\"duration_ms\":12}", nil),  // a literal, a fast request: not a signal
        ("Uvicorn running on http://0.0.0.0:8000", .some(.appReady)),
    ])
    func matchWithCandidateMask(_ line: String, expected: SignalKind?) {
        let matcher = SignalMatcher()
        let payload = Array(line.utf8)
        payload.withUnsafeBytes { p in
            let record = RecordView(
                time: MatcherFixture.time, source: SourceRef(input: 0, line: 1), kind: .applicationLog, payload: p)
            let mask = matcher.candidateMask(record)
            #expect(mask != 0, "every line here holds a literal")
            #expect(matcher.match(record, candidateMask: mask, sourceText: { "f:1" })?.kind == expected)
        }
    }

    @Test("compactLine: a pretty-printed object becomes one line; the 2 KB cap never splits a character")
    func compactLine() {
        func compact(_ s: String) -> String {
            Array(s.utf8).withUnsafeBytes { SignalMatcher.compactLine(SignalMatcher.Text($0)) }
        }
        #expect(compact("{\n  \"a\": 1,\r\n\t\"b\": [\n    2\n  ]\n}\n") == #"{ "a": 1, "b": [ 2 ] }"#)
        #expect(compact("one line   ") == "one line")
        #expect(compact("\n\n  x") == "x")
        let long = String(repeating: "a", count: 2047) + "é" + "tail"
        #expect(compact(long) == String(repeating: "a", count: 2047))
        let atBreak = String(repeating: "b", count: 2048) + "\nmore"
        #expect(compact(atBreak) == String(repeating: "b", count: 2048))
    }

    @Test("sourceText is asked for only when a signal is produced")
    func sourceTextIsLazy() {
        let matcher = SignalMatcher()
        var calls = 0
        func run(_ text: String) -> Signal? {
            Array(text.utf8).withUnsafeBytes { p in
                matcher.match(RecordView(time: MatcherFixture.time, source: SourceRef(input: 2, line: 9), kind: .applicationLog, payload: p)) {
                    calls += 1
                    return "orders.log:9"
                }
            }
        }
        #expect(run("2026-11-20T09:14:03Z INFO order accepted") == nil)
        #expect(run(#"{"msg":"connecting","port":5432}"#) == nil)
        #expect(run("Found credentials in environment variables.") == nil)
        #expect(calls == 0)
        let s = run("An error occurred (AccessDenied) when calling the GetObject operation: Access Denied")
        #expect(calls == 1)
        #expect(s?.sourceText == "orders.log:9")
        #expect(s?.source == SourceRef(input: 2, line: 9))
    }

    @Test("application log signals carry the record's time, task, group and stream, but no service")
    func applicationLogIdentity() throws {
        let task = try #require(TaskID("0b0c11fa47b04ed0a669fa3ce6345afa"))
        let s = try #require(MatcherFixture.match(
            "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied",
            logGroup: "/ecs/orders", logStream: "app/app/0b0c11fa47b04ed0a669fa3ce6345afa", task: task))
        #expect(s.time == MatcherFixture.time)
        #expect(s.task == task)
        #expect(s.logGroup == "/ecs/orders")
        #expect(s.logStream == "app/app/0b0c11fa47b04ed0a669fa3ce6345afa")
        #expect(s.service == nil)
        #expect(s.cluster == nil)
        #expect(s.sourceText == "fixture.log:7")
        #expect(s.isProblem)
    }

    @Test("a record without a time gets time zero")
    func missingTime() throws {
        let s = try #require(MatcherFixture.match("Unable to locate credentials", time: nil))
        #expect(s.time == EventTime(milliseconds: 0))
        #expect(s.logGroup == nil)
        #expect(s.logStream == nil)
    }

    @Test("one signal per record: the most specific")
    func specificity() throws {
        let router = "[error] [output:cloudwatch_logs:cloudwatch_logs.0] CreateLogStream API responded with error='AccessDeniedException'"
        #expect(MatcherFixture.match(router)?.kind == .loggerError)
        let failedRequest = #"{"status":500,"duration_ms":45,"error":"An error occurred (AccessDenied) when calling the GetObject operation: Access Denied"}"#
        #expect(MatcherFixture.match(failedRequest)?.kind == .accessDenied)
        let slowFailure = #"{"status":504,"duration_ms":30012}"#
        let s = try #require(MatcherFixture.match(slowFailure))
        #expect(s.kind == .httpError)
        #expect(s.detail.seconds == 30.012)
        let oomInRequest = #"{"status":500,"error":"java.lang.OutOfMemoryError: Java heap space"}"#
        #expect(MatcherFixture.match(oomInRequest)?.kind == .oom)
    }

    @Test("evidence lines are capped at 2 KB on a UTF-8 boundary and keep the evidence")
    func longLines() throws {
        let padding = String(repeating: "é", count: 2000)
        let line = padding + " An error occurred (AccessDenied) when calling the GetObject operation: Access Denied " + padding
        let s = try #require(MatcherFixture.match(line))
        #expect(s.line.utf8.count <= SignalMatcher.maximumLineBytes)
        #expect(s.line.contains("AccessDenied"))
        #expect(!s.line.contains("\u{FFFD}"))

        let json = "{\"Type\":\"Task\",\"TaskId\":\"26feeb2c30cf4d7cb3ae44fd0e17719b\",\"CpuUtilized\":1,\"CpuReserved\":2,\"Note\":\"\(padding)\"}"
        let ci = try #require(MatcherFixture.match(json, kind: .containerInsights))
        #expect(ci.line.utf8.count <= SignalMatcher.maximumLineBytes)
        #expect(!ci.line.contains("\u{FFFD}"))
    }

    @Test("multi-line messages: the evidence is the line that holds it")
    func multiLine() throws {
        let text = "java.lang.IllegalStateException: request failed\n\tat com.example.orders.Store.load(Store.java:42)\nCaused by: software.amazon.awssdk.services.s3.model.S3Exception: Access Denied (Service: S3, Status Code: 403, Request ID: G7WJJ5HW0BBZB1WR)"
        let s = try #require(MatcherFixture.match(text, escaped: true))
        #expect(s.kind == .accessDenied)
        #expect(s.line.hasPrefix("Caused by: software.amazon.awssdk.services.s3.model.S3Exception"))
    }
}
