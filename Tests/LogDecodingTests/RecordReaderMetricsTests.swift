import DiagnosisRules
import Foundation
import LogDecoding
import Testing

/// Metrics-bearing shapes: Container Insights, ALB access logs, metric streams.
@Suite struct RecordReaderMetricsTests {
    @Test func containerInsightsTaskEvent() throws {
        let d = try decodeFixture("container-insights-task.json")
        let r = try #require(d.records.first)
        #expect(d.records.count == 1)
        #expect(r.kind == .containerInsights)
        #expect(ms(r.time!) == 1623963900000)
        #expect(r.task == "7ac4dfba69214411b4783a3b8189c9ba")
        #expect(r.payload.hasPrefix("{\n\t\"Version\": \"0\",\n\t\"Type\": \"Task\""))
        #expect(r.payload.hasSuffix("}"))
        #expect(d.formats == [.containerInsights])
    }

    @Test func containerInsightsServiceEvent() throws {
        let d = try decodeFixture("container-insights-service.json")
        let r = try #require(d.records.first)
        #expect(r.kind == .containerInsights)
        #expect(ms(r.time!) == 1561586460000)
        #expect(r.task == nil)
        #expect(r.payload.contains(#""ServiceName": "myCIService""#))
    }

    @Test func containerInsightsCarriedAsCloudWatchMessages() throws {
        let compact =
            #"{"Version":"0","Type":"Task","TaskId":"7ac4dfba69214411b4783a3b8189c9ba","ClusterName":"MyCluster","Timestamp":1623963900000,"CpuUtilized":512.0,"CpuReserved":1024.0}"#
        let escaped = compact.replacingOccurrences(of: "\"", with: "\\\"")
        let text = """
            {"timestamp":1623963960123,"message":"\(escaped)","logStreamName":"FargateTelemetry-1234","logGroupName":"/aws/ecs/containerinsights/MyCluster/performance"}
            {"timestamp":1623963960124,"message":"{\\"Type\\":\\"Custom\\",\\"ClusterName\\":\\"x\\"}","logStreamName":"s"}
            """
        let d = decode(text)
        #expect(d.kinds == [.containerInsights, .applicationLog])
        #expect(d.records[0].payload == compact)
        #expect(d.records[0].time == "2021-06-17T21:05:00.000Z")  // Timestamp, not the log event time
        #expect(d.records[0].task == "7ac4dfba69214411b4783a3b8189c9ba")
        #expect(d.records[0].group == "/aws/ecs/containerinsights/MyCluster/performance")
        #expect(d.records[0].stream == "FargateTelemetry-1234")
    }

    @Test func albAccessLog() throws {
        let d = try decodeFixture("alb-access.log")
        #expect(d.kinds == [.albAccessLog, .albAccessLog])
        #expect(d.records.map { ms($0.time!) } == [1530570180186, 1650041570757])
        #expect(d.payloads[1].hasPrefix("http 2022-04-15T16:52:50.757968Z app/my-loadbalancer/50dc6c495c0c9188 "))
        #expect(d.lines == [1, 2])
        #expect(d.formats == [.albAccessLog])
    }

    @Test func albAccessLogGzipGivesTheSameRecords() throws {
        let plain = try decodeFixture("alb-access.log")
        let gz = try decodeFixture("alb-access.log.gz")
        #expect(gz.records == plain.records)
        #expect(gz.formats == [.gzip, .albAccessLog])
        #expect(gz.bytesRead == 344)
    }

    @Test func albAccessLogOtherRequestTypes() {
        let text = """
            h2 2022-04-15T16:52:50.757968Z app/lb/1 1.2.3.4:1 - -1 -1 -1 503 - 0 0 "GET https://x:443/ HTTP/2.0" "-" - - - "-"
            https 2022-04-15T16:52:51.000000Z app/lb/1 1.2.3.4:1 10.0.0.1:80 0.001 0.002 0.000 200 200 1 2 "GET https://x:443/ HTTP/1.1" "-"
            http-client said hello
            """
        let d = decode(text)
        #expect(d.kinds == [.albAccessLog, .albAccessLog, .applicationLog])
    }

    @Test func metricStreamLines() throws {
        let d = try decodeFixture("metric-stream.jsonl")
        #expect(d.kinds == [.metricStream, .metricStream, .metricStream])
        #expect(d.records.map { ms($0.time!) } == [1611929698000, 1795172400000, 1795172400000])
        #expect(d.payloads[1].contains(#""metric_name":"CPUUtilization""#))
        #expect(d.formats == [.metricStream])
    }
}
