@testable import LogDecoding
import Testing

@Suite struct JSONValueFramerTests {
    /// Frames `text` fed in pieces of `piece` bytes; returns the outcome relative to the whole text.
    func frame(_ text: String, piece: Int) -> JSONValueFramer.Outcome {
        let bytes = Array(text.utf8)
        var f = JSONValueFramer()
        return bytes.withUnsafeBytes { b in
            var at = 0
            while at < bytes.count {
                let to = min(at + piece, bytes.count)
                let r = f.scan(b.baseAddress!, from: at, to: to)
                if r != .needMore { return r }
                at = to
            }
            return .needMore
        }
    }

    @Test(arguments: [1, 2, 3, 5, 7, 1000])
    func completeValuesAtAnySplit(_ piece: Int) {
        #expect(frame(#"{"a":"x\"}y\\","b":[1,2.5e3,{"c":null}],"d":true} tail"#, piece: piece) == .complete(49))
        #expect(frame(#"  [ ] "#, piece: piece) == .complete(5))
        #expect(frame(#""just a string" x"#, piece: piece) == .complete(15))
        #expect(frame(#"{"k":"\\\\"}"#, piece: piece) == .complete(12))
        #expect(frame("{\n  \"a\": 1,\n  \"b\": {}\n}\n", piece: piece) == .complete(23))
        #expect(frame(#"123 "#, piece: piece) == .complete(3))
    }

    @Test(arguments: [1, 3, 1000])
    func errors(_ piece: Int) {
        #expect(frame("{\"a\":\"line\nbreak\"}", piece: piece) == .error(10))  // raw newline inside a string
        #expect(frame(#"{"a" 1}"#, piece: piece) == .error(5))
        #expect(frame(#"{"a":1,}"#, piece: piece) == .error(7))
        #expect(frame(#"[1 2]"#, piece: piece) == .error(3))
        #expect(frame(#"{"a":1]"#, piece: piece) == .error(6))
        #expect(frame(#"{a:1}"#, piece: piece) == .error(1))
        #expect(frame(#"[INFO] x"#, piece: piece) == .error(1))
    }

    @Test func incompleteValues() {
        var f = JSONValueFramer()
        let text = Array(#"{"a": "unterminated"#.utf8)
        let r = text.withUnsafeBytes { f.scan($0.baseAddress!, from: 0, to: text.count) }
        #expect(r == .needMore)
        #expect(f.isInString)
        var g = JSONValueFramer()
        let open = Array("{\n  \"a\": 1,\n".utf8)
        #expect(open.withUnsafeBytes { g.scan($0.baseAddress!, from: 0, to: open.count) } == .needMore)
        #expect(!g.isInString)
    }

    @Test func deepNestingIsLimited() {
        let deep = String(repeating: "[", count: 129) + String(repeating: "]", count: 129)
        #expect(frame(deep, piece: 1000) == .error(128))
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(frame(ok, piece: 7) == .complete(256))
    }
}
