import DiagnosisRules
import ECSDiagKit
import Foundation

/// The story's configuration documents (`SampleLogs/context/{broken,fixed}`) and real-shaped inline documents
/// to swap into them, so each check can be shown firing on one change and clean on the fixed service.
enum StoryFixtures {
    static let executionRole = "orders-api-ExecutionRole-1A2B3C4D5E6F"
    static let executionRoleArn = "arn:aws:iam::123456789012:role/orders-api-ExecutionRole-1A2B3C4D5E6F"
    static let taskRole = "orders-task-role"
    static let taskRoleArn = "arn:aws:iam::123456789012:role/orders-task-role"
    static let targetGroupArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-api/73e2d6bc24d8a067"

    /// `SampleLogs/context`, found from this file's path (the test target has no resources).
    static let contextDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // Audit
        .deletingLastPathComponent()   // ECSDiagKitTests
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()   // package root
        .appendingPathComponent("SampleLogs/context")

    static func directory(_ variant: String) -> String { contextDirectory.appendingPathComponent(variant).path }

    /// The documents of a variant by file name.
    static func files(_ variant: String) -> [String: String] {
        let directory = contextDirectory.appendingPathComponent(variant)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var result: [String: String] = [:]
        for name in names where name.hasSuffix(".json") {
            result[name] = (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
        }
        return result
    }

    /// One document of a variant ("" when missing, so the test fails instead of crashing).
    static func sample(_ variant: String, _ name: String) -> String { files(variant)[name] ?? "" }

    /// Reads a variant with some documents replaced (value) or removed (nil), and others added.
    static func load(_ variant: String, replacing: [String: String?] = [:]) -> ContextLoadResult {
        var documents = files(variant)
        for (name, text) in replacing { documents[name] = text }
        return ContextDocumentReader.load(documents: documents.keys.sorted().map { ("\(variant)/\($0)", Data(documents[$0]!.utf8)) })
    }

    /// Audits a variant with some documents replaced or removed.
    static func audit(_ variant: String, replacing: [String: String?] = [:],
                      observedStartupSeconds: [String: Double] = [:]) -> [AuditFinding] {
        let load = load(variant, replacing: replacing)
        return ConfigurationAuditor(observedStartupSeconds: observedStartupSeconds, details: load.details).audit(load.context)
    }

    /// Audits documents given inline only.
    static func audit(documents: [(String, String)]) -> [AuditFinding] {
        let load = ContextDocumentReader.load(documents: documents.map { ($0.0, Data($0.1.utf8)) })
        return ConfigurationAuditor(details: load.details).audit(load.context)
    }

    // MARK: Inline document templates (AWS CLI shapes)

    static let awslogs = """
        {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/orders-api", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "ecs"}}
        """

    /// A container definition.
    static func container(name: String = "orders-api",
                          image: String = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.8.0",
                          essential: Bool = true, logConfiguration: String? = awslogs, secrets: [String] = [],
                          startPeriod: Int? = 30) -> String {
        var members = [
            "\"name\": \"\(name)\"", "\"image\": \"\(image)\"", "\"essential\": \(essential)",
            "\"portMappings\": [{\"containerPort\": 8080, \"hostPort\": 8080, \"protocol\": \"tcp\"}]",
        ]
        if let logConfiguration { members.append("\"logConfiguration\": \(logConfiguration)") }
        if !secrets.isEmpty {
            let list = secrets.enumerated().map { "{\"name\": \"SECRET_\($0)\", \"valueFrom\": \"\($1)\"}" }
            members.append("\"secrets\": [\(list.joined(separator: ", "))]")
        }
        if let startPeriod {
            members.append("\"healthCheck\": {\"command\": [\"CMD-SHELL\", \"curl -f http://localhost:8080/health || exit 1\"], \"interval\": 30, \"timeout\": 5, \"retries\": 3, \"startPeriod\": \(startPeriod)}")
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// `aws ecs describe-task-definition` output for `orders-api:REVISION` (broken runs 9, fixed runs 10).
    static func taskDefinition(revision: Int = 10, containers: [String] = [container()], taskRoleArn: String? = taskRoleArn,
                               executionRoleArn: String? = executionRoleArn, fargate: Bool = true) -> String {
        var members = [
            "\"taskDefinitionArn\": \"arn:aws:ecs:eu-west-1:123456789012:task-definition/orders-api:\(revision)\"",
            "\"containerDefinitions\": [\(containers.joined(separator: ", "))]",
            "\"family\": \"orders-api\"", "\"revision\": \(revision)", "\"status\": \"ACTIVE\"",
            "\"networkMode\": \"\(fargate ? "awsvpc" : "bridge")\"",
            "\"compatibilities\": [\"EC2\", \"FARGATE\"]",
            "\"requiresCompatibilities\": [\"\(fargate ? "FARGATE" : "EC2")\"]",
            "\"cpu\": \"512\"", "\"memory\": \"1024\"",
        ]
        if let taskRoleArn { members.append("\"taskRoleArn\": \"\(taskRoleArn)\"") }
        if let executionRoleArn { members.append("\"executionRoleArn\": \"\(executionRoleArn)\"") }
        return "{\"taskDefinition\": {" + members.joined(separator: ", ") + "}}"
    }

    /// `aws ecs describe-services` output for `orders-api` in `prod`.
    static func services(grace: Int? = 60, desiredCount: Int = 2, loadBalancer: Bool = true,
                         launchType: String = "FARGATE") -> String {
        var members = [
            "\"serviceArn\": \"arn:aws:ecs:eu-west-1:123456789012:service/prod/orders-api\"",
            "\"serviceName\": \"orders-api\"",
            "\"clusterArn\": \"arn:aws:ecs:eu-west-1:123456789012:cluster/prod\"",
            "\"loadBalancers\": [\(loadBalancer ? "{\"targetGroupArn\": \"\(targetGroupArn)\", \"containerName\": \"orders-api\", \"containerPort\": 8080}" : "")]",
            "\"status\": \"ACTIVE\"", "\"desiredCount\": \(desiredCount)", "\"runningCount\": \(desiredCount)", "\"pendingCount\": 0",
            "\"launchType\": \"\(launchType)\"",
            "\"taskDefinition\": \"arn:aws:ecs:eu-west-1:123456789012:task-definition/orders-api:10\"",
            "\"deployments\": []", "\"events\": []", "\"schedulingStrategy\": \"REPLICA\"",
        ]
        if let grace { members.append("\"healthCheckGracePeriodSeconds\": \(grace)") }
        return "{\"services\": [{" + members.joined(separator: ", ") + "}], \"failures\": []}"
    }

    /// `aws application-autoscaling describe-scalable-targets` output.
    static func scalableTargets(min: Int = 2, max: Int = 10) -> String {
        """
        {"ScalableTargets": [{"ServiceNamespace": "ecs", "ResourceId": "service/prod/orders-api",
          "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": \(min), "MaxCapacity": \(max),
          "RoleARN": "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
          "CreationTime": 1715757301.522,
          "SuspendedState": {"DynamicScalingInSuspended": false, "DynamicScalingOutSuspended": false, "ScheduledScalingSuspended": false}}]}
        """
    }

    /// `aws iam get-role-policy` output.
    static func rolePolicy(role: String, name: String, statements: String) -> String {
        """
        {"RoleName": "\(role)", "PolicyName": "\(name)", "PolicyDocument": {"Version": "2012-10-17", "Statement": \(statements)}}
        """
    }

    /// `aws iam list-attached-role-policies` output with the `RoleName` convention.
    static func attachedPolicies(role: String, arns: [String]) -> String {
        let list = arns.map { "{\"PolicyName\": \"\($0.split(separator: "/").last!)\", \"PolicyArn\": \"\($0)\"}" }
        return "{\"RoleName\": \"\(role)\", \"AttachedPolicies\": [\(list.joined(separator: ", "))], \"IsTruncated\": false}"
    }

    /// `aws iam list-role-policies` output with the `RoleName` convention.
    static func policyNames(role: String, names: [String]) -> String {
        "{\"RoleName\": \"\(role)\", \"PolicyNames\": [\(names.map { "\"\($0)\"" }.joined(separator: ", "))], \"IsTruncated\": false}"
    }

    static let executionPolicyArn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

extension Array where Element == AuditFinding {
    /// The check ids, in report order.
    var checks: [AuditCheck] { map(\.check) }

    func first(_ check: AuditCheck) -> AuditFinding? { first { $0.check == check } }
}
