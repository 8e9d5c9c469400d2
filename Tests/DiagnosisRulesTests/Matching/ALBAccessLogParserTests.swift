import Testing
@testable import DiagnosisRules

@Suite("ALBAccessLogParser")
struct ALBAccessLogParserTests {
    static let tg = "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067"

    /// aws-formats §5.3, the documented healthy line.
    static let ok = #"http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-""#
    /// aws-formats §5.3, the knowledge-center 502 (target closed the connection: `-1`, `-`).
    static let badGateway = #"http 2022-04-15T16:52:50.757968Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.001 4.205 -1 502 - 94 326 "GET http://example.com:80 HTTP/1.1" "curl/7.51.0" - - arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354""#

    static func line(
        targetTime: String = "0.004", elb: String = "200", target: String = "200", targetGroup: String = tg,
        userAgent: String = "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0"
    ) -> String {
        #"https 2026-11-20T09:14:03.120000Z app/orders/50dc6c495c0c9188 203.0.113.9:50412 10.0.1.7:8080 0.000 \#(targetTime) 0.000 \#(elb) \#(target) 512 1024 "GET https://orders.example.com:443/orders?id=42 HTTP/1.1" "\#(userAgent)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 \#(targetGroup) "Root=1-6737a1b7-0d2c4f5e6a7b8c9d0e1f2a3b" "orders.example.com" "arn:aws:acm:eu-west-1:123456789012:certificate/abc" 0 2026-11-20T09:14:03.116000Z "forward" "-" "-" "10.0.1.7:8080" "\#(target)" "-" "-" TID_1234"#
    }

    @Test("the documented lines")
    func documented() throws {
        #expect(MatcherFixture.match(Self.ok, kind: .albAccessLog) == nil)
        let s = try #require(MatcherFixture.match(Self.badGateway, kind: .albAccessLog))
        #expect(s.kind == .httpError)
        #expect(s.detail.status == 502)
        #expect(s.detail.seconds == 4.205)
        #expect(s.detail.origin == "alb")
        #expect(s.detail.targetGroup == "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-targets/73e2d6bc24d8a067")
        #expect(s.line == Self.badGateway)
    }

    @Test("5xx, slow and healthy requests", arguments: [false, true])
    func kinds(escaped: Bool) throws {
        let error = try #require(MatcherFixture.match(Self.line(targetTime: "0.120", elb: "503", target: "503"), kind: .albAccessLog, escaped: escaped))
        #expect(error.kind == .httpError)
        #expect(error.detail.status == 503)
        #expect(error.detail.seconds == 0.12)
        #expect(error.detail.targetGroup == Self.tg)

        let timeout = try #require(MatcherFixture.match(Self.line(targetTime: "-1", elb: "504", target: "-"), kind: .albAccessLog, escaped: escaped))
        #expect(timeout.kind == .httpError)
        #expect(timeout.detail.status == 504)
        #expect(timeout.detail.seconds == nil)

        let slow = try #require(MatcherFixture.match(Self.line(targetTime: "30.012"), kind: .albAccessLog, escaped: escaped))
        #expect(slow.kind == .slowRequest)
        #expect(slow.detail.seconds == 30.012)
        #expect(slow.detail.status == nil)
        #expect(slow.detail.origin == "alb")
        #expect(slow.detail.targetGroup == Self.tg)

        #expect(MatcherFixture.match(Self.line(targetTime: "0.999"), kind: .albAccessLog, escaped: escaped) == nil)
        #expect(MatcherFixture.match(Self.line(elb: "404", target: "404"), kind: .albAccessLog, escaped: escaped) == nil)

        let fixed = try #require(MatcherFixture.match(Self.line(targetTime: "-1", elb: "500", target: "-", targetGroup: "-"), kind: .albAccessLog, escaped: escaped))
        #expect(fixed.detail.targetGroup == nil)
    }

    @Test("albRequest: ranges and figures without allocating")
    func albRequest() throws {
        try MatcherFixture.withBytes(Self.line(targetTime: "1.5", elb: "200")) { p in
            let r = try #require(SignalMatcher.albRequest(p))
            #expect(String(decoding: UnsafeRawBufferPointer(rebasing: p[r.targetGroup]), as: UTF8.self) == Self.tg)
            #expect(r.targetSeconds == 1.5)
            #expect(r.status == 200)
        }
        try MatcherFixture.withBytes(Self.badGateway) { p in
            let r = try #require(SignalMatcher.albRequest(p))
            #expect(r.status == 502)
            #expect(r.targetSeconds == 4.205)
        }
        try MatcherFixture.withBytes(Self.line(targetTime: "-1", elb: "460", target: "-", targetGroup: "-")) { p in
            let r = try #require(SignalMatcher.albRequest(p))
            #expect(r.targetGroup.isEmpty)
            #expect(r.targetSeconds == nil)
            #expect(r.status == 460)
        }
        MatcherFixture.withBytes("http 2018-07-02T22:23:00.186641Z app/x/1 1.2.3.4:1 - 0.0 0.0 0.0") { p in
            #expect(SignalMatcher.albRequest(p) == nil)
        }
        MatcherFixture.withBytes("") { p in #expect(SignalMatcher.albRequest(p) == nil) }
    }
}
