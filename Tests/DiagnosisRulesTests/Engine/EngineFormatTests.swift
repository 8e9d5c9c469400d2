import PropertyBased
import Testing
@testable import DiagnosisRules

@Suite struct AWSNamesTests {
    /// The definitions the byte scanners replace (split on `/` of the decoded text).
    static func referenceService(_ group: String) -> String? {
        let parts = group.split(separator: "/").map(String.init)
        if parts.contains("containerinsights") { return nil }
        return parts.last
    }

    static func referenceContainer(_ stream: String) -> String? {
        let parts = stream.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        let name = parts[parts.count - 2]
        return name.isEmpty ? nil : String(name)
    }

    @Test func serviceNameOfALogGroup() {
        #expect(AWSNames.serviceName(fromLogGroup: "/ecs/orders-api") == "orders-api")
        #expect(AWSNames.serviceName(fromLogGroup: "orders-api") == "orders-api")
        #expect(AWSNames.serviceName(fromLogGroup: "/ecs/orders-api//") == "orders-api")
        #expect(AWSNames.serviceName(fromLogGroup: "/aws/ecs/containerinsights/prod/performance") == nil)
        #expect(AWSNames.serviceName(fromLogGroup: "///") == nil)
        #expect(AWSNames.serviceName(fromLogGroup: "") == nil)
    }

    @Test func containerNameOfAStream() {
        #expect(AWSNames.containerName(fromStream: "ecs/web/26feeb2c30cf4d7cb3ae44fd0e17719b") == "web")
        #expect(AWSNames.containerName(fromStream: "a/b/c/d") == "c")
        #expect(AWSNames.containerName(fromStream: "/web/x") == "web")
        #expect(AWSNames.containerName(fromStream: "ecs//x") == nil)
        #expect(AWSNames.containerName(fromStream: "web/x") == nil)
        #expect(AWSNames.containerName(fromStream: "x") == nil)
        #expect(AWSNames.containerName(fromStream: "") == nil)
    }

    /// Byte strings from a small alphabet (slashes, the Container Insights word, multi-byte and invalid UTF-8):
    /// the byte scanners give what the definitions give on the decoded text.
    @Test func bytesScannersMatchTheDefinitions() async {
        let pieces: [[UInt8]] = [
            [0x2F], [0x2F], Array("ecs".utf8), Array("containerinsights".utf8), Array("web".utf8), Array("é".utf8),
            [0xE2, 0x82], [0xFF], [0xC3], Array("a-b".utf8),
        ]
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...8, using: &rng) { bytes += pieces.randomElement(using: &rng)! }
            let text = String(decoding: bytes, as: UTF8.self)
            bytes.withUnsafeBytes { raw in
                #expect(AWSNames.serviceName(fromLogGroup: raw) == Self.referenceService(text))
                #expect(AWSNames.containerName(fromStream: raw) == Self.referenceContainer(text))
            }
            #expect(AWSNames.serviceName(fromLogGroup: text) == Self.referenceService(text))
            #expect(AWSNames.containerName(fromStream: text) == Self.referenceContainer(text))
        }
    }
}
