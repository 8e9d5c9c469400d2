import Testing
@testable import DiagnosisRules

@Suite("MetricStreamParser")
struct MetricStreamParserTests {
    static func metric(_ namespace: String, _ name: String, _ dimensions: String, _ value: String) -> String {
        #"{"metric_stream_name":"MyMetricStream","account_id":"1234567890","region":"us-east-1","namespace":"\#(namespace)","metric_name":"\#(name)","dimensions":{\#(dimensions)},"timestamp":1611929698000,"value":{\#(value)},"unit":"Percent"}"#
    }

    @Test("AWS/ECS service utilisation is resource-usage (average = sum / count)")
    func ecs() throws {
        let cpu = try #require(MatcherFixture.match(
            Self.metric("AWS/ECS", "CPUUtilization", #""ClusterName":"prod","ServiceName":"orders-api""#,
                        #""count":3.0,"sum":285.0,"max":99.0,"min":90.0"#), kind: .metricStream))
        #expect(cpu.kind == .resourceUsage)
        #expect(cpu.detail.cpuPercent == 95)
        #expect(cpu.detail.memoryPercent == nil)
        #expect(cpu.service == "orders-api")
        #expect(cpu.cluster == "prod")
        let memory = try #require(MatcherFixture.match(
            Self.metric("AWS/ECS", "MemoryUtilization", #""ClusterName":"prod","ServiceName":"orders-api""#,
                        #""count":0,"sum":0,"max":41.5,"min":40"#), kind: .metricStream))
        #expect(memory.detail.memoryPercent == 41.5)
        #expect(MatcherFixture.match(
            Self.metric("AWS/ECS", "CPUReservation", #""ClusterName":"prod""#, #""count":1,"sum":50"#),
            kind: .metricStream) == nil)
        #expect(MatcherFixture.match(
            Self.metric("AWS/ECS", "CPUUtilization", #""ClusterName":"prod""#, #""count":1,"sum":50"#),
            kind: .metricStream) == nil)
    }

    @Test("ALB TargetResponseTime and 5XX counts")
    func alb() throws {
        let dims = #""LoadBalancer":"app/orders/50dc6c495c0c9188","TargetGroup":"targetgroup/orders/73e2d6bc24d8a067""#
        let slow = try #require(MatcherFixture.match(
            Self.metric("AWS/ApplicationELB", "TargetResponseTime", dims, #""count":10,"sum":300.5,"max":30.2,"min":29"#),
            kind: .metricStream))
        #expect(slow.kind == .slowRequest)
        #expect(slow.detail.seconds == 30.05)
        #expect(slow.detail.origin == "alb-metric")
        #expect(slow.detail.targetGroup == "targetgroup/orders/73e2d6bc24d8a067")
        #expect(MatcherFixture.match(
            Self.metric("AWS/ApplicationELB", "TargetResponseTime", dims, #""count":10,"sum":1.2,"max":0.4,"min":0.05"#),
            kind: .metricStream) == nil)
        for name in ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"] {
            let errors = try #require(MatcherFixture.match(
                Self.metric("AWS/ApplicationELB", name, dims, #""count":1,"sum":12,"max":12,"min":12"#), kind: .metricStream))
            #expect(errors.kind == .httpError)
            #expect(errors.detail.status == 500)
            #expect(errors.detail.origin == "alb-metric")
            #expect(errors.detail.reason == "\(name) 12")
            #expect(MatcherFixture.match(
                Self.metric("AWS/ApplicationELB", name, dims, #""count":1,"sum":0,"max":0,"min":0"#),
                kind: .metricStream) == nil)
        }
        #expect(MatcherFixture.match(
            Self.metric("AWS/ApplicationELB", "RequestCount", dims, #""count":1,"sum":500"#), kind: .metricStream) == nil)
    }

    @Test("other namespaces give nothing")
    func others() {
        #expect(MatcherFixture.match(
            Self.metric("AWS/EC2", "DiskWriteOps", #""InstanceId":"i-123456789012""#,
                        #""count":3.0,"sum":20.0,"max":18.0,"min":0.0,"p99":17.56"#), kind: .metricStream) == nil)
    }
}
