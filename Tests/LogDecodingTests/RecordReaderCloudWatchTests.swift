import DiagnosisRules
import LogDecoding
import Testing

/// CloudWatch Logs shapes: API documents, event lines, `aws logs tail`, export to S3, subscription payloads.
@Suite struct RecordReaderCloudWatchTests {
    // MARK: API documents

    @Test func filterLogEventsDocumentIsStreamedElementByElement() throws {
        let d = try decodeFixture("filter-log-events.json")
        #expect(d.records.count == 2)
        #expect(d.kinds == [.applicationLog, .applicationLog])
        #expect(d.times == ["2024-04-08T09:17:23.827Z", "2024-04-08T09:21:08.991Z"])
        #expect(d.records.map(\.stream) == ["teststream", "2024/05/09/[$LATEST]abc1024"])
        #expect(d.payloads == ["Test MESSAGE1", "Test MESSAGE2"])
        #expect(d.records.allSatisfy { $0.escaped && $0.group.isEmpty && $0.task == nil })
        #expect(d.lines == [3, 10])  // the line of each element's `{`
        #expect(d.formats == [.cloudWatchFilterLogEvents])
        #expect(d.containsLogRecords)
        #expect(d.report.isEmpty)
    }

    @Test func getLogEventsDocumentKeepsDuplicatesAndIsRecognisedByItsTokens() throws {
        let d = try decodeFixture("get-log-events.json")
        #expect(d.records.count == 3)
        #expect(d.times == ["2015-06-01T20:23:04.356Z", "2015-06-01T20:23:04.356Z", "2015-06-01T20:23:04.358Z"])
        #expect(d.payloads == ["Example Event 1", "Example Event 1", "Example Event 2"])
        #expect(d.records.allSatisfy { $0.stream.isEmpty && $0.group.isEmpty })
        #expect(d.lines == [4, 9, 14])
        #expect(d.formats == [.cloudWatchGetLogEvents])
    }

    @Test func compactDocumentOnOneLineIsDecodedInPlace() {
        let doc =
            #"{"events":[{"logStreamName":"ecs/api/26feeb2c30cf4d7cb3ae44fd0e17719b","timestamp":1712567843827,"message":"a"},{"logStreamName":"s","timestamp":1712567843828,"message":"b"}],"searchedLogStreams":[]}"#
        let d = decode(doc)
        #expect(d.payloads == ["a", "b"])
        #expect(d.records[0].task == "26feeb2c30cf4d7cb3ae44fd0e17719b")
        #expect(d.lines == [1, 1])
        #expect(d.formats == [.cloudWatchFilterLogEvents])
    }

    @Test func documentLargerThanTheRecordLimitIsStreamed() {
        // 3 000 events of ~100 bytes = ~300 KB, with a 64 KiB record limit: only elements are kept.
        var text = "{\n  \"nextForwardToken\": \"f/1\",\n  \"events\": [\n"
        for i in 0..<3000 {
            text +=
                "    {\"timestamp\": \(1_700_000_000_000 + i), \"message\": \"event number \(i) with some padding text\"}"
            text += i == 2999 ? "\n" : ",\n"
        }
        text += "  ],\n  \"nextBackwardToken\": \"b/1\"\n}\n"
        let options = DecoderOptions(readBufferSize: 4096, maxRecordBytes: 65536)
        let d = decode(Array(text.utf8), options: options)
        #expect(d.records.count == 3000)
        #expect(d.records.first?.payload == "event number 0 with some padding text")
        #expect(d.records.last?.time == EventTime(milliseconds: 1_700_000_002_999).rfc3339)
        #expect(d.records[0].line == 4 && d.records[2999].line == 3003)
        #expect(d.report.isEmpty)
        #expect(d.formats == [.cloudWatchGetLogEvents])
    }

    // MARK: Event lines

    @Test func eventLinesKeepMessagesEscapedAndTakeTheTaskFromTheStream() {
        let text = #"""
            {"timestamp":1712567843827,"message":"say \"hi\"\n\tat Foo.bar(Foo.java:1)","logStreamName":"ecs/web/26feeb2c30cf4d7cb3ae44fd0e17719b","logGroupName":"/ecs/web","ingestionTime":1712567844822,"eventId":"1"}
            {"logStreamName":"app/app/b3c69762-5472-4d27-b6a4-8cf9492fc1f7","message":"END RequestId: x\n","timestamp":1712567843900}
            """#
        let d = decode(text)
        #expect(d.records.count == 2)
        let first = d.records[0]
        #expect(first.payload == #"say \"hi\"\n\tat Foo.bar(Foo.java:1)"#)
        #expect(first.escaped)
        #expect(first.time == "2024-04-08T09:17:23.827Z")
        #expect(first.group == "/ecs/web")
        #expect(first.stream == "ecs/web/26feeb2c30cf4d7cb3ae44fd0e17719b")
        #expect(first.task == "26feeb2c30cf4d7cb3ae44fd0e17719b")
        #expect(d.records[1].task == "b3c69762-5472-4d27-b6a4-8cf9492fc1f7")
        #expect(d.records[1].payload == #"END RequestId: x\n"#)
        #expect(d.lines == [1, 2])
        #expect(d.formats == [.cloudWatchEventLines])
        #expect(d.containsLogRecords)
    }

    @Test func escapedSlashesInStreamNamesAreUnescaped() {
        let d = decode(#"{"timestamp":1,"message":"m","logStreamName":"ecs\/web\/26feeb2c30cf4d7cb3ae44fd0e17719b"}"#)
        #expect(d.records.first?.stream == "ecs/web/26feeb2c30cf4d7cb3ae44fd0e17719b")
        #expect(d.records.first?.task == "26feeb2c30cf4d7cb3ae44fd0e17719b")
    }

    @Test func numbersEndAtTheirLastByteWhateverTheirLength() {
        // Numbers are skipped eight digits at a time, then byte by byte: a timestamp of any length decodes the
        // same first, last (right before the closing brace) or spaced, and the next member is still found.
        // (Up to 17 digits: larger values trap in TimestampParser, a separate issue.)
        for digits in 1...17 {
            for suffix in ["", ".5", "e1", ".25E+1"] {
                let number = String("17125678438270000".prefix(digits)) + suffix
                let lines = [
                    #"{"timestamp":\#(number),"message":"m","logStreamName":"ecs/web/26feeb2c30cf4d7cb3ae44fd0e17719b"}"#,
                    #"{"message":"m","logStreamName":"ecs/web/26feeb2c30cf4d7cb3ae44fd0e17719b","timestamp":\#(number)}"#,
                    #"{"timestamp": \#(number) , "message":"m","logStreamName":"ecs/web/26feeb2c30cf4d7cb3ae44fd0e17719b"}"#,
                ]
                let decoded = lines.map { decode($0) }
                for d in decoded {
                    #expect(d.records.count == 1 && d.report.isEmpty, "\(number)")
                    #expect(d.records.map(\.time) == decoded[0].records.map(\.time), "\(number)")
                    #expect(d.records.map(\.task) == decoded[0].records.map(\.task), "\(number)")
                }
                if digits == 13, suffix.isEmpty { #expect(decoded[0].records.first?.time == "2024-04-08T09:17:23.827Z") }
            }
        }
    }

    @Test func prettyPrintedEventsOneAfterAnother() {
        let text = """
            {
              "timestamp": 1712567843827,
              "message": "first"
            }
            {
              "timestamp": 1712567843828,
              "message": "second"
            }
            """
        let d = decode(text)
        #expect(d.payloads == ["first", "second"])
        #expect(d.lines == [1, 5])
    }

    // MARK: aws logs tail

    @Test func tailDetailed() throws {
        let d = try decodeFixture("tail-detailed.txt")
        #expect(d.records.map { ms($0.time!) } == [1514766583079, 1514766583000, 1514766583079])
        #expect(d.records.allSatisfy { $0.stream == "stream_name" && !$0.escaped && $0.kind == .applicationLog })
        #expect(d.payloads == ["my message", "my message", "my messageé"])
        #expect(d.formats == [.tailDetailed])
        #expect(d.report.isEmpty)
    }

    @Test func tailShort() throws {
        let d = try decodeFixture("tail-short.txt")
        #expect(d.times == ["2018-01-01T00:29:43.000Z", "2018-01-01T00:29:43.000Z"])
        #expect(d.payloads == ["my message", "my messageé"])
        #expect(d.records.allSatisfy { $0.stream.isEmpty })
        #expect(d.formats == [.tailShort])
    }

    @Test func tailWithColourCodes() throws {
        let d = try decodeFixture("tail-color.txt")
        #expect(d.times == ["2018-01-01T00:29:43.079Z", "2018-01-01T00:29:43.000Z", "2018-01-01T00:29:43.000Z"])
        #expect(d.records.map(\.stream) == ["stream_name", "stream_name", ""])
        #expect(d.payloads == ["my message", "my message", "my message"])
        #expect(d.formats == [.tailDetailed, .tailShort, .ansiColor])
    }

    @Test func tailJSONJoinsThePrettyPrintedMessage() throws {
        let d = try decodeFixture("tail-json.txt")
        #expect(d.records.count == 2)
        #expect(d.payloads[0] == "my message")
        #expect(d.payloads[1] == "{\n    \"foo\": {\n        \"bar\": \"baz\"\n    }\n}")
        #expect(d.lines == [1, 2])
        #expect(d.records.allSatisfy { $0.stream == "stream_name" && $0.time == "2018-01-01T00:29:43.079Z" })
        #expect(d.formats == [.tailDetailed, .tailJSON])
    }

    @Test func tailJSONMessageThatIsAnEventBridgeEvent() {
        let text = """
            2020-06-05T12:17:11+00:00 ecs-events\u{20}
            {
                "detail-type": "ECS Task State Change",
                "source": "aws.ecs",
                "time": "2020-06-05T12:17:11Z",
                "resources": ["arn:aws:ecs:eu-west-1:0123456789:task/Features/33a7f27282624543abd4a00c3e84d0ee"],
                "detail": {"lastStatus": "STOPPED"}
            }
            2020-06-05T12:17:12.000000+00:00 ecs-events plain
            """
        let d = decode(text)
        #expect(d.kinds == [.eventBridge, .applicationLog])
        #expect(d.records[0].task == "33a7f27282624543abd4a00c3e84d0ee")
        #expect(d.records[0].stream == "ecs-events")
        #expect(d.lines == [1, 9])
    }

    @Test func tailLineWithEmptyMessageNotFollowedByJSON() {
        let d = decode("2018-01-01T00:29:43.079060+00:00 s \nnext line\n")
        #expect(d.payloads == ["", "next line"])
        #expect(d.lines == [1, 2])
    }

    @Test func continuationLinesInheritTheirEventsTimeStreamAndTask() {
        let text = """
            2018-01-01T00:29:43.079060+00:00 app/app/0b0c11fa47b04ed0a669fa3ce6345afa java.lang.IllegalStateException: boom
            \tat com.example.Foo.bar(Foo.java:10)
            Caused by: software.amazon.awssdk.services.s3.model.S3Exception: Access Denied
            2018-01-01T00:29:44.000000+00:00 app/app/0b0c11fa47b04ed0a669fa3ce6345afa next
            """
        let d = decode(text)
        #expect(d.records.count == 4)
        #expect(d.records[1].payload == "\tat com.example.Foo.bar(Foo.java:10)")
        #expect(d.records[1].time == "2018-01-01T00:29:43.079Z")
        #expect(d.records[2].task == "0b0c11fa47b04ed0a669fa3ce6345afa")
        #expect(d.records[2].stream == "app/app/0b0c11fa47b04ed0a669fa3ce6345afa")
        #expect(d.formats == [.tailDetailed])
    }

    // MARK: Export to S3

    @Test func s3ExportWithStreamAndTaskFromTheFolderName() throws {
        let hint =
            "/data/exports/2024-04-08/23db5787-2889-4601-873a-99e4fa09456d/ecs-web-0b0c11fa47b04ed0a669fa3ce6345afa/000000.gz"
        let d = try decodeFixture("s3-export-000000.gz", pathHint: hint)
        #expect(d.times == ["2024-04-08T09:17:23.827Z", "2024-04-08T09:21:08.991Z"])
        #expect(d.payloads == ["Test MESSAGE1", "Test MESSAGE2"])
        #expect(d.records.allSatisfy { $0.stream == "ecs-web-0b0c11fa47b04ed0a669fa3ce6345afa" })
        #expect(d.records.allSatisfy { $0.task == "0b0c11fa47b04ed0a669fa3ce6345afa" })
        #expect(d.formats == [.gzip, .s3Export])
        #expect(d.bytesRead == 73)
        #expect(d.decodedBytes == 78)
    }

    @Test func s3ExportWithoutHintAndHintsThatDoNotApply() throws {
        let plain = try decodeFixture("s3-export-000000.gz")
        #expect(plain.records.allSatisfy { $0.stream.isEmpty && $0.task == nil })
        // The hint names the stream only for export-shaped object names.
        let other = try decodeFixture(
            "s3-export-000000.gz", pathHint: "/tmp/ecs-web-0b0c11fa47b04ed0a669fa3ce6345afa/export.gz")
        #expect(other.records.allSatisfy { $0.stream.isEmpty && $0.task == nil })
        // A hint never changes the format detection: a tail file under an export-like name stays a tail file.
        let tail = try decodeFixture(
            "tail-detailed.txt", pathHint: "/x/y/ecs-web-0b0c11fa47b04ed0a669fa3ce6345afa/000000.gz")
        #expect(tail.records.allSatisfy { $0.stream == "stream_name" && $0.task == nil })
    }

    // MARK: Subscription payloads

    @Test func subscriptionDataMessageAppliesTheEnvelopeToEachEvent() throws {
        let d = try decodeFixture("subscription-data-message.json")
        #expect(d.records.count == 3)
        #expect(
            d.records.allSatisfy {
                $0.group == "CloudTrail/logs" && $0.stream == "111111111111_CloudTrail/logs_us-east-1"
                    && $0.time == "2015-05-28T15:27:35.000Z" && $0.kind == .applicationLog && $0.escaped
            })
        #expect(d.payloads[0] == #"{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root\"}"#)
        #expect(d.lines == [10, 15, 20])
        #expect(d.formats == [.subscriptionDataMessage])
    }

    @Test func controlMessageIsIgnoredNotMalformed() throws {
        let d = try decodeFixture("subscription-control-message.json")
        #expect(d.records.isEmpty)
        #expect(d.report.ignoredControlMessages == 1)
        #expect(d.report.isEmpty)
        #expect(d.formats == [.subscriptionControlMessage])
        #expect(!d.containsLogRecords)
    }

    @Test func kinesisBase64GzipRecordsOnePerLine() throws {
        let d = try decodeFixture("kinesis-base64-gzip.txt")
        #expect(d.records.count == 3)
        #expect(d.lines == [1, 1, 1])
        #expect(d.records.allSatisfy { $0.group == "CloudTrail/logs" && $0.time == "2015-05-28T15:27:35.000Z" })
        #expect(d.report.ignoredControlMessages == 1)
        #expect(d.report.isEmpty)
        #expect(d.formats == [.kinesisRecords, .subscriptionDataMessage, .subscriptionControlMessage])
    }

    @Test func lambdaEnvelope() {
        let message =
            #"{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"/ecs/api","logStream":"ecs/api/26feeb2c30cf4d7cb3ae44fd0e17719b","subscriptionFilters":["f"],"logEvents":[{"id":"1","timestamp":1712567843827,"message":"AccessDenied"}]}"#
        let envelope = #"{"awslogs":{"data":"\#(base64(gzip(message)))"}}"#
        let d = decode(envelope + "\n" + envelope)
        #expect(d.records.count == 2)
        #expect(d.records[0].group == "/ecs/api")
        #expect(d.records[0].task == "26feeb2c30cf4d7cb3ae44fd0e17719b")
        #expect(d.records[0].payload == "AccessDenied")
        #expect(d.lines == [1, 2])
        #expect(d.formats == [.lambdaEnvelope, .subscriptionDataMessage])
    }

    @Test func firehoseObjectOfConcatenatedGzipMembers() throws {
        let d = try decodeFixture("firehose-object")
        #expect(d.records.count == 6)  // the retried DATA_MESSAGE is kept twice; de-duplication is not the decoder's job
        #expect(d.records.allSatisfy { $0.group == "CloudTrail/logs" && $0.line == 1 })
        #expect(d.report.ignoredControlMessages == 1)
        #expect(d.report.isEmpty)
        #expect(d.formats == [.gzip, .subscriptionControlMessage, .subscriptionDataMessage, .firehoseObject])
    }

    @Test func firehoseObjectLargerThanTheRecordLimitIsWalkedObjectByObject() {
        var objects = ""
        for i in 0..<200 {
            objects +=
                #"{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[{"id":"\#(i)","timestamp":\#(1_700_000_000_000 + i),"message":"m\#(i)"}]}"#
        }
        let d = decode(
            gzip(objects), readSizes: [997], options: DecoderOptions(readBufferSize: 1024, maxRecordBytes: 2048))
        #expect(d.records.count == 200)
        #expect(d.records[199].payload == "m199")
        #expect(d.report.isEmpty)
        #expect(d.formats.contains(.firehoseObject))
    }

    @Test func tailJSONWithColourCodes() {
        let text =
            "\u{1B}[32m2018-01-01T00:29:43.079060+00:00\u{1B}[0m \u{1B}[36mapp/app/0b0c11fa47b04ed0a669fa3ce6345afa\u{1B}[0m \n{\n    \"level\": \"error\"\n}\n"
        for sizes in [[], [1, 3, 7]] {
            let d = decode(text, readSizes: sizes)
            #expect(d.payloads == ["{\n    \"level\": \"error\"\n}"])
            #expect(d.records.first?.stream == "app/app/0b0c11fa47b04ed0a669fa3ce6345afa")
            #expect(d.records.first?.task == "0b0c11fa47b04ed0a669fa3ce6345afa")
            #expect(d.formats == [.tailJSON, .ansiColor])
        }
    }

    @Test func tailLineWithoutTrailingSpaceDoesNotSwallowTheNextJSONLine() {
        let d = decode("2018-01-01T00:29:43.079060+00:00 s\n{\"timestamp\":1,\"message\":\"own record\"}\n")
        #expect(d.payloads == ["", "own record"])
        #expect(d.lines == [1, 2])
    }

    @Test func topLevelArrayOfEvents() {
        let text = """
            [
              {"timestamp": 1712567843827, "message": "a", "logStreamName": "s"},
              {"timestamp": 1712567843828, "message": "b", "logStreamName": "s"}
            ]
            """
        let d = decode(text)
        #expect(d.payloads == ["a", "b"])
        #expect(d.lines == [2, 3])
        #expect(decode(#"[{"timestamp":1,"message":"x"},{"timestamp":2,"message":"y"}]"#).payloads == ["x", "y"])
    }

    @Test func compactDocumentOnOneLineLargerThanTheLimit() {
        var events: [String] = []
        for i in 0..<5000 {
            events.append(#"{"timestamp":\#(1_700_000_000_000 + i),"message":"event \#(i) padding padding padding"}"#)
        }
        let doc = #"{"events":["# + events.joined(separator: ",") + #"],"searchedLogStreams":[]}"# + "\n"
        let d = decode(Array(doc.utf8), options: DecoderOptions(readBufferSize: 4096, maxRecordBytes: 16384))
        #expect(d.records.count == 5000)
        #expect(d.records.allSatisfy { $0.line == 1 })
        #expect(d.report.isEmpty)
    }

    @Test func documentElementLongerThanTheLimitIsSkipped() {
        let big = String(repeating: "y", count: 10_000)
        let text = """
            {"events": [
              {"timestamp": 1, "message": "a"},
              {"timestamp": 2, "message": "\(big)"},
              {"timestamp": 3, "message": "c"}
            ]}
            """
        let d = decode(Array(text.utf8), options: DecoderOptions(readBufferSize: 4096, maxRecordBytes: 4096))
        #expect(d.payloads == ["a", "c"])
        #expect(d.report.count(.recordTooLong) == 1)
        #expect(d.report.examples.first?.line == 3)
    }

    @Test func kinesisRecordsOfPlainBase64JSON() {
        let json =
            #"{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"ecs/a/26feeb2c30cf4d7cb3ae44fd0e17719b","logEvents":[{"id":"1","timestamp":1,"message":"m"}]}"#
        let d = decode(base64(Array(json.utf8)) + "\n")
        #expect(d.payloads == ["m"])
        #expect(d.records.first?.task == "26feeb2c30cf4d7cb3ae44fd0e17719b")
        #expect(d.formats == [.kinesisRecords, .subscriptionDataMessage])
    }
}
