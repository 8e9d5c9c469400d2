import DiagnosisRules
import Foundation
import LogDecoding
import Testing

/// Framing: results must not depend on how reads split the input, on line endings or on record sizes.
@Suite struct RecordReaderFramingTests {
    static let fixtures = [
        "alb-access.log", "alb-access.log.gz", "broken-json.jsonl", "container-insights-service.json",
        "container-insights-task.json", "describe-services-cli-v1.json", "describe-services-cli-v2.json",
        "describe-services-output-text.txt", "describe-services-raw-exponent.json", "empty.txt",
        "eventbridge-deployment.json", "eventbridge-service-action.json", "eventbridge-task-stopped-pretty.json",
        "filter-log-events.json", "firehose-object", "get-log-events.json", "invalid-utf8.jsonl",
        "kinesis-base64-gzip.txt", "metric-stream.jsonl", "s3-export-000000.gz", "sdk-errors.txt",
        "service-events-api.txt", "service-events-console.txt", "stopped-reasons.txt",
        "subscription-control-message.json", "subscription-data-message.json", "tail-color.txt", "tail-detailed.txt",
        "tail-json.txt", "tail-short.txt", "truncated.gz", "binary-garbage.bin",
    ]

    @Test(arguments: fixtures)
    func readsOfOneToSevenBytesGiveTheSameRecords(_ name: String) throws {
        let bytes = try fixture(name)
        let whole = decode(bytes)
        for sizes in [[1], [7], [1, 2, 3, 4, 5, 6, 7], [3, 1, 7, 2]] {
            let split = decode(bytes, readSizes: sizes)
            #expect(split.records == whole.records, "reads of \(sizes)")
            #expect(split.report == whole.report, "reads of \(sizes)")
            #expect(split.formats == whole.formats, "reads of \(sizes)")
        }
    }

    @Test(arguments: fixtures)
    func tinyBuffersGiveTheSameRecords(_ name: String) throws {
        let bytes = try fixture(name)
        let whole = decode(bytes)
        let small = decode(bytes, options: DecoderOptions(readBufferSize: 64, maxRecordBytes: 8192))
        #expect(small.records == whole.records)
        #expect(small.report == whole.report)
    }

    @Test func jsonDocumentSplitAcrossReadBuffersAtEveryOffset() {
        let doc = """
            {"nextForwardToken":"f/1","events":[{"timestamp":1712567843827,"message":"quote \\" and \\\\ and \\\\\\" end","logStreamName":"a/b/26feeb2c30cf4d7cb3ae44fd0e17719b"},
            {"timestamp":1712567843828,"message":"{\\"k\\":[1,2,{\\"x\\":\\"]}\\"}]}"}],"nextBackwardToken":"b/1"}
            """
        let bytes = Array(doc.utf8)
        let whole = decode(bytes)
        #expect(whole.payloads == [#"quote \" and \\ and \\\" end"#, #"{\"k\":[1,2,{\"x\":\"]}\"}]}"#])
        #expect(whole.lines == [1, 2])
        for first in 1..<bytes.count {
            let d = decode(bytes, readSizes: [first, 1_000_000])
            #expect(d.records == whole.records, "split at \(first)")
        }
    }

    @Test func crlfLineEnds() {
        let text =
            "{\"timestamp\":1,\"message\":\"a\"}\r\n2018-01-01T00:29:43.079060+00:00 s m\r\n(service x) has reached a steady state.\r\n\r\nplain\r\n"
        let d = decode(text)
        #expect(d.payloads == ["a", "m", "(service x) has reached a steady state.", "plain"])
        #expect(d.lines == [1, 2, 3, 5])
        let pretty = decode("{\r\n  \"timestamp\": 1,\r\n  \"message\": \"a\"\r\n}\r\nnext\r\n")
        #expect(pretty.payloads == ["a", "next"])
        #expect(pretty.lines == [1, 5])
    }

    @Test func byteOrderMarkAndMissingFinalNewline() {
        let d = decode([0xEF, 0xBB, 0xBF] + Array("{\"timestamp\":1,\"message\":\"a\"}\nlast".utf8))
        #expect(d.payloads == ["a", "last"])
        #expect(d.lines == [1, 2])
    }

    @Test func tenMegabyteLine() {
        let message = String(repeating: "x", count: 10 << 20)
        let line = "{\"timestamp\":1712567843827,\"message\":\"\(message)\"}\nafter\n"
        let bytes = Array(line.utf8)
        // Default limit (1 MiB): the record is skipped and counted; the next line still decodes.
        let limited = decode(bytes)
        #expect(limited.payloads == ["after"])
        #expect(limited.lines == [2])
        #expect(limited.report.count(.recordTooLong) == 1)
        #expect(limited.report.examples(.recordTooLong).first?.line == 1)
        // A raised limit keeps it whole.
        let raised = decode(bytes, options: DecoderOptions(maxRecordBytes: 16 << 20))
        #expect(raised.records.count == 2)
        #expect(raised.records.first?.payload.utf8.count == 10 << 20)
        // A plain text line of 10 MB is skipped up to its newline.
        let text = decode(Array((message + "\nafter\n").utf8), readSizes: [65536])
        #expect(text.payloads == ["after"])
        #expect(text.report.count(.recordTooLong) == 1)
    }

    @Test func mixedShapesLineByLine() {
        let eventBridge =
            #"{"detail-type":"ECS Task State Change","source":"aws.ecs","time":"2020-06-05T12:17:11Z","resources":["arn:aws:ecs:eu-west-1:1:task/c/33a7f27282624543abd4a00c3e84d0ee"],"detail":{}}"#
        let insights =
            #"{"Version":"0","Type":"Task","TaskId":"7ac4dfba69214411b4783a3b8189c9ba","ClusterName":"c","Timestamp":1623963900000}"#
        let kinesis = base64(
            gzip(
                #"{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[{"id":"1","timestamp":1432826855000,"message":"from kinesis"}]}"#
            ))
        let lines = [
            #"{"timestamp":1712567843827,"message":"cw event","logStreamName":"ecs/web/26feeb2c30cf4d7cb3ae44fd0e17719b"}"#,
            "2018-01-01T00:29:43.079060+00:00 app/app/0b0c11fa47b04ed0a669fa3ce6345afa tail line",
            "http 2018-07-02T22:23:00.186641Z app/lb/50dc6c495c0c9188 1.2.3.4:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 \"GET / HTTP/1.1\" \"curl\" - -",
            "2017/12/26 23:46:45 (service myapp) has begun draining connections on 1 tasks.",
            eventBridge,
            insights,
            #"{"metric_stream_name":"m","namespace":"AWS/ECS","timestamp":1611929698000,"value":{"max":1}}"#,
            "2024-04-08T09:17:23.827Z export line",
            kinesis,
            "just text",
        ]
        let text = lines.joined(separator: "\n") + "\n"
        for sizes in [[], [1, 2, 3, 4, 5, 6, 7]] {
            let d = decode(text, readSizes: sizes)
            #expect(
                d.kinds == [
                    .applicationLog, .applicationLog, .albAccessLog, .serviceEvent, .eventBridge,
                    .containerInsights, .metricStream, .applicationLog, .applicationLog, .applicationLog,
                ])
            #expect(d.lines == Array(1...10))
            #expect(
                d.times == [
                    "2024-04-08T09:17:23.827Z", "2018-01-01T00:29:43.079Z", "2018-07-02T22:23:00.186Z",
                    "2017-12-26T23:46:45.000Z",
                    "2020-06-05T12:17:11.000Z", "2021-06-17T21:05:00.000Z", "2021-01-29T14:14:58.000Z",
                    "2024-04-08T09:17:23.827Z", "2015-05-28T15:27:35.000Z", nil,
                ])
            #expect(d.records[0].task == "26feeb2c30cf4d7cb3ae44fd0e17719b")
            #expect(d.records[1].task == "0b0c11fa47b04ed0a669fa3ce6345afa")
            #expect(d.records[4].task == "33a7f27282624543abd4a00c3e84d0ee")
            #expect(d.records[5].task == "7ac4dfba69214411b4783a3b8189c9ba")
            #expect(d.records[8].payload == "from kinesis")
            #expect(d.report.isEmpty)
            #expect(
                d.formats == [
                    .cloudWatchEventLines, .tailDetailed, .albAccessLog, .serviceEventLines, .eventBridge,
                    .containerInsights,
                    .metricStream, .s3Export, .kinesisRecords, .subscriptionDataMessage, .plainText,
                ])
        }
    }

    @Test func emptyAndBlankInputs() throws {
        #expect(try decodeFixture("empty.txt").records.isEmpty)
        #expect(try decodeFixture("empty.txt").report.isEmpty)
        let blank = decode("\n\n  \n\t\n")
        #expect(blank.records.isEmpty)
        #expect(blank.report.isEmpty)
        #expect(decode(gzip("")).records.isEmpty)
    }

    @Test func countersAndInputIndex() throws {
        let bytes = try fixture("tail-detailed.txt")
        let reader = RecordReader(source: MemoryByteSource(bytes), input: 7)
        var count = 0
        while let r = reader.next() {
            #expect(r.source.input == 7)
            count += 1
        }
        #expect(count == 3)
        #expect(reader.recordsDecoded == 3)
        #expect(reader.bytesRead == bytes.count)
        #expect(reader.decodedBytes == bytes.count)
        #expect(reader.containsLogRecords)
    }

    @Test func viewsStayValidUntilTheNextCall() {
        // Records produced together (a document's elements) must not be overwritten by each other.
        let doc =
            #"{"services":[{"events":[{"createdAt":3,"message":"(service s) three"},{"createdAt":2,"message":"(service s) two"},{"createdAt":1,"message":"(service s) one"}]}]}"#
        let reader = RecordReader(source: MemoryByteSource(Array(doc.utf8)), input: 0)
        var seen: [String] = []
        while let r = reader.next() { seen.append(String(decoding: r.payload, as: UTF8.self)) }
        #expect(seen == ["(service s) one", "(service s) two", "(service s) three"])
    }
}
