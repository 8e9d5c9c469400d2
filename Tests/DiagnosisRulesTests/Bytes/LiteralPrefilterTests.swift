import PropertyBased
import Testing

@testable import DiagnosisRules

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
            #expect(got == Self.naive(prefilter, bytes))
        }
    }

    // MARK: SIMD scans against the scalar reference

    /// The signal matcher's literal set, the one the hot path uses.
    static let signalPrefilter = LiteralPrefilter(literals: SignalMatcher.prefilterLiterals)

    /// Bit `i` set when `prefilter.literals[i]` occurs in `bytes`, by brute force.
    static func naive(_ prefilter: LiteralPrefilter, _ bytes: [UInt8]) -> UInt64 {
        var expected: UInt64 = 0
        for (i, lit) in prefilter.literals.enumerated() where bytes.count >= lit.count {
            for start in 0...(bytes.count - lit.count) where bytes[start..<(start + lit.count)].elementsEqual(lit) {
                expected |= 1 << UInt64(i)
                break
            }
        }
        return expected
    }

    /// Expects every scan (reference, Teddy scalar / SSSE3 / AVX2, and `matches(in:)`) to give the naive answer.
    static func expectAllScansAgree(
        _ prefilter: LiteralPrefilter, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let expected = naive(prefilter, bytes)
        bytes.withUnsafeBytes { raw in
            for implementation in LiteralPrefilter.Implementation.allCases {
                let got = prefilter.matches(in: raw, using: implementation)
                #expect(got == expected, "\(implementation) on \(bytes)", sourceLocation: sourceLocation)
            }
            #expect(prefilter.matches(in: raw) == expected, sourceLocation: sourceLocation)
        }
    }

    @Test func everyLiteralAtEveryOffsetOfShortInputs() {
        // Lengths 0…80 put literals at the start, the end and across the 16- and 32-byte block boundaries, in the
        // main loops, the overlapping last block and the padded copy of short inputs (every offset below 40
        // bytes, a quarter of them above).
        let prefilter = Self.signalPrefilter
        var rng = SplitMix(seed: 7)
        for (index, literal) in prefilter.literals.enumerated() {
            for length in 0...80 where length >= literal.count {
                for offset in 0...(length - literal.count) where (index + offset) % 4 == 0 || length < 40 {
                    var bytes = (0..<length).map { _ in UInt8(ascii: "a") &+ UInt8(rng.next() % 26) }
                    bytes.replaceSubrange(offset..<(offset + literal.count), with: literal)
                    Self.expectAllScansAgree(prefilter, bytes)
                }
            }
        }
    }

    @Test func literalsStraddlingBlockBoundariesOfLongInputs() {
        let prefilter = Self.signalPrefilter
        var rng = SplitMix(seed: 8)
        for length in [63, 64, 65, 66, 67, 95, 96, 97, 98, 99, 127, 128, 129, 130, 255, 256, 257, 299, 300] {
            for literal in prefilter.literals {
                let ends = [15, 16, 17, 18, 31, 32, 33, 34, 35, 47, 48, 49, 50, 63, 64, 65, 66] + [length - 2, length - 1, length]
                for end in ends where end <= length && end >= literal.count {
                    var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                    bytes.replaceSubrange((end - literal.count)..<end, with: literal)
                    Self.expectAllScansAgree(prefilter, bytes)
                }
            }
        }
    }

    @Test func randomBytesOfEveryValue() async {
        // All 256 byte values, lengths 0…300, with a few literals dropped in.
        let prefilter = Self.signalPrefilter
        await propertyCheck(
            count: 300, input: Gen.uint8().array(of: 0...300), Gen.int(in: 0..<64).array(of: 0...4), Gen.uint64()
        ) { bytes, picks, seed in
            var bytes = bytes
            var rng = SplitMix(seed: seed)
            for pick in picks where pick < prefilter.literals.count && prefilter.literals[pick].count <= bytes.count {
                let literal = prefilter.literals[pick]
                let start = Int(rng.next() % UInt64(bytes.count - literal.count + 1))
                bytes.replaceSubrange(start..<(start + literal.count), with: literal)
            }
            Self.expectAllScansAgree(prefilter, bytes)
        }
    }

    @Test func textMadeOfTheLiteralsBytes() async {
        // Near misses everywhere: every byte is a byte of some literal, so the nibble tables pass often.
        let prefilter = Self.signalPrefilter
        let alphabet = Array(Set(prefilter.literals.joined()))
        await propertyCheck(count: 300, input: Gen.int(in: 0..<alphabet.count).array(of: 0...300)) { picks in
            Self.expectAllScansAgree(prefilter, picks.map { alphabet[$0] })
        }
    }

    @Test func randomLiteralSetsWithOverlapsAndTwoByteLiterals() {
        // Up to 64 literals from tiny alphabets: shared prefixes, literals inside literals, two-byte literals,
        // bytes above 0x7F and zero, more distinct fingerprints than buckets.
        var rng = SplitMix(seed: 9)
        for _ in 0..<150 {
            let letters = Int(2 + rng.next() % 5)
            func byte() -> UInt8 {
                rng.next() % 5 == 0
                    ? UInt8(truncatingIfNeeded: rng.next()) : UInt8(ascii: "a") + UInt8(rng.next() % UInt64(letters))
            }
            let count = Int(1 + rng.next() % 64)
            let literals = (0..<count).map { _ in
                let length = Int(2 + rng.next() % (rng.next() % 2 == 0 ? 3 : 12))
                return String(decoding: (0..<length).map { _ in byte() }, as: UTF8.self)
            }
            // Strings built from invalid UTF-8 are repaired; keep only literals that survive with ≥ 2 bytes.
            let prefilter = LiteralPrefilter(literals: literals.filter { $0.utf8.count >= 2 })
            for _ in 0..<20 {
                var bytes = (0..<Int(rng.next() % 200)).map { _ in byte() }
                if let literal = prefilter.literals.randomElement(using: &rng), literal.count <= bytes.count {
                    let start = Int(rng.next() % UInt64(bytes.count - literal.count + 1))
                    bytes.replaceSubrange(start..<(start + literal.count), with: literal)
                }
                Self.expectAllScansAgree(prefilter, bytes)
            }
        }
    }

    @Test func overlappingLiterals() {
        let prefilter = LiteralPrefilter(literals: ["abab", "bab", "ab", "ba", "aba", "babab"])
        for text in ["ababab", "ab", "ba", "aba", "xxabab", "abababxx", "b" + String(repeating: "ab", count: 40)] {
            Self.expectAllScansAgree(prefilter, Array(text.utf8))
        }
        let twoByte = LiteralPrefilter(literals: ["\u{00}\u{01}", "zz", "\u{7F}q"])
        let padded = [31, 32, 33].map { String(repeating: "y", count: $0) + "zz" }
        for text in ["zz", "xzz", "\u{00}\u{01}"] + padded {
            Self.expectAllScansAgree(twoByte, Array(text.utf8))
        }
    }
}
