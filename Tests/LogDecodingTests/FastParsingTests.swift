import DiagnosisRules
import Testing
@testable import LogDecoding

/// The word-at-a-time parsers against simple references.
@Suite("FastParsing")
struct FastParsingTests {
    static func hexReference(_ bytes: [UInt8]) -> UInt64? {
        var v: UInt64 = 0
        for c in bytes {
            let d: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt64(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt64(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    static func decimalReference(_ bytes: [UInt8]) -> UInt64? {
        var v: UInt64 = 0
        for c in bytes {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            v = v * 10 + UInt64(c - UInt8(ascii: "0"))
        }
        return v
    }

    @Test("hex8 and decimal8: every byte value at every position, between valid digits", arguments: [true, false])
    func everyByte(hex: Bool) {
        let base = Array((hex ? "0a1B2c3D" : "17951652").utf8)
        for position in 0..<8 {
            for value in 0...255 {
                var bytes = base
                bytes[position] = UInt8(value)
                let got = bytes.withUnsafeBytes {
                    hex ? FastParsing.hex8($0.baseAddress!, 0) : FastParsing.decimal8($0.baseAddress!, 0)
                }
                #expect(got == (hex ? Self.hexReference(bytes) : Self.decimalReference(bytes)), "byte \(value) at \(position)")
            }
        }
    }

    @Test("hex8 and decimal8 on random digit strings, at an unaligned offset")
    func randomStrings() {
        var rng = RecordReaderFuzzTests.SplitMix64(state: 3)
        let hex = Array("0123456789abcdefABCDEF".utf8)
        for _ in 0..<5_000 {
            let h = (0..<8).map { _ in hex[Int(rng.next() % UInt64(hex.count))] }
            let d = (0..<8).map { _ in UInt8(ascii: "0") + UInt8(rng.next() % 10) }
            let padded = [UInt8(ascii: "x")] + h + d
            padded.withUnsafeBytes { p in
                #expect(FastParsing.hex8(p.baseAddress!, 1) == Self.hexReference(h))
                #expect(FastParsing.decimal8(p.baseAddress!, 9) == Self.decimalReference(d))
            }
        }
    }

    @Test("taskSuffix gives what TaskID.suffix(of:) gives", arguments: [
        "ecs/web/0123456789abcdef0123456789ABCDEF", "ecs/web/0123456789abcdef0123456789abcdeg",
        "arn:aws:ecs:eu-west-1:123456789012:task/prod/1d78f79cc79aa44f448edb9bec36760b",
        "ecs/web/1d78f79c-c79a-a44f-448e-db9bec36760b", "ecs/web/1d78f79c-c79a-a44f-448e-db9bec36760", "short",
        "0123456789abcdef0123456789abcdef", "prefix0123456789abcdef0123456789abcdef", "ecs/web/ 123456789abcdef0123456789abcdef",
    ])
    func taskSuffix(_ name: String) {
        let bytes = Array(name.utf8)
        bytes.withUnsafeBytes { p in
            #expect(FastParsing.taskSuffix(p) == TaskID.suffix(of: p))
        }
    }
}
