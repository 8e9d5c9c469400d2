import CByteScan
import DiagnosisRules
import PropertyBased
import Testing

/// The JSON kernels of `CByteScan` (string end, container end) at every level against byte-by-byte references,
/// and `JSONScanner`, which uses them.
struct JSONStringEndTests {
    static let levels = [Int32(CBS_LEVEL_SCALAR), Int32(CBS_LEVEL_SSE), Int32(CBS_LEVEL_AVX2)]

    /// The reference: the first quote not escaped by a backslash, and whether a backslash comes before it.
    static func referenceStringEnd(_ bytes: [UInt8]) -> (end: Int, backslash: Bool)? {
        var escaped = false
        var backslash = false
        for (i, c) in bytes.enumerated() {
            if escaped {
                escaped = false
            } else if c == UInt8(ascii: "\\") {
                escaped = true
                backslash = true
            } else if c == UInt8(ascii: "\"") {
                return (i, backslash)
            }
        }
        return nil
    }

    /// Expects every level of `cbs_json_string_end`, its inline variant and `JSONScanner.stringEnd` to agree
    /// with the reference on the string content `bytes`.
    static func expectStringEnd(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = referenceStringEnd(bytes)
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress
            for level in levels {
                var backslash: Int32 = -1
                let end = cbs_json_string_end_level(base, raw.count, &backslash, level)
                #expect(end == expected?.end ?? -1, "level \(level) on \(bytes)", sourceLocation: sourceLocation)
                if let expected {
                    #expect((backslash != 0) == expected.backslash, "level \(level)", sourceLocation: sourceLocation)
                }
            }
            #expect(cbs_json_string_end(base, raw.count, nil) == expected?.end ?? -1, sourceLocation: sourceLocation)
            var inlineBackslash: Int32 = -1
            #expect(cbs_json_string_end_inline(base, raw.count, &inlineBackslash) == expected?.end ?? -1, sourceLocation: sourceLocation)
            if let expected { #expect((inlineBackslash != 0) == expected.backslash, sourceLocation: sourceLocation) }
        }
        // The scanner sees the content after an opening quote.
        let quoted = [UInt8(ascii: "\"")] + bytes
        quoted.withUnsafeBytes { raw in
            let got = JSONScanner(raw).stringEnd(from: 1)
            #expect(got?.end == expected.map { $0.end + 1 }, sourceLocation: sourceLocation)
            #expect(got?.escaped == expected?.backslash, sourceLocation: sourceLocation)
        }
    }

    @Test func everyShortStringOfQuotesBackslashesAndLetters() {
        // All strings of up to 7 bytes over {a, \, "}, after 0…3 and 12…20, 28…36, 60…68 letters: escapes at
        // and across every 16- and 32-byte block boundary.
        let alphabet: [UInt8] = [UInt8(ascii: "a"), UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        let prefixes = Array(0...3) + Array(12...20) + Array(28...36) + Array(60...68)
        for length in 0...7 {
            var total = 1
            for _ in 0..<length { total *= 3 }
            for code in 0..<total {
                var pattern: [UInt8] = []
                var c = code
                for _ in 0..<length {
                    pattern.append(alphabet[c % 3])
                    c /= 3
                }
                for prefix in prefixes where (code + prefix) % 4 == 0 || length < 5 {
                    Self.expectStringEnd([UInt8](repeating: UInt8(ascii: "x"), count: prefix) + pattern)
                }
            }
        }
    }

    @Test func backslashRunsOfEveryParityBeforeAQuote() {
        // A run of r backslashes ending right before a quote at q: the quote ends the string when r is even.
        for quote in 0...100 {
            for run in 0...min(quote, 40) {
                var bytes = [UInt8](repeating: UInt8(ascii: "y"), count: quote - run)
                bytes += [UInt8](repeating: UInt8(ascii: "\\"), count: run)
                bytes += Array(#""tail"end"#.utf8)
                Self.expectStringEnd(bytes)
                let expected = run % 2 == 0 ? quote : quote + 5
                bytes.withUnsafeBytes { raw in
                    #expect(cbs_json_string_end(raw.baseAddress, raw.count, nil) == expected)
                }
            }
        }
    }

    @Test func noClosingQuoteAndQuoteAtTheLastByte() {
        for length in 0...100 {
            let letters = [UInt8](repeating: UInt8(ascii: "m"), count: length)
            Self.expectStringEnd(letters)  // none
            Self.expectStringEnd(letters + [UInt8(ascii: "\"")])  // the last byte
            Self.expectStringEnd(letters + [UInt8(ascii: "\\"), UInt8(ascii: "\"")])  // escaped last byte: none
            Self.expectStringEnd(letters + [UInt8(ascii: "\\")])  // a trailing backslash escapes nothing
            Self.expectStringEnd(letters + Array(#"\\""#.utf8))  // escaped backslash, then the end
        }
    }

    @Test func randomJSONInJSONMessages() async {
        // Dense escapes like CloudWatch messages that carry JSON: `\"`, `\\`, `\n`, `\u00e9`.
        let pieces = [#"\""#, #"\\"#, #"\n"#, #"\u00e9"#, "a", "bc", " ", ":", "{", "}", "\"", "\\"]
            .map { Array($0.utf8) }
        await propertyCheck(count: 400, input: Gen.int(in: 0..<pieces.count).array(of: 0...120)) { picks in
            Self.expectStringEnd(picks.flatMap { pieces[$0] })
        }
    }

    @Test func randomBytesOfEveryValue() async {
        await propertyCheck(count: 400, input: Gen.uint8().array(of: 0...300)) { bytes in
            Self.expectStringEnd(bytes)
        }
    }

    // MARK: Container end

    /// The reference: `JSONScanner.containerEnd` as it was, byte by byte.
    static func referenceContainerEnd(_ bytes: [UInt8]) -> Int? {
        var depth = 0
        var j = 0
        while j < bytes.count {
            switch bytes[j] {
            case UInt8(ascii: "\""):
                guard let end = referenceStringEnd(Array(bytes[(j + 1)...]))?.end else { return nil }
                j += 1 + end
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return j + 1 }
                if depth < 0 { return nil }
            default: break
            }
            j += 1
        }
        return nil
    }

    static func expectContainerEnd(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = referenceContainerEnd(bytes)
        bytes.withUnsafeBytes { raw in
            for level in levels {
                let end = cbs_json_container_end_level(raw.baseAddress, raw.count, level)
                #expect(end == expected ?? -1, "level \(level) on \(bytes)", sourceLocation: sourceLocation)
            }
            #expect(JSONScanner(raw).containerEnd(from: 0) == expected, sourceLocation: sourceLocation)
        }
    }

    @Test func containersWithBracketsInStrings() {
        let cases = [
            #"{}"#, #"[]"#, #"{"a":"}"}"#, #"{"a":"\"}"}"#, #"[["]"],"\\"]"#, #"{"a":[1,{"b":"{["}],"c":"\\\""}x"#,
            #"{"a""#, #"{"a":"unterminated}"#, "}", "", "[", #"{"k":"v"}   "#, #"{"a":[1,{"b":2]}"#,
        ]
        for text in cases {
            for pad in [0, 5, 13, 14, 15, 16, 17, 29, 30, 31, 32, 33, 40] {
                // Padding inside the container moves every structural byte across the block boundaries.
                let bytes = Array(text.utf8)
                let padded = bytes.isEmpty ? bytes : [bytes[0]] + [UInt8](repeating: 32, count: pad) + bytes.dropFirst()
                Self.expectContainerEnd(padded)
            }
        }
    }

    @Test func randomNestedContainers() async {
        let pieces = ["{", "}", "[", "]", "\"", #"\""#, #"\\"#, "\\", ",", ":", "1", "abc", " "].map { Array($0.utf8) }
        await propertyCheck(count: 500, input: Gen.int(in: 0..<pieces.count).array(of: 0...80), Gen.bool()) {
            picks, array in
            Self.expectContainerEnd(Array((array ? "[" : "{").utf8) + picks.flatMap { pieces[$0] })
        }
    }
}
