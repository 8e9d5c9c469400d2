import Foundation
import LogDecoding
import Testing

@Suite struct GzipByteSourceTests {
    /// Reads a source to its end; returns the bytes and the error that ended it, if any.
    func drain(_ source: some ByteSource, chunk: Int = 4096) -> (bytes: [UInt8], error: (any Error)?) {
        var s = source
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            do {
                let n = try buffer.withUnsafeMutableBytes { try s.read(into: $0) }
                if n == 0 { return (out, nil) }
                out += buffer[0..<n]
            } catch {
                return (out, error)
            }
        }
    }

    let text = Array(String(repeating: "2024-04-08T09:17:23.827Z request served in 12 ms\n", count: 2000).utf8)

    @Test func singleMember() {
        let r = drain(GzipByteSource(base: MemoryByteSource(gzip(text))))
        #expect(r.error == nil)
        #expect(r.bytes == text)
    }

    @Test func concatenatedMembersAndZeroPadding() {
        let input =
            gzip(Array("one\n".utf8)) + gzip(Array("two\n".utf8)) + [0, 0, 0] + gzip(Array("three\n".utf8)) + [0, 0]
        let r = drain(GzipByteSource(base: MemoryByteSource(input, readSizes: [1, 2, 3])), chunk: 5)
        #expect(r.error == nil)
        #expect(String(decoding: r.bytes, as: UTF8.self) == "one\ntwo\nthree\n")
    }

    @Test func truncationIsReportedAfterAllDecodedBytes() throws {
        let full = gzip(text)
        let r = drain(GzipByteSource(base: MemoryByteSource(Array(full.prefix(full.count / 2)))), chunk: 100)
        let error = try #require(r.error as? ByteSourceError)
        #expect(error.code == .truncatedGzip)
        #expect(r.bytes.count > 0)
        #expect(Array(text.prefix(r.bytes.count)) == r.bytes)
    }

    @Test func truncatedFixture() throws {
        let r = drain(GzipByteSource(base: MemoryByteSource(try fixture("truncated.gz"))))
        #expect((r.error as? ByteSourceError)?.code == .truncatedGzip)
        #expect(String(decoding: r.bytes, as: UTF8.self).hasPrefix("2024-04-08T09:17:23.827Z request 0 served"))
    }

    @Test func trailingGarbageIsCorrupt() {
        let r = drain(GzipByteSource(base: MemoryByteSource(gzip(Array("ok\n".utf8)) + Array("garbage".utf8))))
        #expect((r.error as? ByteSourceError)?.code == .corruptGzip)
        #expect(r.bytes == Array("ok\n".utf8))
    }

    @Test func emptyInputIsEmptyOutput() {
        let r = drain(GzipByteSource(base: MemoryByteSource([])))
        #expect(r.error == nil)
        #expect(r.bytes.isEmpty)
    }

    @Test func firehoseFixtureHasThreeMembers() throws {
        let r = drain(GzipByteSource(base: MemoryByteSource(try fixture("firehose-object"))))
        #expect(r.error == nil)
        let text = String(decoding: r.bytes, as: UTF8.self)
        #expect(text.components(separatedBy: "}]}{").count == 3)
        #expect(!text.contains("\n"))
    }
}

@Suite struct MemoryByteSourceTests {
    @Test func cyclesReadSizes() throws {
        var s = MemoryByteSource(text: "abcdefghij", readSizes: [1, 3])
        var buffer = [UInt8](repeating: 0, count: 8)
        var sizes: [Int] = []
        while true {
            let n = try buffer.withUnsafeMutableBytes { try s.read(into: $0) }
            if n == 0 { break }
            sizes.append(n)
        }
        #expect(sizes == [1, 3, 1, 3, 1, 1])
    }

    @Test func fillsTheBufferWithoutReadSizes() throws {
        var s = MemoryByteSource(text: "abcdefghij")
        var buffer = [UInt8](repeating: 0, count: 4)
        let n = try buffer.withUnsafeMutableBytes { try s.read(into: $0) }
        #expect(n == 4)
        #expect(buffer == Array("abcd".utf8))
    }
}
