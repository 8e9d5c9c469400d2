import DiagnosisRules
import Testing

struct LiteralPrefilterTests {
    let prefilter = LiteralPrefilter(literals: ["AccessDenied", "is not authorized to perform", "OutOfMemory", "Ac"])

    private func matches(_ s: String) -> UInt64 { Array(s.utf8).withUnsafeBytes { prefilter.matches(in: $0) } }

    @Test func reportsEveryLiteralPresent() {
        #expect(matches("An error occurred (AccessDenied) when calling") == 0b1001)
        #expect(matches("User: x is not authorized to perform: s3:GetObject; OutOfMemory") == 0b0110)
        #expect(matches("AccessDenied at the very end: AccessDenied") == 0b1001)
    }

    @Test func healthyLinesDoNotMatch() {
        #expect(matches(#"{"level":"info","msg":"GET /orders 200 12ms"}"#) == 0)
        #expect(matches("") == 0)
        #expect(matches("A") == 0)
    }

    @Test func literalsAtBufferEdges() {
        #expect(matches("Ac") == 0b1000)
        #expect(matches("AccessDenie") == 0b1000)
        #expect(matches("xAccessDenied") == 0b1001)
    }

    @Test func agreesWithNaiveSearchOnRandomText() {
        var rng = SplitMix(seed: 42)
        let alphabet = Array("AcessDniedOutofMmry :".utf8)
        for _ in 0..<500 {
            let bytes = (0..<Int(rng.next() % 80)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let got = bytes.withUnsafeBytes { prefilter.matches(in: $0) }
            var expected: UInt64 = 0
            for (i, lit) in prefilter.literals.enumerated() where bytes.count >= lit.count {
                for start in 0...(bytes.count - lit.count) where Array(bytes[start..<(start + lit.count)]) == lit {
                    expected |= 1 << UInt64(i)
                }
            }
            #expect(got == expected)
        }
    }
}

/// A tiny deterministic generator for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
