import Testing
@testable import DiagnosisRules

@Suite("ContainerInsightsParser")
struct ContainerInsightsParserTests {
    /// aws-formats §5.1 Task example (EC2), verbatim fields.
    static let ec2Task = """
        {
        \t"Version": "0",
        \t"Type": "Task",
        \t"TaskId": "7ac4dfba69214411b4783a3b8189c9ba",
        \t"TaskDefinitionFamily": "sleep360",
        \t"TaskDefinitionRevision": "1",
        \t"ContainerInstanceId": "0d7650e6dec34c1a9200f72098071e8f",
        \t"EC2InstanceId": "i-0c470579dbcdbd2f3",
        \t"ClusterName": "MyCluster",
        \t"AccountID": "123456789012",
        \t"Region": "us-west-2",
        \t"AvailabilityZone": "us-west-2b",
        \t"KnownStatus": "RUNNING",
        \t"LaunchType": "EC2",
        \t"PullStartedAt": 1623963608201,
        \t"PullStoppedAt": 1623963610065,
        \t"CreatedAt": 1623963607094,
        \t"StartedAt": 1623963610382,
        \t"Timestamp": 1623963900000,
        \t"CpuUtilized": 0.0,
        \t"CpuReserved": 10.0,
        \t"MemoryUtilized": 0,
        \t"MemoryReserved": 10,
        \t"StorageReadBytes": 0,
        \t"StorageWriteBytes": 0,
        \t"NetworkRxBytes": 0,
        \t"CloudWatchMetrics": [{ "Namespace": "ECS/ContainerInsights", "Metrics": [{"Name": "CpuUtilized","Unit": "None"}],
        \t                        "Dimensions": [["ClusterName"],["ClusterName","TaskDefinitionFamily"]] }]
        }
        """

    @Test("EC2 Task event: utilisation as a percentage of the reservation")
    func ec2Task() throws {
        let s = try #require(MatcherFixture.match(Self.ec2Task, kind: .containerInsights))
        #expect(s.kind == .resourceUsage)
        #expect(s.detail.cpuPercent == 0)
        #expect(s.detail.memoryPercent == 0)
        #expect(s.task == TaskID("7ac4dfba69214411b4783a3b8189c9ba"))
        #expect(s.cluster == "MyCluster")
        #expect(s.service == nil)
    }

    @Test("Fargate Task event with ServiceName", arguments: [false, true])
    func fargateTask(escaped: Bool) throws {
        let json = #"{"Version":"0","Type":"Task","TaskId":"26feeb2c30cf4d7cb3ae44fd0e17719b","ServiceName":"orders-api","ClusterName":"prod","LaunchType":"FARGATE","Timestamp":1795166040000,"CpuUtilized":243.2,"CpuReserved":256.0,"MemoryUtilized":384,"MemoryReserved":512}"#
        let s = try #require(MatcherFixture.match(json, kind: .containerInsights, escaped: escaped))
        #expect(s.kind == .resourceUsage)
        #expect(abs((s.detail.cpuPercent ?? 0) - 95) < 1e-9)
        #expect(s.detail.memoryPercent == 75)
        #expect(s.service == "orders-api")
        #expect(s.cluster == "prod")
        #expect(s.task == TaskID("26feeb2c30cf4d7cb3ae44fd0e17719b"))
    }

    @Test("nothing reserved: no percentage")
    func zeroReserved() throws {
        let json = #"{"Type":"Task","TaskId":"26feeb2c30cf4d7cb3ae44fd0e17719b","ClusterName":"prod","CpuUtilized":12,"CpuReserved":0,"MemoryUtilized":100}"#
        let s = try #require(MatcherFixture.match(json, kind: .containerInsights))
        #expect(s.detail.cpuPercent == nil)
        #expect(s.detail.memoryPercent == nil)
    }

    /// aws-formats §5.1 Service example.
    static let service = """
        {
            "Version": "0",
            "Type": "Service",
            "ServiceName": "myCIService",
            "ClusterName": "myCICluster",
            "Timestamp": 1561586460000,
            "DesiredTaskCount": 2,
            "RunningTaskCount": 2,
            "PendingTaskCount": 0,
            "DeploymentCount": 1,
            "TaskSetCount": 0,
            "CloudWatchMetrics": [ ]
        }
        """

    @Test("Service event: desired and running counts")
    func serviceCounts() throws {
        let s = try #require(MatcherFixture.match(Self.service, kind: .containerInsights))
        #expect(s.kind == .serviceCounts)
        #expect(s.detail.desiredCount == 2)
        #expect(s.detail.runningCount == 2)
        #expect(s.service == "myCIService")
        #expect(s.cluster == "myCICluster")
        #expect(s.detail.cpuPercent == nil)
    }

    @Test("Container and Cluster events give nothing", arguments: [
        #"{"Type":"Container","ContainerName":"app","TaskId":"26feeb2c30cf4d7cb3ae44fd0e17719b","CpuUtilized":10,"CpuReserved":10}"#,
        #"{"Type":"Cluster","ClusterName":"prod","TaskCount":4,"ContainerInstanceCount":2,"ServiceCount":1}"#,
        #"{"Version":"0"}"#,
        "garbage",
    ])
    func others(_ json: String) {
        #expect(MatcherFixture.match(json, kind: .containerInsights) == nil)
    }
}
