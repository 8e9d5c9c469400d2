import DiagnosisRules
@testable import LogDecoding
import Testing

@Suite struct TextLineTests {
    func classify(_ line: String, tableMode: Bool = false) -> (
        shape: TextLine.Shape, time: String?, payload: String, stream: String
    ) {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBytes { b in
            let r = TextLine.classify(b, tableMode: tableMode)
            return (
                r.shape, r.time?.rfc3339, String(decoding: b[r.payload], as: UTF8.self),
                String(decoding: b[r.stream], as: UTF8.self)
            )
        }
    }

    @Test func tailAndExportShapes() {
        let detailed = classify("2018-01-01T00:29:43.079060+00:00 app/app/0b0c11fa47b04ed0a669fa3ce6345afa hello world")
        #expect(detailed.shape == .tailDetailed)
        #expect(detailed.stream == "app/app/0b0c11fa47b04ed0a669fa3ce6345afa")
        #expect(detailed.payload == "hello world")
        #expect(detailed.time == "2018-01-01T00:29:43.079Z")
        #expect(classify("2018-01-01T00:29:43+00:00 s m").shape == .tailDetailed)  // --format json omits zero µs
        #expect(classify("2018-01-01T00:29:43 m").shape == .tailShort)
        let export = classify("2024-04-08T09:17:23.827Z Test MESSAGE1")
        #expect(export.shape == .s3Export)
        #expect(export.payload == "Test MESSAGE1")
        #expect(classify("2017/12/26 23:46:45 started").shape == .timestamped)
        #expect(classify("2023-01-01 12:00:00,123 INFO x").shape == .timestamped)
    }

    @Test func serviceEventShapes() {
        #expect(classify("(service a) has reached a steady state.").shape == .serviceEvent)
        #expect(
            classify("service ldashtest (port 80) is unhealthy in target-group x due to (reason y).").shape
                == .serviceEvent)
        #expect(classify("service [hexo-discord-diffusion-prod] was unable to place a task").shape == .serviceEvent)
        #expect(classify("service web is healthy").shape == .plain)
        let go = classify("2017/12/26 23:46:45 (service myapp) has begun draining connections on 1 tasks.")
        #expect(go.shape == .serviceEvent)
        #expect(go.payload == "(service myapp) has begun draining connections on 1 tasks.")
        let cli = classify(
            #"INFO[0037] (service tutorial) has started 1 tasks: (task a).  timestamp="2021-03-08 07:30:43 +0000 UTC""#)
        #expect(cli.shape == .serviceEvent)
        #expect(cli.payload == "(service tutorial) has started 1 tasks: (task a).")
        #expect(cli.time == "2021-03-08T07:30:43.000Z")
        #expect(classify(#"WARN[0001] deploy slow  timestamp="2021-03-08 07:30:43 +0000 UTC""#).shape == .timestamped)
    }

    @Test func describeServicesTextShapes() {
        let tagged = classify("EVENTS\t1556717034.08\tid-1\t(service p) has reached a steady state.")
        #expect(tagged.shape == .describeServicesRow)
        #expect(tagged.time == "2019-05-01T13:23:54.080Z")
        #expect(tagged.payload == "(service p) has reached a steady state.")
        #expect(classify("2017-03-31T14:17:26.154000-04:00\tid\tmsg").shape == .describeServicesRow)
        #expect(classify("SERVICES\tarn\t1").shape == .tableRow)
        #expect(classify("DEPLOYMENTS\tx").shape == .plain)
        #expect(classify("DEPLOYMENTS\tx", tableMode: true).shape == .tableRow)
    }

    @Test func albAndBase64Shapes() {
        #expect(
            classify("https 2018-07-02T22:23:00.186641Z app/lb/1 1.2.3.4:5 - -1 -1 -1 503 - 0 0 \"GET / HTTP/1.1\"")
                .shape == .alb)
        #expect(classify("http 2018-07-02 something").shape == .plain)
        #expect(classify("H4sIAAAAAAAA/9WPQWuEMBCF/8uc3TZGExNv0rVLD").shape == .base64Record)
        #expect(classify("H4sI is not base64 at all").shape == .plain)
    }
}

@Suite struct ByteChecksTests {
    func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) -> R) -> R { bytes.withUnsafeBytes(body) }

    @Test func utf8Validation() {
        #expect(withBytes(Array("plain ascii é ✓ 😀".utf8)) { ByteChecks.invalidUTF8Count($0) } == 0)
        #expect(withBytes([0x61, 0xE9, 0x20, 0xFF, 0xFE]) { ByteChecks.invalidUTF8Count($0) } == 3)
        #expect(withBytes([0xED, 0xA0, 0x80]) { ByteChecks.invalidUTF8Count($0) } == 3)  // surrogate: 3 maximal subparts
        #expect(withBytes([0xC0, 0xAF]) { ByteChecks.invalidUTF8Count($0) } == 2)  // overlong
        #expect(withBytes([0xF0, 0x9F, 0x98]) { ByteChecks.invalidUTF8Count($0) } == 1)  // cut at the end
    }

    @Test func contentFlags() {
        let ascii = withBytes(Array("0123456789abcdefghij".utf8)) { ByteChecks.content($0.baseAddress!, $0.count) }
        #expect(!ascii.hasHighBytes && !ascii.hasControlBytes)
        let tab = withBytes(Array("0123456789\tabcdefghij".utf8)) { ByteChecks.content($0.baseAddress!, $0.count) }
        #expect(tab.hasControlBytes && !tab.hasHighBytes)
        let high = withBytes(Array("0123456789abcdefghijé".utf8)) { ByteChecks.content($0.baseAddress!, $0.count) }
        #expect(high.hasHighBytes && !high.hasControlBytes)
    }

    @Test func ansiStripping() {
        let colored = Array("\u{1B}[32m2018\u{1B}[0m \u{1B}[36ms\u{1B}[0m m".utf8)
        let out = UnsafeMutableRawPointer.allocate(byteCount: colored.count, alignment: 1)
        defer { out.deallocate() }
        let n = withBytes(colored) { ByteChecks.stripANSI($0, into: out) }
        #expect(String(decoding: UnsafeRawBufferPointer(start: out, count: n), as: UTF8.self) == "2018 s m")
    }

    @Test func literalSearch() {
        withBytes(Array(#"{\"detail-type\":\"x\",\"source\":\"aws.ecs\"}"#.utf8)) { b in
            #expect(ByteChecks.contains(b, "detail-type", anchor: 6))
            #expect(ByteChecks.contains(b, "aws.ecs", anchor: 3))
            #expect(!ByteChecks.contains(b, "ClusterName"))
            #expect(ByteChecks.index(of: "source", in: b) == 25)
        }
    }

    @Test func base64() {
        let out = GrowableBytes()
        #expect(withBytes(Array("aGVsbG8gd29ybGQ=".utf8)) { Base64.decode($0, into: out) })
        #expect(String(decoding: out.bytes, as: UTF8.self) == "hello world")
        #expect(!withBytes(Array("aGVs*G8=".utf8)) { Base64.decode($0, into: GrowableBytes()) })
    }
}
