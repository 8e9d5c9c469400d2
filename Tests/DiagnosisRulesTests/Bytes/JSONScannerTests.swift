import DiagnosisRules
import Testing

struct JSONScannerTests {
    private func withScanner<R>(_ json: String, _ body: (JSONScanner) -> R) -> R {
        Array(json.utf8).withUnsafeBytes { body(JSONScanner($0)) }
    }

    @Test func findsMembersAsByteRanges() {
        let json = #"{"timestamp":1712567843827,"message":"a \"quoted\" AccessDenied\n","logStreamName":"ecs/api/0b0c11fa47b04ed0a669fa3ce6345afa","n":null,"ok":true}"#
        withScanner(json) { s in
            #expect(s.member("timestamp", ofObjectAt: 0).flatMap { s.time($0) }?.rfc3339 == "2024-04-08T09:17:23.827Z")
            let message = s.member("message", ofObjectAt: 0)
            #expect(message?.kind == .string)
            #expect(message?.hasEscapes == true)
            #expect(message.map { s.string($0) } == "a \"quoted\" AccessDenied\n")
            #expect(s.member("logStreamName", ofObjectAt: 0).map { s.string($0) } == "ecs/api/0b0c11fa47b04ed0a669fa3ce6345afa")
            #expect(s.member("n", ofObjectAt: 0)?.kind == .null)
            #expect(s.member("ok", ofObjectAt: 0)?.kind == .bool)
            #expect(s.member("missing", ofObjectAt: 0) == nil)
        }
    }

    @Test func followsNestedPathsAndSkipsContainers() {
        let json = """
        {
            "detail-type": "ECS Task State Change",
            "resources": ["arn:aws:ecs:eu-west-1:0123456789:task/Features/33a7f27282624543abd4a00c3e84d0ee"],
            "detail": { "containers": [ { "exitCode": 137, "reason": "OutOfMemoryError: Container killed due to memory usage" } ],
                        "group": "service:Webapp", "stoppedReason": "Essential container in task exited" }
        }
        """
        withScanner(json) { s in
            #expect(s.member(path: ["detail", "group"], ofObjectAt: 0).map { s.string($0) } == "service:Webapp")
            guard let containers = s.member(path: ["detail", "containers"], ofObjectAt: 0) else {
                Issue.record("no containers")
                return
            }
            var exitCodes: [Double] = []
            s.forEachElement(ofArrayAt: containers.range.lowerBound) { v in
                if let code = s.member("exitCode", ofObjectAt: v.range.lowerBound).flatMap({ s.double($0) }) { exitCodes.append(code) }
                return true
            }
            #expect(exitCodes == [137])
        }
    }

    @Test func escapedBackslashBeforeQuoteEndsTheString() {
        withScanner(#"{"a":"x\\","b":"y"}"#) { s in
            #expect(s.member("a", ofObjectAt: 0).map { s.string($0) } == "x\\")
            #expect(s.member("b", ofObjectAt: 0).map { s.string($0) } == "y")
        }
    }

    @Test(arguments: [#"{"a":"#, #"{"a":"unterminated}"#, #"{"a" 1}"#, #"{"a":1,,}"#, "[1,2", "", "{", #"{"a":[1,{"b":2]}"#])
    func malformedInputFailsWithoutTrapping(json: String) {
        withScanner(json) { s in
            var members = 0
            let ok = s.forEachMember(ofObjectAt: 0) { _, _ in members += 1; return true }
            #expect(!ok)
        }
    }

    @Test func unescapesUnicodeAndSurrogates() {
        let raw = #"caf\u00e9 \ud83d\ude00 tab\tend \ud800 lone"#
        let out = Array(raw.utf8).withUnsafeBytes { JSONString.unescape($0) }
        #expect(out == "café 😀 tab\tend \u{FFFD} lone")
    }
}
