import DiagnosisRules
import Foundation
import LogDecoding
import Testing

/// Malformed input: exact counts, examples, and that decoding always goes on.
@Suite struct MalformedInputTests {
    @Test func brokenJSONLines() throws {
        let d = try decodeFixture("broken-json.jsonl")
        #expect(d.lines == [1, 8])
        #expect(d.payloads == ["ok before", "ok after"])
        #expect(d.report.count(.brokenJSON) == 4)
        #expect(d.report.count(.unknownJSONDocument) == 1)
        #expect(d.report.total == 5)
        #expect(d.report.examples(.brokenJSON).map(\.line) == [2, 3, 4])  // at most 3 examples per reason
        #expect(
            d.report.examples(.brokenJSON).map(\.detail) == [
                "line ends inside a string", "unexpected bytes after a JSON value at column 117",
                "line ends inside a string",
            ])
        #expect(d.report.examples(.unknownJSONDocument).map(\.line) == [5])
    }

    @Test("out-of-range numeric timestamps are malformed records, not a crash")
    func outOfRangeTimestamps() {
        let d = decode("""
            {"timestamp":17125678438270000000,"message":"too large","logStreamName":"ecs/a/0123456789abcdef0123456789abcdef"}
            {"timestamp":1e400,"message":"infinite","logStreamName":"ecs/a/0123456789abcdef0123456789abcdef"}
            {"timestamp":1795165200000,"message":"ok after","logStreamName":"ecs/a/0123456789abcdef0123456789abcdef"}
            {"time":9.3e18,"level":"info","msg":"unknown JSON line with a huge time"}

            """)
        #expect(d.payloads.contains("ok after"))
        #expect(d.report.count(.brokenJSON) == 2)
        #expect(d.records.count == 2)
        #expect(d.times.last == .some(nil))
    }

    @Test func exampleLimitIsConfigurable() throws {
        let reader = RecordReader(
            source: MemoryByteSource(try fixture("broken-json.jsonl")), input: 0,
            options: DecoderOptions(maxExamplesPerReason: 1))
        while reader.next() != nil {}
        #expect(reader.report.count(.brokenJSON) == 4)
        #expect(reader.report.examples.map(\.line) == [2, 5])
    }

    @Test func invalidUTF8IsCountedAndKept() throws {
        let d = try decodeFixture("invalid-utf8.jsonl")
        #expect(d.lines == [1, 2, 3])
        #expect(d.times == ["2026-11-20T09:00:00.000Z", "2026-11-20T09:00:01.000Z", "2026-11-20T09:00:02.000Z"])
        #expect(d.payloads[0] == "ok before" && d.payloads[2] == "ok after")
        #expect(d.report.count(.invalidUTF8) == 1)
        #expect(
            d.report.examples == [
                MalformedReport.Example(line: 2, reason: .invalidUTF8, detail: "invalid UTF-8 sequence")
            ])
    }

    @Test func invalidUTF8InTextLinesCountsOncePerLine() {
        let bytes: [UInt8] =
            Array("caf".utf8) + [0xE9] + Array(" au lait \u{FF}".utf8) + [0xFF, 0x0A] + Array("fine é\n".utf8)
        let d = decode(bytes)
        #expect(d.records.count == 2)
        #expect(d.report.count(.invalidUTF8) == 1)
        #expect(d.report.examples.first?.line == 1)
    }

    @Test func binaryGarbageInput() throws {
        let d = try decodeFixture("binary-garbage.bin")
        #expect(d.records.isEmpty)
        #expect(d.report.count(.binaryData) == 1)
        #expect(d.report.total == 1)
        #expect(d.bytesRead == 4096)
    }

    @Test func binaryLinesInsideTextCountOncePerRun() {
        var bytes = Array("first\n".utf8)
        bytes += [0, 1, 2, 3, 0, 0, 0, 10, 0, 0, 5, 6, 7, 10]  // two binary lines in a row
        bytes += Array("second\n".utf8)
        bytes += [0, 0, 0, 0, 10]
        let d = decode(bytes)
        #expect(d.payloads == ["first", "second"])
        #expect(d.lines == [1, 4])
        #expect(d.report.count(.binaryData) == 2)
        #expect(d.report.examples(.binaryData).map(\.line) == [2, 5])
    }

    @Test func nulHoleFromCopytruncateDoesNotHideTheTextAfterIt() {
        let bytes = [UInt8](repeating: 0, count: 8192) + Array("lost with the hole\nkept line\n".utf8)
        let d = decode(bytes)
        #expect(d.payloads == ["kept line"])
        #expect(d.report.count(.binaryData) == 1)
    }

    @Test func truncatedGzipKeepsEverythingDecodedBeforeTheCut() throws {
        let d = try decodeFixture("truncated.gz")
        #expect(d.records.count == 99)
        #expect(d.lines == Array(1...99))
        #expect(d.records.last?.payload == "request 98 served in 881 ms trace=0a004c3b090969e5")
        #expect(d.report.count(.truncatedGzip) == 1)
        #expect(d.report.total == 1)
        #expect(d.report.examples.first?.line == 100)
        #expect(d.formats == [.gzip, .s3Export])
    }

    @Test func truncatedGzipOfADocumentIsNotCountedTwice() {
        let doc = Array(String(repeating: #"{"timestamp":1,"message":"padding padding padding"},"#, count: 200).utf8)
        let full = gzip(Array(#"{"events":["#.utf8) + doc + Array(#"{"timestamp":2,"message":"last"}]}"#.utf8))
        let d = decode(Array(full.prefix(full.count - 12)))
        #expect(d.records.count > 0)
        #expect(d.report.count(.truncatedGzip) == 1)
        #expect(d.report.count(.brokenJSON) == 0)
    }

    @Test func corruptGzip() {
        var bytes = gzip(String(repeating: "2024-04-08T09:17:23.827Z line\n", count: 100))
        for i in 20..<40 { bytes[i] ^= 0x5A }
        let d = decode(bytes)
        #expect(d.report.count(.truncatedGzip) == 1)
        #expect(d.report.examples.first?.detail.hasPrefix("corrupt gzip") == true)
    }

    @Test func documentThatEndsEarly() {
        let text = """
            {
                "events": [
                    {"timestamp": 1, "message": "kept"},
                    {"timestamp": 2, "message": "cut
            """
        let d = decode(text)
        #expect(d.payloads == ["kept"])
        #expect(d.report.count(.brokenJSON) == 1)
        #expect(d.report.examples.first?.line == 4)
    }

    @Test func documentThatEndsEarlyAtEndOfInput() {
        let d = decode("{\n  \"events\": [\n    {\"timestamp\": 1, \"message\": \"kept\"}\n")
        #expect(d.payloads == ["kept"])
        #expect(d.report.count(.brokenJSON) == 1)
        #expect(d.report.examples.first?.detail == "JSON document ends early")
    }

    @Test func brokenLineFollowedByAGoodOne() {
        // The first line looks like the start of a pretty-printed object; the second line proves it is not.
        let text = """
            {"timestamp":1,"message":"a",
            {"timestamp":2,"message":"b"}
            """
        let d = decode(text)
        #expect(d.payloads == ["b"])
        #expect(d.lines == [2])
        #expect(d.report.count(.brokenJSON) == 1)
        #expect(d.report.examples.first?.line == 1)
    }

    @Test func brokenPrettyDocumentSkipsItsFragments() {
        let text = """
            {"timestamp":1,"message":"before"}
            {
                "events": [
                    {"timestamp": 1, "message": "kept"},
                    {"timestamp": 2 "message": "bad"},
                    {"timestamp": 3, "message": "fragment"}
                ]
            }
            {"timestamp":4,"message":"after"}
            """
        let d = decode(text)
        #expect(d.payloads == ["before", "kept", "after"])
        #expect(d.report.count(.brokenJSON) == 1)
        #expect(d.report.examples.first?.line == 5)
    }

    @Test func invalidTimestampIsABadRecord() {
        let d = decode(
            #"{"timestamp":"not a number","message":"m"}"# + "\n"
                + #"{"timestamp":"2023-01-01T00:00:00Z","message":"iso"}"#)
        #expect(d.payloads == ["iso"])
        #expect(
            d.report.examples == [
                MalformedReport.Example(line: 1, reason: .brokenJSON, detail: "timestamp is not a time")
            ])
    }

    @Test func unknownDocumentsAndUnknownLines() {
        let text = """
            {"level":"error","msg":"AccessDenied","time":"2023-01-01T00:00:00Z"}
            {
              "something": "else"
            }
            [{"a": 1}]
            """
        let d = decode(text)
        // A one-line object of unknown keys is kept as a JSON log line; multi-line or array documents are not.
        #expect(d.kinds == [.applicationLog])
        #expect(d.records.first?.time == "2023-01-01T00:00:00.000Z")
        #expect(d.records.first?.escaped == false)
        #expect(d.report.count(.unknownJSONDocument) == 2)
        #expect(d.report.examples.map(\.line) == [2, 5])
        #expect(d.formats == [.jsonLines])
    }

    @Test func textLinesStartingWithBrackets() {
        let text = """
            [INFO] starting
            [2023-01-01 00:00:00] message
            {main} worker started
            """
        let d = decode(text)
        #expect(d.payloads == ["[INFO] starting", "[2023-01-01 00:00:00] message", "{main} worker started"])
        #expect(d.report.isEmpty)
    }

    @Test func brokenJSONAmongTextLinesStaysText() throws {
        let d = try decodeFixture("sdk-errors.txt")
        #expect(d.records.count == 35)
        #expect(d.report.isEmpty)
        #expect(
            d.records[9].payload.hasPrefix(
                #"{"message":"User: arn:aws:sts::123456789012:assumed-role/crossfeed-staging"#))
        #expect(d.records[21].payload.contains("aws-e (truncated...)"))
    }

    @Test func multiLineBraceBlockInTextIsText() {
        let text = """
            app started
            config dump follows
            {
              retries = 3
            }
            done
            """
        let d = decode(text)
        #expect(d.payloads == ["app started", "config dump follows", "{", "  retries = 3", "}", "done"])
        #expect(d.lines == [1, 2, 3, 4, 5, 6])
        #expect(d.report.isEmpty)
    }

    @Test func embeddedPayloadDamage() {
        let good = gzip(
            #"{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[{"id":"1","timestamp":1,"message":"ok"}]}"#
        )
        let cut = base64(Array(good.prefix(good.count - 10)))
        let notJSON = base64(gzip("hello"))
        let d = decode("\(cut)\n\(notJSON)\n")
        #expect(d.report.count(.truncatedGzip) == 1)
        #expect(d.report.count(.brokenJSON) == 2)  // the cut payload's JSON, and a payload that is no JSON at all
        #expect(d.report.examples(.truncatedGzip).first?.line == 1)
        #expect(d.report.examples(.brokenJSON).map(\.line) == [1, 2])
    }

    @Test func readErrorEndsTheInputAndIsReported() {
        struct FailingSource: ByteSource {
            var inner = MemoryByteSource(text: "line one\nline two\npartial")
            var calls = 0
            mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
                calls += 1
                if calls > 3 { throw CocoaError(.fileReadUnknown) }
                return try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, 9)]))
            }
        }
        let reader = RecordReader(source: FailingSource(), input: 0)
        var payloads: [String] = []
        while let r = reader.next() { payloads.append(String(decoding: r.payload, as: UTF8.self)) }
        #expect(payloads == ["line one", "line two"])
        #expect(reader.report.count(.readError) == 1)
    }

    @Test func multiLineObjectLongerThanTheLimit() {
        var text = "{\n  \"detail-type\": \"ECS Task State Change\",\n  \"source\": \"aws.ecs\",\n  \"detail\": {\n"
        let value = String(repeating: "v", count: 40)
        for i in 0..<500 { text += "    \"k\(i)\": \"\(value)\",\n" }
        text += "    \"last\": 1\n  }\n}\n{\"timestamp\":1,\"message\":\"after\"}\n"
        let d = decode(
            Array(text.utf8), readSizes: [333], options: DecoderOptions(readBufferSize: 4096, maxRecordBytes: 8192))
        #expect(d.payloads == ["after"])
        #expect(d.report.count(.recordTooLong) == 1)
        #expect(d.report.examples.first?.line == 1)
        #expect(d.lines == [508])
    }
}
