import Testing
@testable import DiagnosisRules

@Suite("JSONString")
struct JSONStringTests {
    private func unescape(_ raw: String) -> [UInt8] {
        var out: [UInt8] = []
        Array(raw.utf8).withUnsafeBytes { JSONString.unescape($0, into: &out) }
        return out
    }

    @Test("escapes at the start, the end, back to back and between long runs", arguments: [
        (#"\"quoted\""#, "\"quoted\""),
        (#"\\"#, "\\"),
        (#"a\\\"b"#, "a\\\"b"),
        (#"\n\r\t\b\f\/"#, "\n\r\t\u{8}\u{C}/"),
        (String(repeating: "x", count: 300) + #"\"y"# + String(repeating: "z", count: 300),
         String(repeating: "x", count: 300) + "\"y" + String(repeating: "z", count: 300)),
        ("no escapes at all", "no escapes at all"),
        ("", ""),
    ])
    func escapes(raw: String, expected: String) {
        #expect(unescape(raw) == Array(expected.utf8))
    }

    @Test("a trailing lone backslash and unknown escapes are kept as they are")
    func malformedEscapes() {
        #expect(unescape(#"end\"#) == Array(#"end\"#.utf8))
        #expect(unescape(#"a\qb"#) == Array(#"a\qb"#.utf8))
        #expect(unescape(#"bad \u12"#) == Array("bad \u{FFFD}12".utf8))
    }

    @Test("unescape(quoted(s)) == s for random text with quotes, backslashes, controls and non-ASCII")
    func roundTrip() {
        var rng = SplitMix(seed: 7)
        let alphabet: [Unicode.Scalar] = ["a", "b", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{7F}", "é", "😀", "\u{2028}"]
        for _ in 0..<500 {
            var s = ""
            for _ in 0..<Int(rng.next() % 80) { s.unicodeScalars.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            let quoted = JSONString.quoted(s)
            let inner = String(quoted.dropFirst().dropLast())
            #expect(unescape(inner) == Array(s.utf8), "\(quoted)")
        }
    }
}
