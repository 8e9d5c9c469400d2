import DiagnosisRules
import ECSDiagKit
import Foundation
import Testing

@Suite("ContextDocumentReader")
struct ContextDocumentReaderTests {
    private func load(_ documents: (String, String)...) -> ContextLoadResult {
        ContextDocumentReader.load(documents: documents.map { ($0.0, Data($0.1.utf8)) })
    }

    // MARK: ECS documents

    @Test func describeTaskDefinitionFillsTheTaskDefinition() throws {
        let secrets = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/orders-db-AbCdEf:password::",
                       "/prod/orders/api-key"]
        let result = load(("td.json", StoryFixtures.taskDefinition(containers: [
            StoryFixtures.container(secrets: secrets),
            StoryFixtures.container(name: "xray", image: "public.ecr.aws/xray/aws-xray-daemon:3.3.7", essential: false,
                                    logConfiguration: nil, startPeriod: nil),
        ])))
        #expect(result.problems.isEmpty)
        #expect(result.documents == [LoadedDocument(path: "td.json", kind: .taskDefinition)])
        let td = try #require(result.context.taskDefinitions.first)
        #expect(td.family == "orders-api")
        #expect(td.revision == 10)
        #expect(td.taskRoleArn == StoryFixtures.taskRoleArn)
        #expect(td.executionRoleArn == StoryFixtures.executionRoleArn)
        #expect(td.fargate)
        #expect(td.origin == "td.json#taskDefinition")
        #expect(td.containers.count == 2)
        let app = td.containers[0]
        #expect(app.name == "orders-api")
        #expect(app.essential)
        #expect(app.logDriver == "awslogs")
        #expect(app.logOptions == ["awslogs-group": "/ecs/orders-api", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "ecs"])
        #expect(app.healthCheckStartPeriod == 30)
        #expect(app.secrets == secrets)
        #expect(app.usesECR)
        let sidecar = td.containers[1]
        #expect(!sidecar.essential)
        #expect(sidecar.logDriver == nil)
        #expect(!sidecar.usesECR)
        #expect(sidecar.healthCheckStartPeriod == nil)
    }

    @Test func bareTaskDefinitionAndRegisterInputAreTaskDefinitions() throws {
        let register = """
            {"family": "orders-api", "taskRoleArn": "orders-task-role", "networkMode": "bridge",
             "requiresCompatibilities": ["EC2"],
             "containerDefinitions": [{"name": "web", "image": "nginx:1.25", "memory": 256,
               "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web", "awslogs-region": "eu-west-1", "awslogs-create-group": "true"}}}]}
            """
        let result = load(("register.json", register))
        #expect(result.documents.map(\.kind) == [.taskDefinition])
        let td = try #require(result.context.taskDefinitions.first)
        #expect(td.origin == "register.json")
        #expect(td.revision == nil)
        #expect(!td.fargate)
        #expect(td.taskRoleArn == "orders-task-role")
        #expect(td.containers[0].essential, "essential defaults to true")
        #expect(td.containers[0].logOptions["awslogs-create-group"] == "true")
    }

    @Test func describeServicesFillsTheService() throws {
        let result = load(("svc.json", StoryFixtures.services(grace: 45, desiredCount: 3)))
        let service = try #require(result.context.services.first)
        #expect(service.name == "orders-api")
        #expect(service.cluster == "prod")
        #expect(service.desiredCount == 3)
        #expect(service.healthCheckGracePeriodSeconds == 45)
        #expect(service.targetGroupArns == [StoryFixtures.targetGroupArn])
        #expect(service.taskDefinition == "arn:aws:ecs:eu-west-1:123456789012:task-definition/orders-api:10")
        #expect(service.launchType == "FARGATE")
        #expect(service.origin == "svc.json#services[0]")
    }

    @Test func absentGracePeriodIsZeroOnlyWithALoadBalancer() {
        let withLB = load(("a.json", StoryFixtures.services(grace: nil)))
        #expect(withLB.context.services.first?.healthCheckGracePeriodSeconds == 0)
        let withoutLB = load(("b.json", StoryFixtures.services(grace: nil, loadBalancer: false)))
        #expect(withoutLB.context.services.first?.healthCheckGracePeriodSeconds == nil)
        #expect(withoutLB.context.services.first?.targetGroupArns == [])
    }

    @Test func capacityProviderStrategyGivesTheLaunchTypeAndFailuresAreReported() {
        let text = """
            {"services": [{"serviceName": "worker", "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
               "desiredCount": 1, "loadBalancers": [],
               "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]}],
             "failures": [{"arn": "arn:aws:ecs:eu-west-1:123456789012:service/prod/gone", "reason": "MISSING"}]}
            """
        let result = load(("svc.json", text))
        #expect(result.context.services.first?.launchType == "FARGATE")
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.message.contains("MISSING") == true)
    }

    @Test func describeTargetGroupsFillsTheHealthCheck() throws {
        let result = load(("tg.json", StoryFixtures.sample("broken", "target-groups.json")))
        let group = try #require(result.context.targetGroups.first)
        #expect(group.arn == StoryFixtures.targetGroupArn)
        #expect(group.name == "orders-api")
        #expect(group.intervalSeconds == 10)
        #expect(group.timeoutSeconds == 5)
        #expect(group.healthyThreshold == 3)
        #expect(group.unhealthyThreshold == 2)
        #expect(group.path == "/health")
        #expect(group.killAfterSeconds == 20)
        #expect(group.origin == "tg.json#TargetGroups[0]")
    }

    @Test func emptyScalableTargetsStillMeansKnown() {
        let empty = load(("st.json", "{\"ScalableTargets\": []}"))
        #expect(empty.context.knowsScalableTargets)
        #expect(empty.context.scalableTargets.isEmpty)
        #expect(!load(("x.json", StoryFixtures.services())).context.knowsScalableTargets)
    }

    @Test func scalableTargetsAndPoliciesAreParsedFromTheResourceId() throws {
        let result = load(("st.json", StoryFixtures.scalableTargets(min: 2, max: 10)),
                          ("sp.json", StoryFixtures.sample("fixed", "scaling-policies.json")))
        let target = try #require(result.context.scalableTarget(service: "orders-api", cluster: "prod"))
        #expect(target.minCapacity == 2)
        #expect(target.maxCapacity == 10)
        #expect(target.origin == "st.json#ScalableTargets[0]")
        #expect(result.context.scalingPolicies == [ServiceContext.ScalingPolicy(
            cluster: "prod", service: "orders-api", name: "orders-api-cpu-target-tracking",
            type: "TargetTrackingScaling", origin: "sp.json#ScalingPolicies[0]"
        )])
        #expect(result.details.knowsScalingPolicies)
    }

    @Test func describeLogGroupsListsExistingGroups() {
        let result = load(("lg.json", StoryFixtures.sample("broken", "log-groups.json")))
        #expect(result.context.existingLogGroups == ["/aws/ecs/containerinsights/prod/performance", "/ecs/orders-api"])
        #expect(load(("td.json", StoryFixtures.taskDefinition())).context.existingLogGroups == nil)
    }

    // MARK: IAM documents

    @Test func getRolePolicyGrantsActionsAsStringOrArray() throws {
        let result = load(("p.json", StoryFixtures.rolePolicy(role: "r", name: "app", statements: """
            [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::orders-invoices/*"},
             {"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": ["arn:aws:sqs:eu-west-1:123456789012:orders"]}]
            """)))
        let role = try #require(result.context.permissions(ofRole: "r"))
        #expect(role.allowedActions == ["s3:GetObject", "sqs:SendMessage", "sqs:ReceiveMessage"])
        #expect(role.allows("s3:getobject"))
        let detail = try #require(result.details.roles["r"])
        #expect(detail.isComplete)
        #expect(detail.grants[0].resources == ["arn:aws:s3:::orders-invoices/*"])
        #expect(detail.grants[0].policyName == "app")
        #expect(detail.grants[0].origin == "p.json#PolicyDocument.Statement[0].Action")
        #expect(detail.grants[1].origin == "p.json#PolicyDocument.Statement[1].Action")
    }

    @Test func urlEncodedPolicyDocumentIsDecoded() throws {
        let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}]}"#
        let encoded = try #require(document.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let text = "{\"RoleName\": \"r\", \"PolicyName\": \"p\", \"PolicyDocument\": \"\(encoded)\"}"
        let result = load(("p.json", text))
        #expect(result.context.permissions(ofRole: "r")?.allowedActions == ["dynamodb:GetItem"])
        #expect(result.problems.isEmpty)
    }

    @Test func denySubtractsAndNotActionIsReported() throws {
        let result = load(("p.json", StoryFixtures.rolePolicy(role: "r", name: "p", statements: """
            [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "sqs:SendMessage"], "Resource": "*"},
             {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"},
             {"Effect": "Deny", "Action": "sqs:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
             {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]
            """)))
        let role = try #require(result.context.permissions(ofRole: "r"))
        #expect(role.allowedActions == ["s3:GetObject", "sqs:SendMessage"], "unconditional Deny subtracts; conditional does not")
        #expect(result.problems.contains { $0.code == .ignoredContent && $0.message.contains("NotAction") })
        #expect(result.details.roles["r"]?.isComplete == false, "an ignored NotAction Allow may grant more")
    }

    @Test func wellKnownManagedPoliciesGrantTheirActions() throws {
        let result = load(("a.json", StoryFixtures.attachedPolicies(role: "exec", arns: [
            StoryFixtures.executionPolicyArn, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        ])))
        let role = try #require(result.context.permissions(ofRole: "exec"))
        for action in ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                       "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents", "s3:GetObject", "s3:ListBucket"] {
            #expect(role.allows(action), "\(action)")
        }
        #expect(!role.allows("s3:PutObject"))
        #expect(!role.allows("logs:CreateLogGroup"))
        let detail = try #require(result.details.roles["exec"])
        #expect(detail.isComplete)
        #expect(detail.policyNames == ["AmazonECSTaskExecutionRolePolicy", "AmazonS3ReadOnlyAccess"])
        #expect(detail.grants.first?.policyArn == StoryFixtures.executionPolicyArn)
        #expect(detail.grants.first?.origin == "a.json#AttachedPolicies[0]")
    }

    @Test func unknownManagedPolicyAndMissingInlineDocumentAreUnresolved() throws {
        let result = load(
            ("a.json", StoryFixtures.attachedPolicies(role: "task", arns: ["arn:aws:iam::123456789012:policy/orders-custom"])),
            ("n.json", StoryFixtures.policyNames(role: "task", names: ["metrics", "queue"])),
            ("p.json", StoryFixtures.rolePolicy(role: "task", name: "metrics", statements: """
                [{"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*"}]
                """))
        )
        let detail = try #require(result.details.roles["task"])
        #expect(detail.unresolvedPolicies == ["arn:aws:iam::123456789012:policy/orders-custom", "queue"])
        #expect(!detail.isComplete)
        #expect(result.problems.filter { $0.code == .unresolvedPolicy }.count == 2)
        #expect(result.context.permissions(ofRole: "task")?.allowedActions == ["cloudwatch:PutMetricData"])
    }

    @Test func listsWithoutRoleNameAreReported() {
        let result = load(("a.json", "{\"AttachedPolicies\": [], \"IsTruncated\": false}"),
                          ("n.json", "{\"PolicyNames\": [\"x\"], \"IsTruncated\": false}"))
        #expect(result.documents.count == 2)
        #expect(result.problems.map(\.path) == ["a.json", "n.json"])
        #expect(result.problems.allSatisfy { $0.code == .unresolvedPolicy && $0.message.contains("RoleName") } == true)
        #expect(result.context.roles.isEmpty)
    }

    @Test func policyVersionJoinsByRoleNameOrByPolicyArn() throws {
        let document = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::orders-invoices/*"}]}
            """
        let byRole = load(("v.json", "{\"RoleName\": \"task\", \"PolicyVersion\": {\"Document\": \(document), \"VersionId\": \"v1\", \"IsDefaultVersion\": true}}"))
        #expect(byRole.context.permissions(ofRole: "task")?.allowedActions == ["s3:GetObject"])

        let arn = "arn:aws:iam::123456789012:policy/orders-invoices-read"
        let byArn = load(
            ("a.json", StoryFixtures.attachedPolicies(role: "task", arns: [arn])),
            ("v.json", "{\"PolicyArn\": \"\(arn)\", \"PolicyVersion\": {\"Document\": \(document), \"VersionId\": \"v3\", \"IsDefaultVersion\": true}}")
        )
        let detail = try #require(byArn.details.roles["task"])
        #expect(detail.isComplete)
        #expect(detail.grants.map(\.action) == ["s3:GetObject"])
        #expect(detail.grants.first?.policyArn == arn)
        #expect(detail.grants.first?.origin == "v.json#PolicyVersion.Document.Statement[0].Action")
        #expect(byArn.problems.isEmpty)

        let orphan = load(("v.json", "{\"PolicyVersion\": {\"Document\": \(document), \"VersionId\": \"v1\", \"IsDefaultVersion\": true}}"))
        #expect(orphan.problems.first?.code == .unresolvedPolicy)
        #expect(orphan.context.roles.isEmpty)

        let unattached = load(("v.json", "{\"PolicyArn\": \"\(arn)\", \"PolicyVersion\": {\"Document\": \(document), \"VersionId\": \"v1\", \"IsDefaultVersion\": true}}"))
        #expect(unattached.problems.first?.code == .unresolvedPolicy)
    }

    @Test func accountAuthorizationDetailsCarryWholeRoles() throws {
        let text = """
            {"UserDetailList": [], "GroupDetailList": [],
             "RoleDetailList": [{"Path": "/", "RoleName": "orders-task-role", "RoleId": "AROAEXAMPLE",
               "Arn": "arn:aws:iam::123456789012:role/orders-task-role",
               "RolePolicyList": [{"PolicyName": "metrics", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*"}]}}],
               "AttachedManagedPolicies": [{"PolicyName": "orders-invoices-read", "PolicyArn": "arn:aws:iam::123456789012:policy/orders-invoices-read"}]}],
             "Policies": [{"PolicyName": "orders-invoices-read", "Arn": "arn:aws:iam::123456789012:policy/orders-invoices-read", "DefaultVersionId": "v2",
               "PolicyVersionList": [{"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}, "VersionId": "v2", "IsDefaultVersion": true}]},
               {"PolicyName": "unused", "Arn": "arn:aws:iam::123456789012:policy/unused", "DefaultVersionId": "v1", "PolicyVersionList": []}]}
            """
        let result = load(("auth.json", text))
        #expect(result.documents.map(\.kind) == [.authorizationDetails])
        #expect(result.problems.isEmpty)
        let detail = try #require(result.details.roles["orders-task-role"])
        #expect(detail.isComplete)
        #expect(Set(detail.grants.map(\.action)) == ["cloudwatch:PutMetricData", "s3:GetObject"])
    }

    // MARK: Detection and problems

    @Test func detectionIsByContentNotFileName() {
        let result = load(("services.json", StoryFixtures.taskDefinition()), ("notes.txt", StoryFixtures.services()))
        #expect(result.documents.map(\.kind) == [.taskDefinition, .services])
    }

    @Test func unknownDocumentIsReportedAndSkipped() {
        let result = load(("events.json", "{\"events\": [], \"nextForwardToken\": \"f/1\"}"),
                          ("td.json", StoryFixtures.taskDefinition()))
        #expect(result.documents.map(\.path) == ["td.json"])
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.path == "events.json")
        #expect(result.problems.first?.code == .unknownDocument)
        #expect(result.problems.first?.message.contains("events") == true)
    }

    @Test func brokenJSONAndNonObjectsAreReportedWithTheirPath() {
        let result = load(("broken.json", "{\"taskDefinition\": {\"family\": "), ("list.json", "[1, 2]"),
                          ("log.txt", "2024-05-14T18:20:29Z GET /health 200"))
        #expect(result.documents.isEmpty)
        #expect(result.problems.map(\.path) == ["broken.json", "list.json", "log.txt"])
        #expect(result.problems.map(\.code) == [.invalidJSON, .unknownDocument, .invalidJSON])
        #expect(result.context.isEmpty)
    }

    @Test func directoriesAreReadRecursivelyInPathOrder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ctx-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("iam"), withIntermediateDirectories: true)
        try Data(StoryFixtures.services().utf8).write(to: root.appendingPathComponent("b-service"))
        try Data(StoryFixtures.taskDefinition().utf8).write(to: root.appendingPathComponent("a.json"))
        try Data(StoryFixtures.policyNames(role: "r", names: []).utf8).write(to: root.appendingPathComponent("iam/names.json"))
        try Data("not json".utf8).write(to: root.appendingPathComponent("README"))
        try Data("{}".utf8).write(to: root.appendingPathComponent(".hidden.json"))

        let result = ContextDocumentReader.load(paths: [root.path, root.appendingPathComponent("a.json").path])
        #expect(result.documents.map(\.kind) == [.taskDefinition, .services, .rolePolicyNames])
        #expect(result.documents.first?.path == root.path + "/a.json")
        #expect(result.problems.map(\.path) == [root.path + "/README"], "a file given twice is read once; hidden files are skipped")
        #expect(!result.hasUnreadablePath)
    }

    @Test func missingPathIsUnreadable() {
        let result = ContextDocumentReader.load(paths: ["/nonexistent/ecsdiagd/context.json"])
        #expect(result.hasUnreadablePath)
        #expect(result.problems.first?.path == "/nonexistent/ecsdiagd/context.json")
    }

    @Test func theStorySamplesLoadWithoutProblems() {
        for variant in ["broken", "fixed"] {
            let result = ContextDocumentReader.load(paths: [StoryFixtures.directory(variant)])
            #expect(result.problems.isEmpty, "\(variant): \(result.problems)")
            #expect(result.documents.count == 12)
            #expect(result.context.taskDefinitions.count == 1)
            #expect(result.context.services.count == 1)
            #expect(Set(result.context.roles.map(\.roleName)) == [StoryFixtures.executionRole, StoryFixtures.taskRole])
            #expect(result.details.roles.values.allSatisfy { $0.isComplete })
        }
        let broken = ContextDocumentReader.load(paths: [StoryFixtures.directory("broken")])
        #expect(broken.context.permissions(ofRole: StoryFixtures.executionRole)?.allows("s3:GetObject") == true)
        #expect(broken.context.permissions(ofRole: StoryFixtures.taskRole)?.allows("s3:GetObject") == false)
        let fixed = ContextDocumentReader.load(paths: [StoryFixtures.directory("fixed")])
        #expect(fixed.context.permissions(ofRole: StoryFixtures.taskRole)?.allows("s3:GetObject") == true)
        #expect(fixed.context.permissions(ofRole: StoryFixtures.executionRole)?.allows("s3:GetObject") == false)
    }
}
