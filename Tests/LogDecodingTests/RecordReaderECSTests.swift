import DiagnosisRules
import Foundation
import LogDecoding
import Testing

/// ECS shapes: describe-services (JSON and text), service event lines, EventBridge events.
@Suite struct RecordReaderECSTests {
    // MARK: describe-services

    @Test func describeServicesCLIv2IsReorderedOldestFirst() throws {
        let d = try decodeFixture("describe-services-cli-v2.json")
        #expect(d.kinds == [.serviceEvent, .serviceEvent, .serviceEvent])
        // Listed newest first (lines 7, 12, 17); emitted oldest first.
        #expect(d.lines == [17, 12, 7])
        #expect(d.times == ["2023-08-24T01:27:34.870Z", "2023-08-24T01:27:45.102Z", "2023-08-24T01:27:56.436Z"])
        #expect(ms(d.times[2]!) == 1692840476436)  // 2023-08-23T18:27:56.436000-07:00
        #expect(d.payloads[0].hasPrefix("(service civictechjobs-fullstack-stage) (port 8000) is unhealthy"))
        #expect(
            d.payloads[2]
                == "(service civictechjobs-fullstack-stage) deregistered 1 targets in (target-group arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/civictechjobs-fullstack-stage/555a47e25c5a1850)"
        )
        #expect(d.records.allSatisfy { !$0.escaped && $0.task == nil })
        #expect(d.formats == [.describeServicesJSON])
        #expect(!d.containsLogRecords)
    }

    @Test func describeServicesCLIv1EpochSeconds() throws {
        let d = try decodeFixture("describe-services-cli-v1.json")
        #expect(d.records.map { ms($0.time!) } == [1556673818455, 1556695428031, 1556710261412, 1556717034080])
        #expect(d.lines == [21, 16, 11, 6])
        #expect(
            d.payloads[2]
                == "(service prometheus) operations are being throttled on service discovery. Will try again later.")
    }

    @Test func describeServicesRawExponentNotation() throws {
        let d = try decodeFixture("describe-services-raw-exponent.json")
        #expect(d.records.map { ms($0.time!) } == [1619930493055, 1619952106055])
        #expect(
            d.payloads == [
                "(service **REDACTED**) (deployment ecs-svc/3417254024836031316) deployment completed.",
                "(service **REDACTED**) has reached a steady state.",
            ])
        #expect(d.lines == [1, 1])
    }

    @Test func describeServicesWithSeveralServicesOrdersEachServiceSeparately() {
        let doc = """
            {"services":[
              {"serviceName":"a","events":[
                {"id":"2","createdAt":"2023-01-01T00:00:02Z","message":"(service a) second"},
                {"id":"1","createdAt":"2023-01-01T00:00:01Z","message":"(service a) first"}]},
              {"serviceName":"b","events":[
                {"id":"3","createdAt":"2023-01-01T00:00:01.5Z","message":"(service b) only"}]}
            ],"failures":[]}
            """
        let d = decode(doc)
        #expect(d.payloads == ["(service a) first", "(service a) second", "(service b) only"])
        #expect(d.lines == [4, 3, 6])
    }

    @Test func eventsWithEqualTimesKeepTheOrderTheyHappened() {
        let doc =
            #"{"services":[{"events":[{"createdAt":5,"message":"(service s) c"},{"createdAt":5,"message":"(service s) b"},{"createdAt":1,"message":"(service s) a"}]}]}"#
        let d = decode(doc)
        #expect(d.payloads == ["(service s) a", "(service s) b", "(service s) c"])
    }

    @Test func describeServicesOutputText() throws {
        let d = try decodeFixture("describe-services-output-text.txt")
        #expect(d.records.map { ms($0.time!) } == [1490984207311, 1490984246154])
        #expect(d.lines == [2, 1])
        #expect(
            d.payloads == [
                "(service staging-sd-neodarwin) has begun draining connections on 1 tasks.",
                "(service staging-sd-neodarwin) has reached a steady state.",
            ])
        #expect(d.formats == [.describeServicesText])
    }

    @Test func describeServicesOutputTextWithTableRows() {
        let text = """
            SERVICES\tarn:aws:ecs:us-west-2:1:service/c/web\t1\tweb\tACTIVE
            DEPLOYMENTS\t2017-03-31T14:10:00.000000-04:00\t1\tecs-svc/1\tPRIMARY
            EVENTS\t2017-03-31T14:17:26.154000-04:00\te4b61534\t(service web) has reached a steady state.
            EVENTS\t2017-03-31T14:16:47.311000-04:00\t0c7f2e5a\t(service web) has started 1 tasks: (task 26feeb2c30cf4d7cb3ae44fd0e17719b).
            LOADBALANCERS\tweb\t80\tarn:aws:elasticloadbalancing:us-west-2:1:targetgroup/web/1
            """
        let d = decode(text)
        #expect(
            d.payloads == [
                "(service web) has started 1 tasks: (task 26feeb2c30cf4d7cb3ae44fd0e17719b).",
                "(service web) has reached a steady state.",
            ])
        #expect(d.lines == [4, 3])
        #expect(d.report.ignoredTableRows == 3)
        #expect(d.report.isEmpty)
    }

    // MARK: Service event lines

    @Test func serviceEventsConsoleAndToolRenderings() throws {
        let d = try decodeFixture("service-events-console.txt")
        #expect(d.records.count == 8)
        #expect(d.kinds.allSatisfy { $0 == .serviceEvent })
        #expect(d.lines == [1, 2, 3, 4, 5, 6, 7, 8])  // lines without a time keep their order
        #expect(d.times == [nil, nil, nil, nil, nil, nil, "2017-12-26T23:46:45.000Z", "2021-03-08T07:30:43.000Z"])
        #expect(d.payloads[6] == "(service myapp) has begun draining connections on 1 tasks.")
        #expect(d.payloads[7] == "(service tutorial) has started 1 tasks: (task a1068efe89614812a3243521c0d30847).")
        #expect(d.payloads[5] == "service zoo-quiz stopped 1 running tasks.")
        #expect(d.formats == [.serviceEventLines])
    }

    @Test func serviceEventsAPIForm() throws {
        let d = try decodeFixture("service-events-api.txt")
        #expect(d.records.count == 12)
        #expect(d.kinds.allSatisfy { $0 == .serviceEvent })
        #expect(d.lines == Array(1...12))
        #expect(d.payloads[9].hasPrefix("service MythicalMysfits-Service failed to launch a task"))
    }

    @Test func timestampedServiceEventLinesNewestFirstAreReordered() {
        let text = """
            2023-08-23T18:27:56.436000-07:00 (service web) deregistered 1 targets in (target-group tg)
            2023-08-23T18:27:45.102000-07:00 (service web) has stopped 1 running tasks: (task 26feeb2c30cf4d7cb3ae44fd0e17719b).
            an application line
            """
        let d = decode(text)
        #expect(d.kinds == [.serviceEvent, .serviceEvent, .applicationLog])
        #expect(d.lines == [2, 1, 3])
    }

    @Test func textThatMerelyMentionsAServiceIsNotAServiceEvent() {
        let d = decode("service started on port 8080\nservice web is running fine\n")
        #expect(d.kinds == [.applicationLog, .applicationLog])
    }

    @Test func singleServiceEventObjectsPerLine() {
        let text = """
            {"id":"2","createdAt":1556717034.08,"message":"(service p) has reached a steady state."}
            {"id":"1","createdAt":1556695428.031,"message":"(service p) has \\"quoted\\" text"}
            """
        let d = decode(text)
        #expect(d.payloads == [#"(service p) has "quoted" text"#, "(service p) has reached a steady state."])
        #expect(d.lines == [2, 1])
        #expect(d.formats == [.serviceEventObjects])
    }

    // MARK: EventBridge

    @Test func eventBridgeTaskStateChangePrettyPrinted() throws {
        let bytes = try fixture("eventbridge-task-stopped-pretty.json")
        let d = decode(bytes)
        #expect(d.records.count == 1)
        let r = try #require(d.records.first)
        #expect(r.kind == .eventBridge)
        #expect(ms(r.time!) == 1591359431000)
        #expect(r.task == "33a7f27282624543abd4a00c3e84d0ee")
        #expect(r.line == 1)
        #expect(!r.escaped)
        #expect(r.payload == String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(d.formats == [.eventBridge])
    }

    @Test func eventBridgeServiceAction() throws {
        let d = try decodeFixture("eventbridge-service-action.json")
        let r = try #require(d.records.first)
        #expect(d.records.count == 1)
        #expect(r.kind == .eventBridge)
        #expect(r.time == "2019-11-19T19:55:38.000Z")
        #expect(r.task == nil)  // resources[0] is a service ARN
        #expect(r.payload.contains("SERVICE_TASK_START_IMPAIRED"))
    }

    @Test func eventBridgeDeploymentStateChange() throws {
        let d = try decodeFixture("eventbridge-deployment.json")
        let r = try #require(d.records.first)
        #expect(r.kind == .eventBridge)
        #expect(ms(r.time!) == 1590232271000)
        #expect(r.payload.contains(#""reason": "ECS deployment circuit breaker: task failed to start.""#))
    }

    @Test func eventBridgeFallsBackToDetailTimesAndTaskArn() {
        let line =
            #"{"detail-type":"ECS Task State Change","source":"aws.ecs","resources":[],"detail":{"taskArn":"arn:aws:ecs:eu-west-1:1:task/c/26feeb2c30cf4d7cb3ae44fd0e17719b","updatedAt":"2020-06-05T12:17:11.696Z"}}"#
        let d = decode(line)
        #expect(d.records.first?.time == "2020-06-05T12:17:11.696Z")
        #expect(d.records.first?.task == "26feeb2c30cf4d7cb3ae44fd0e17719b")
    }

    @Test func eventBridgeStoredAsCloudWatchMessageIsUnescaped() {
        let event =
            #"{"version":"0","detail-type":"ECS Task State Change","source":"aws.ecs","time":"2020-06-05T12:17:11Z","resources":["arn:aws:ecs:eu-west-1:1:task/Features/33a7f27282624543abd4a00c3e84d0ee"],"detail":{"stoppedReason":"Essential container in task exited","containers":[{"reason":"say \"x\""}]}}"#
        let escaped = event.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let line =
            #"{"timestamp":1591359432000,"message":"\#(escaped)","logStreamName":"events","logGroupName":"/aws/events/ecs"}"#
        let d = decode(line + "\n" + line)
        #expect(d.records.count == 2)
        let r = d.records[0]
        #expect(r.kind == .eventBridge)
        #expect(r.payload == event)
        #expect(!r.escaped)
        #expect(r.time == "2020-06-05T12:17:11.000Z")  // the event's time, not the log event's
        #expect(r.task == "33a7f27282624543abd4a00c3e84d0ee")
        #expect(r.group == "/aws/events/ecs")
        #expect(r.stream == "events")
        #expect(d.formats == [.cloudWatchEventLines, .eventBridge])
        #expect(!d.containsLogRecords)
    }

    @Test func eventBridgeFromAnotherSourceInAMessageStaysAnApplicationLog() {
        let line =
            #"{"timestamp":1,"message":"{\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\",\"detail\":{}}"}"#
        #expect(decode(line).kinds == [.applicationLog])
    }
}
