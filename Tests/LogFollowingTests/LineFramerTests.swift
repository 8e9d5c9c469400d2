import Foundation
import LogFollowing
import Testing

struct LineFramerTests {
    private func frame(
        _ chunks: [[UInt8]], options: LineFramer.Options = .init()
    ) -> (framer: LineFramer, lines: [([UInt8], LineInfo)]) {
        let framer = LineFramer(options: options)
        var lines: [([UInt8], LineInfo)] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { buffer in
                _ = framer.append(buffer) { line, info in lines.append((Array(line), info)) }
            }
        }
        return (framer, lines)
    }

    @Test func splitsLinesAndTracksNumbersAndOffsets() {
        let (framer, lines) = frame([Array("alpha\n\nbeta\r\ngam".utf8)])
        #expect(lines.map { String(decoding: $0.0, as: UTF8.self) } == ["alpha", "", "beta\r"])
        #expect(lines.map(\.1.lineNumber) == [1, 2, 3])
        #expect(lines.map(\.1.offset) == [0, 6, 7])
        #expect(!lines.contains { $0.1.isPartial })
        #expect(framer.pendingByteCount == 3)
        #expect(framer.committedOffset == 13)
        #expect(framer.streamOffset == 16)
        #expect(framer.committedLineNumber == 3)
    }

    @Test func chunkBoundariesDoNotMatter() {
        var generator = SplitMix64(seed: 7)
        var text: [UInt8] = []
        for index in 0..<2_000 {
            text += Array("line \(index) \(String(repeating: "x", count: Int(generator.next() % 300)))\n".utf8)
        }
        let expected = text.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map(Array.init)
        // Random chunk sizes, with a small buffer so that compaction and growth both happen.
        var chunks: [[UInt8]] = []
        var index = 0
        while index < text.count {
            let size = min(Int(generator.next() % 700) + 1, text.count - index)
            chunks.append(Array(text[index..<index + size]))
            index += size
        }
        let (framer, lines) = frame(chunks, options: .init(initialCapacity: 64, maximumLineLength: 4096))
        #expect(lines.map(\.0) == expected)
        #expect(lines.map(\.1.lineNumber) == (1...UInt64(expected.count)).map { $0 })
        #expect(framer.committedOffset == UInt64(text.count))
        #expect(framer.pendingByteCount == 0)
    }

    @Test func cutsOverlongLinesAndSkipsTheirRest() {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 1_000)
        let (framer, lines) = frame(
            [Array("a\n".utf8), long, long, Array("\nb\n".utf8)], options: .init(initialCapacity: 64, maximumLineLength: 100))
        #expect(lines.count == 3)
        #expect(lines[0].0 == Array("a".utf8))
        #expect(lines[1].0 == [UInt8](repeating: UInt8(ascii: "x"), count: 100))
        #expect(lines[1].1 == LineInfo(lineNumber: 2, offset: 2, isPartial: true))
        #expect(lines[2].0 == Array("b".utf8))
        #expect(lines[2].1 == LineInfo(lineNumber: 3, offset: 2_003, isPartial: false))
        #expect(framer.committedOffset == 2_005)
    }

    @Test func overlongLineIsNotCommittedUntilItEnds() {
        let (framer, lines) = frame(
            [Array("a\n".utf8), [UInt8](repeating: 0x41, count: 500)], options: .init(initialCapacity: 64, maximumLineLength: 100))
        #expect(lines.count == 2)
        // A restart from the checkpoint re-reads the long line from its start, not from its middle.
        #expect(framer.committedOffset == 2)
        #expect(framer.committedLineNumber == 1)
    }

    @Test func lineOfExactlyTheMaximumLengthIsWhole() {
        let exact = [UInt8](repeating: 0x41, count: 100) + [0x0A]
        let (_, lines) = frame([exact], options: .init(initialCapacity: 64, maximumLineLength: 100))
        #expect(lines.count == 1)
        #expect(lines[0].0.count == 100)
        #expect(!lines[0].1.isPartial)
    }

    @Test func flushDeliversTheHeldLineAsPartial() {
        let (framer, _) = frame([Array("done\nhalf".utf8)])
        var flushed: [(String, LineInfo)] = []
        #expect(framer.flushPartialLine { flushed.append((String(decoding: $0, as: UTF8.self), $1)) })
        #expect(flushed.map(\.0) == ["half"])
        #expect(flushed.first?.1 == LineInfo(lineNumber: 2, offset: 5, isPartial: true))
        #expect(framer.committedOffset == 9)
        #expect(!framer.flushPartialLine { _, _ in Issue.record("nothing left to flush") })
    }

    @Test func readsFromAPipeUntilEndOfFile() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        let text = Array("one\ntwo\nthree".utf8)
        _ = text.withUnsafeBytes { write(descriptors[1], $0.baseAddress!, $0.count) }
        close(descriptors[1])
        defer { close(descriptors[0]) }
        let framer = LineFramer()
        var lines: [String] = []
        let result = framer.read(from: descriptors[0], maximumBytes: 1 << 20) { line, _ in
            lines.append(String(decoding: line, as: UTF8.self))
        }
        #expect(result.reachedEnd)
        #expect(result.bytesRead == text.count)
        #expect(result.linesDelivered == 2)
        #expect(lines == ["one", "two"])
        #expect(framer.pendingByteCount == 5)
    }

    @Test func resetStartsOver() {
        let (framer, _) = frame([Array("a\nbc".utf8)])
        framer.reset(offset: 100, lineNumber: 7)
        var lines: [LineInfo] = []
        _ = Array("x\n".utf8).withUnsafeBytes { framer.append($0) { _, info in lines.append(info) } }
        #expect(lines == [LineInfo(lineNumber: 8, offset: 100, isPartial: false)])
    }
}

/// A small deterministic generator so that randomized tests are reproducible.
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
