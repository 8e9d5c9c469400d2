import ECSDiagKit
import Testing

struct TerminalTextTests {
    @Test func escapeSequencesBecomeInert() {
        let hostile = "ok \u{1B}[31mred\u{1B}[0m \u{1B}]0;title\u{07} \r overwrite \u{9B}2J \u{202E}evil"
        let safe = TerminalText.sanitize(hostile)
        #expect(!safe.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) })
        #expect(!safe.contains("\u{202E}"))
        #expect(safe.contains("\\e[31mred"))
        #expect(safe.contains("\\x07"))
    }

    @Test func newlinesKeptOnlyWhenAsked() {
        #expect(TerminalText.sanitize("a\nb") == "a\\nb")
        #expect(TerminalText.sanitize("a\nb", keepNewlines: true) == "a\nb")
    }

    @Test func longTextIsCapped() {
        let s = TerminalText.sanitize(String(repeating: "x", count: 10_000), limit: 100)
        #expect(s.count == 101)
        #expect(s.hasSuffix("…"))
    }
}
