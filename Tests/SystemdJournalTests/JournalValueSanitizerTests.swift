import SystemdJournal
import Testing

struct JournalValueSanitizerTests {
    let sanitizer = JournalValueSanitizer()

    @Test func leavesPlainTextAndUnicodeUnchanged() {
        let text = "GET /health 200 héllo 日本語 🎉 C:\\path \"quoted\" = ok"
        #expect(sanitizer.sanitize(text) == text)
    }

    @Test func escapesTerminalEscapeSequences() {
        #expect(sanitizer.sanitize("\u{1B}[31mred\u{1B}]0;title\u{07}") == "\\x1B[31mred\\x1B]0;title\\x07")
    }

    @Test func keepsNewlinesOnlyWhenAllowed() {
        #expect(sanitizer.sanitize("a\nb") == "a\nb")
        let singleLine = JournalValueSanitizer(allowsNewlines: false)
        #expect(singleLine.sanitize("a\nb") == "a\\x0Ab")
    }

    @Test func escapesOtherC0ControlsAndDelete() {
        #expect(sanitizer.sanitize("a\tb\rc\u{0}d\u{7F}e") == "a\\x09b\\x0Dc\\x00d\\x7Fe")
    }

    @Test func escapesC1ControlsAndBidiOverrides() {
        #expect(sanitizer.sanitize("x\u{85}y\u{9B}z") == "x\\u{85}y\\u{9B}z")
        #expect(sanitizer.sanitize("abc\u{202E}cba\u{2066}\u{2028}") == "abc\\u{202E}cba\\u{2066}\\u{2028}")
    }

    @Test func escapesInvalidUTF8ByteByByte() {
        let bytes: [UInt8] = [0x66, 0xFF, 0xC3, 0x28, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80, 0xE2, 0x82]
        let result = bytes.withUnsafeBytes { sanitizer.sanitize($0) }
        #expect(result == "f\\xFF\\xC3(\\xC0\\xAF\\xED\\xA0\\x80\\xF4\\x90\\x80\\x80\\xE2\\x82")
    }

    @Test func capsLengthWithEllipsis() {
        let result = sanitizer.sanitize(String(repeating: "a", count: 5000))
        #expect(result.utf8.count == 4096)
        #expect(result.hasSuffix("…"))
        #expect(result.utf8.filter { $0 == UInt8(ascii: "a") }.count == 4093)
    }

    @Test func valueExactlyAtTheLimitIsNotCut() {
        let text = String(repeating: "a", count: 4096)
        #expect(sanitizer.sanitize(text) == text)
    }

    @Test func cutsOnCharacterBoundaries() {
        let small = JournalValueSanitizer(maximumByteCount: 101)
        let result = small.sanitize(String(repeating: "é", count: 100))
        #expect(result.utf8.count <= 101)
        #expect(!result.contains("\u{FFFD}"))
        #expect(result == String(repeating: "é", count: 49) + "…")

        let emoji = small.sanitize(String(repeating: "🎉", count: 100))
        #expect(emoji == String(repeating: "🎉", count: 24) + "…")
    }

    @Test func neverCutsInsideAnEscape() {
        let small = JournalValueSanitizer(maximumByteCount: 50)
        let result = small.sanitize(String(repeating: "\u{1B}", count: 100))
        #expect(result.hasSuffix("…"))
        let escapes = result.dropLast()
        #expect(escapes.utf8.count % 4 == 0)
        #expect(escapes == Substring(String(repeating: "\\x1B", count: 11)))
    }

    @Test func boundsWorkOnHugeInput() {
        let huge = String(repeating: "x", count: 10 * 1024 * 1024)
        let clock = ContinuousClock()
        var result = ""
        let elapsed = clock.measure { result = sanitizer.sanitize(huge) }
        #expect(result.utf8.count == 4096)
        #expect(elapsed < .seconds(1))
    }

    @Test func randomBytesAlwaysComeOutInert() {
        var generator = SplitMix64(seed: 0x5EED)
        let small = JournalValueSanitizer(maximumByteCount: 300)
        for _ in 0..<2_000 {
            let count = Int(generator.next() % 400)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let result = bytes.withUnsafeBytes { small.sanitize($0) }
            let utf8 = Array(result.utf8)
            #expect(utf8.count <= 300)
            #expect(!utf8.contains { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F })
            #expect(!result.unicodeScalars.contains { (0x80...0x9F).contains($0.value) })
            // A U+FFFD in the output would mean the sanitizer produced invalid UTF-8 (unless the input had one).
            let inputHadReplacement = bytes.indices.contains { index in
                bytes[index...].starts(with: [0xEF, 0xBF, 0xBD])
            }
            if !inputHadReplacement {
                #expect(!result.unicodeScalars.contains { $0.value == 0xFFFD })
            }
        }
    }
}

/// A small deterministic generator so that property-style tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
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
