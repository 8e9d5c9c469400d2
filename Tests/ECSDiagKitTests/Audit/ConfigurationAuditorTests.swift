import DiagnosisRules
import ECSDiagKit
import Foundation
import Testing

@Suite("ConfigurationAuditor")
struct ConfigurationAuditorTests {
    private typealias F = StoryFixtures

    // MARK: The story

    @Test func brokenStoryGivesTheFourFootguns() throws {
        let findings = F.audit("broken")
        #expect(findings.checks == [.appPermissionsOnExecutionRole, .gracePeriodZero, .noScalableTarget, .noLogConfiguration])
        #expect(findings.map(\.severity) == [.critical, .critical, .error, .error])
        #expect(findings.map(\.rule) == [.accessDenied, .restartLoop, .saturation, .missingLogs])
        #expect(findings.allSatisfy { $0.service == "orders-api" } == true)
    }

    @Test func fixedStoryIsClean() {
        #expect(F.audit("fixed") == [])
    }

    @Test func auditIsDeterministic() {
        let load = F.load("broken")
        let auditor = ConfigurationAuditor(details: load.details)
        #expect(auditor.audit(load.context) == auditor.audit(load.context))
        var shuffled = load.context
        shuffled.roles.reverse()
        #expect(auditor.audit(shuffled) == auditor.audit(load.context))
    }

    // MARK: Footgun 1: roles

    @Test func appPermissionsOnExecutionRoleNamesRolesEvidenceAndExactFix() throws {
        let finding = try #require(F.audit("broken").first(.appPermissionsOnExecutionRole))
        #expect(finding.severity == .critical)
        #expect(finding.title.contains("s3:GetObject"))
        #expect(finding.title.contains(F.executionRole))
        #expect(finding.title.contains(F.taskRole))
        #expect(finding.evidence.document == "broken/iam-execution-role-inline-policy.json")
        #expect(finding.evidence.path == "PolicyDocument.Statement[0].Action")
        #expect(finding.fix.contains("""
            aws iam put-role-policy --role-name orders-task-role --policy-name orders-invoices-read --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::orders-invoices/*"]}]}'
            """))
        #expect(finding.fix.contains("aws iam delete-role-policy --role-name orders-api-ExecutionRole-1A2B3C4D5E6F --policy-name orders-invoices-read"))
        #expect(finding.check.cause == .executionRoleUsedByApp)
    }

    @Test func appPermissionsIsAnErrorWhenTheTaskRoleIsUnknown() throws {
        let findings = F.audit("broken", replacing: [
            "iam-task-role-inline-policy.json": nil, "iam-task-role-policy-names.json": nil,
            "iam-task-role-attached-policies.json": nil,
        ])
        let finding = try #require(findings.first(.appPermissionsOnExecutionRole))
        #expect(finding.severity == .error)
        #expect(finding.detail.contains("not known"))
    }

    @Test func appPermissionsIsAnErrorWhenTheTaskRoleIsIncomplete() throws {
        let findings = F.audit("broken", replacing: [
            "iam-task-role-attached-policies.json": F.attachedPolicies(role: F.taskRole, arns: ["arn:aws:iam::123456789012:policy/orders-extra"]),
        ])
        #expect(findings.first(.appPermissionsOnExecutionRole)?.severity == .error)
    }

    @Test func appPermissionsIsCleanWhenTheTaskRoleAlsoGrantsThem() {
        let findings = F.audit("broken", replacing: [
            "iam-task-role-attached-policies.json": F.attachedPolicies(role: F.taskRole, arns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]),
        ])
        #expect(findings.first(.appPermissionsOnExecutionRole) == nil)
    }

    @Test func managedPolicyOnExecutionRoleIsMovedByAttachAndDetach() throws {
        let s3FullAccess = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
        let findings = F.audit("fixed", replacing: [
            "iam-execution-role-attached-policies.json": F.attachedPolicies(role: F.executionRole, arns: [F.executionPolicyArn, s3FullAccess]),
            "iam-task-role-attached-policies.json": F.attachedPolicies(role: F.taskRole, arns: []),
            "iam-policy-orders-invoices-read.json": nil,
        ])
        let finding = try #require(findings.first(.appPermissionsOnExecutionRole))
        #expect(finding.severity == .critical)
        #expect(finding.title.contains("s3:*"))
        #expect(finding.evidence == AuditFinding.Evidence(document: "fixed/iam-execution-role-attached-policies.json", path: "AttachedPolicies[1]"))
        #expect(finding.fix.contains("aws iam attach-role-policy --role-name orders-task-role --policy-arn \(s3FullAccess)"))
        #expect(finding.fix.contains("aws iam detach-role-policy --role-name \(F.executionRole) --policy-arn \(s3FullAccess)"))
    }

    @Test func adminOnTheExecutionRoleIsNeverMovedToTheTaskRole() throws {
        let admin = "arn:aws:iam::aws:policy/AdministratorAccess"
        let findings = F.audit("fixed", replacing: [
            "iam-execution-role-attached-policies.json": F.attachedPolicies(role: F.executionRole, arns: [F.executionPolicyArn, admin]),
        ])
        let finding = try #require(findings.first(.appPermissionsOnExecutionRole))
        #expect(finding.title.hasPrefix("* granted to the execution role"))
        #expect(!finding.fix.contains("attach-role-policy --role-name orders-task-role"))
        #expect(finding.fix.contains("grant orders-task-role only the actions the app calls"))
        #expect(finding.fix.contains("aws iam detach-role-policy --role-name \(F.executionRole) --policy-arn \(admin)"))
    }

    @Test func mixedInlinePolicyKeepsTheAgentStatements() throws {
        let findings = F.audit("fixed", replacing: [
            "iam-execution-role-policy-names.json": F.policyNames(role: F.executionRole, names: ["runtime"]),
            "iam-execution-role-inline-policy.json": F.rolePolicy(role: F.executionRole, name: "runtime", statements: """
                [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"},
                 {"Effect": "Allow", "Action": "ssm:GetParameters", "Resource": "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/*"}]
                """),
        ])
        let finding = try #require(findings.first(.appPermissionsOnExecutionRole))
        #expect(finding.title.contains("dynamodb:GetItem, dynamodb:PutItem"))
        #expect(!finding.title.contains("ssm:"), "ssm is the agent's (secrets)")
        #expect(finding.fix.contains("""
            aws iam put-role-policy --role-name \(F.executionRole) --policy-name runtime --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameters"],"Resource":["arn:aws:ssm:eu-west-1:123456789012:parameter/prod/*"]}]}'
            """))
        #expect(!finding.fix.contains("delete-role-policy"))
    }

    @Test func noTaskRoleWithAppPermissionsOnExecutionRoleIsCritical() throws {
        let findings = F.audit("broken", replacing: ["task-definition.json": F.taskDefinition(revision: 9, taskRoleArn: nil)])
        let finding = try #require(findings.first(.noTaskRole))
        #expect(finding.severity == .critical)
        #expect(finding.evidence == AuditFinding.Evidence(document: "broken/task-definition.json", path: "taskDefinition.taskRoleArn"))
        #expect(finding.fix.contains("aws iam create-role --role-name orders-api-task-role"))
        #expect(finding.fix.contains("\"taskRoleArn\": \"arn:aws:iam::123456789012:role/orders-api-task-role\""))
        #expect(finding.fix.contains("aws ecs update-service --cluster prod --service orders-api --task-definition orders-api"))
        #expect(findings.first(.appPermissionsOnExecutionRole) == nil, "one finding for one mistake")
    }

    @Test func noTaskRoleAloneIsAWarning() throws {
        let findings = F.audit("fixed", replacing: ["task-definition.json": F.taskDefinition(taskRoleArn: nil)])
        #expect(findings.checks == [.noTaskRole])
        #expect(findings.first?.severity == .warning)
    }

    @Test func taskRoleEqualToExecutionRoleIsAWarning() throws {
        let findings = F.audit("fixed", replacing: ["task-definition.json": F.taskDefinition(taskRoleArn: F.executionRoleArn)])
        #expect(findings.checks == [.taskRoleIsExecutionRole])
        let finding = try #require(findings.first)
        #expect(finding.severity == .warning)
        #expect(finding.title.contains(F.executionRole))
        #expect(finding.evidence.path == "taskDefinition.taskRoleArn")
    }

    @Test func executionRoleMissingSecretsAccessFiresAndClears() throws {
        let secrets = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/orders-db-AbCdEf:password::",
                       "/prod/orders/api-key"]
        let td = F.taskDefinition(containers: [F.container(secrets: secrets)])
        let findings = F.audit("fixed", replacing: ["task-definition.json": td])
        #expect(findings.checks == [.executionRoleMissingSecretsAccess])
        let finding = try #require(findings.first)
        #expect(finding.severity == .error)
        #expect(finding.evidence.path == "taskDefinition.containerDefinitions[0].secrets")
        #expect(finding.fix.contains(#"{"Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":["arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/orders-db-AbCdEf"]}"#))
        #expect(finding.fix.contains(#"{"Effect":"Allow","Action":["ssm:GetParameters"],"Resource":["arn:aws:ssm:eu-west-1:123456789012:parameter/prod/orders/api-key"]}"#))
        #expect(finding.fix.hasPrefix("aws iam put-role-policy --role-name \(F.executionRole) --policy-name orders-api-secrets"))

        let granted = F.audit("fixed", replacing: [
            "task-definition.json": td,
            "iam-execution-role-policy-names.json": F.policyNames(role: F.executionRole, names: ["secrets"]),
            "iam-execution-role-inline-policy.json": F.rolePolicy(role: F.executionRole, name: "secrets", statements: """
                [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "ssm:GetParameters"], "Resource": "*"}]
                """),
        ])
        #expect(granted == [])
    }

    @Test func executionRoleChecksWaitForCompleteKnowledge() {
        let td = F.taskDefinition(containers: [F.container(secrets: ["/prod/orders/api-key"])])
        let unknownPolicy = F.audit("fixed", replacing: [
            "task-definition.json": td,
            "iam-execution-role-policy-names.json": F.policyNames(role: F.executionRole, names: ["not-given"]),
        ])
        #expect(unknownPolicy == [])
        let noDocuments = F.audit("fixed", replacing: [
            "task-definition.json": td, "iam-execution-role-policy-names.json": nil, "iam-execution-role-attached-policies.json": nil,
        ])
        #expect(noDocuments == [])
    }

    @Test func executionRoleMissingECRPullFiresAndIsCleanForPublicImages() throws {
        let onlyLogs = F.rolePolicy(role: F.executionRole, name: "logs", statements: """
            [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]
            """)
        let replacing: [String: String?] = [
            "iam-execution-role-attached-policies.json": F.attachedPolicies(role: F.executionRole, arns: []),
            "iam-execution-role-policy-names.json": F.policyNames(role: F.executionRole, names: ["logs"]),
            "iam-execution-role-inline-policy.json": onlyLogs,
        ]
        let findings = F.audit("fixed", replacing: replacing)
        #expect(findings.checks == [.executionRoleMissingECRPull])
        let finding = try #require(findings.first)
        #expect(finding.evidence.path == "taskDefinition.containerDefinitions[0].image")
        #expect(finding.fix == "aws iam attach-role-policy --role-name \(F.executionRole) --policy-arn \(F.executionPolicyArn)")

        var publicImage = replacing
        publicImage["task-definition.json"] = F.taskDefinition(containers: [F.container(image: "public.ecr.aws/nginx/nginx:1.25")])
        #expect(F.audit("fixed", replacing: publicImage) == [])
    }

    // MARK: Footgun 2: grace period

    @Test func gracePeriodZeroShowsTheKillTimeAndTheGraceToSet() throws {
        let finding = try #require(F.audit("broken").first(.gracePeriodZero))
        #expect(finding.severity == .critical)
        #expect(finding.evidence == AuditFinding.Evidence(document: "broken/services.json", path: "services[0].healthCheckGracePeriodSeconds"))
        #expect(finding.detail.contains("every 10 s"))
        #expect(finding.detail.contains("after 2 failures"))
        #expect(finding.detail.contains("= 20 s"))
        #expect(finding.detail.contains("30 s to start"))
        #expect(finding.fix == "aws ecs update-service --cluster prod --service orders-api --health-check-grace-period-seconds 60")
    }

    @Test func absentGracePeriodBehindALoadBalancerIsZero() {
        let findings = F.audit("fixed", replacing: ["services.json": F.services(grace: nil)])
        #expect(findings.checks == [.gracePeriodZero])
    }

    @Test func gracePeriodIsNotJudgedWithoutALoadBalancer() {
        let findings = F.audit("fixed", replacing: ["services.json": F.services(grace: 0, loadBalancer: false)])
        #expect(findings == [])
    }

    @Test func gracePeriodShorterThanStartupPlusHealthyChecks() throws {
        let findings = F.audit("fixed", replacing: ["services.json": F.services(grace: 45)])
        #expect(findings.checks == [.gracePeriodShorterThanStartup])
        let finding = try #require(findings.first)
        #expect(finding.severity == .critical)
        #expect(finding.title.contains("45 s"))
        #expect(finding.title.contains("60 s"))
        #expect(finding.fix.hasSuffix("--health-check-grace-period-seconds 60"))
    }

    @Test func anAppUpBeforeTheKillTimeNeedsOnePassingCheck() throws {
        // startPeriod 10 s < interval 10 s × unhealthy threshold 2: never marked unhealthy, one check to turn healthy.
        let td = F.taskDefinition(containers: [F.container(startPeriod: 10)])
        let findings = F.audit("fixed", replacing: ["task-definition.json": td, "services.json": F.services(grace: 15)])
        let finding = try #require(findings.first(.gracePeriodShorterThanStartup))
        #expect(finding.detail.contains("plus 1 passing check × 10 s to turn healthy = 20 s"))
        #expect(finding.fix.hasSuffix("--health-check-grace-period-seconds 20"))
        #expect(F.audit("fixed", replacing: ["task-definition.json": td, "services.json": F.services(grace: 20)]) == [])
    }

    @Test func observedStartupLengthensTheNeed() throws {
        let findings = F.audit("fixed", observedStartupSeconds: ["orders-api": 84])
        let finding = try #require(findings.first(.gracePeriodShorterThanStartup))
        #expect(finding.detail.contains("observed startup time"))
        #expect(finding.fix.hasSuffix("--health-check-grace-period-seconds 120"), "84 + 3 × 10 = 114 → 120")
        #expect(F.audit("fixed", observedStartupSeconds: ["orders-api": 25]) == [])
    }

    // MARK: Footgun 3: task count

    @Test func noScalableTargetOnlyWhenScalableTargetsWereDescribed() throws {
        let finding = try #require(F.audit("broken").first(.noScalableTarget))
        #expect(finding.title.contains("fixed at 2"))
        #expect(finding.fix.contains("--resource-id service/prod/orders-api --min-capacity 2 --max-capacity 10"))
        #expect(finding.fix.contains("--policy-type TargetTrackingScaling"))
        #expect(F.audit("broken", replacing: ["scalable-targets.json": nil]).first(.noScalableTarget) == nil)
    }

    @Test func noScalingPolicyFiresOnlyWhenPoliciesWereDescribed() throws {
        let findings = F.audit("fixed", replacing: ["scaling-policies.json": "{\"ScalingPolicies\": []}"])
        #expect(findings.checks == [.noScalingPolicy])
        #expect(findings.first?.evidence == AuditFinding.Evidence(document: "fixed/scalable-targets.json", path: "ScalableTargets[0]"))
        #expect(findings.first?.fix.contains("put-scaling-policy") == true)
        #expect(F.audit("fixed", replacing: ["scaling-policies.json": nil]) == [])
    }

    @Test func maxCapacityEqualToDesiredCount() throws {
        let findings = F.audit("fixed", replacing: ["scalable-targets.json": F.scalableTargets(min: 2, max: 2)])
        #expect(findings.checks == [.maxCapacityEqualsDesired])
        let finding = try #require(findings.first)
        #expect(finding.severity == .error)
        #expect(finding.evidence.path == "ScalableTargets[0].MaxCapacity")
        #expect(finding.fix.hasSuffix("--min-capacity 2 --max-capacity 10"))
    }

    // MARK: Footgun 4: logging

    @Test func noLogConfigurationGivesTheSnippet() throws {
        let finding = try #require(F.audit("broken").first(.noLogConfiguration))
        #expect(finding.evidence == AuditFinding.Evidence(document: "broken/task-definition.json",
                                                          path: "taskDefinition.containerDefinitions[0].logConfiguration"))
        #expect(finding.fix.contains("\"awslogs-group\": \"/ecs/orders-api\""))
        #expect(finding.fix.contains("\"awslogs-region\": \"eu-west-1\""))
        #expect(finding.fix.contains("\"awslogs-stream-prefix\": \"ecs\""))
        #expect(!finding.fix.contains("create-log-group"), "the group exists")
    }

    @Test func nonEssentialContainerWithoutLogsIsAWarning() {
        let td = F.taskDefinition(containers: [
            F.container(),
            F.container(name: "xray", image: "public.ecr.aws/xray/aws-xray-daemon:3.3.7", essential: false, logConfiguration: nil, startPeriod: nil),
        ])
        let findings = F.audit("fixed", replacing: ["task-definition.json": td])
        #expect(findings.checks == [.noLogConfiguration])
        #expect(findings.first?.severity == .warning)
        #expect(findings.first?.evidence.path == "taskDefinition.containerDefinitions[1].logConfiguration")
    }

    @Test func awslogsWithoutStreamPrefixOnFargate() throws {
        let log = #"{"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/orders-api", "awslogs-region": "eu-west-1"}}"#
        let findings = F.audit("fixed", replacing: ["task-definition.json": F.taskDefinition(containers: [F.container(logConfiguration: log)])])
        #expect(findings.checks == [.awslogsMissingOption])
        let finding = try #require(findings.first)
        #expect(finding.title.contains("awslogs-stream-prefix"))
        #expect(finding.evidence.path == "taskDefinition.containerDefinitions[0].logConfiguration.options")

        let onEC2 = F.audit("fixed", replacing: [
            "task-definition.json": F.taskDefinition(containers: [F.container(logConfiguration: log)], fargate: false),
            "services.json": F.services(launchType: "EC2"),
        ])
        #expect(onEC2 == [], "the prefix is optional on EC2")
    }

    @Test func awslogsWithoutGroupAndRegion() throws {
        let log = #"{"logDriver": "awslogs", "options": {"awslogs-stream-prefix": "ecs"}}"#
        let finding = try #require(F.audit("fixed", replacing: ["task-definition.json": F.taskDefinition(containers: [F.container(logConfiguration: log)])]).first)
        #expect(finding.check == .awslogsMissingOption)
        #expect(finding.title.hasSuffix("without awslogs-group, awslogs-region"))
        #expect(finding.fix.contains("\"awslogs-region\": \"eu-west-1\""), "region from the service ARNs")
    }

    @Test func logGroupThatDoesNotExist() throws {
        let log = #"{"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/orders-api-v2", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "ecs"}}"#
        let td = F.taskDefinition(containers: [F.container(logConfiguration: log)])
        let findings = F.audit("fixed", replacing: ["task-definition.json": td])
        #expect(findings.checks == [.logGroupDoesNotExist])
        let finding = try #require(findings.first)
        #expect(finding.evidence.path == "taskDefinition.containerDefinitions[0].logConfiguration.options.awslogs-group")
        #expect(finding.fix == "aws logs create-log-group --log-group-name /ecs/orders-api-v2 --region eu-west-1")
        #expect(F.audit("fixed", replacing: ["task-definition.json": td, "log-groups.json": nil]) == [], "unknown without describe-log-groups")
    }

    @Test func createGroupNeedsCreateLogGroupOnTheExecutionRole() throws {
        let log = #"{"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/orders-api-v2", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true"}}"#
        let td = F.taskDefinition(containers: [F.container(logConfiguration: log)])
        let findings = F.audit("fixed", replacing: ["task-definition.json": td])
        #expect(findings.checks == [.executionRoleMissingCreateLogGroup], "a group it creates need not exist")
        let finding = try #require(findings.first)
        #expect(finding.evidence.path == "taskDefinition.containerDefinitions[0].logConfiguration.options.awslogs-create-group")
        #expect(finding.fix.contains(#""Action":["logs:CreateLogGroup"],"Resource":["arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/orders-api-v2","arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/orders-api-v2:*"]"#))

        let granted = F.audit("fixed", replacing: [
            "task-definition.json": td,
            "iam-execution-role-policy-names.json": F.policyNames(role: F.executionRole, names: ["create-group"]),
            "iam-execution-role-inline-policy.json": F.rolePolicy(role: F.executionRole, name: "create-group", statements: """
                [{"Effect": "Allow", "Action": "logs:CreateLogGroup", "Resource": "*"}]
                """),
        ])
        #expect(granted == [])
    }

    @Test func executionRoleMissingLogStreamAccess() throws {
        let ecrOnly = F.rolePolicy(role: F.executionRole, name: "pull", statements: """
            [{"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], "Resource": "*"}]
            """)
        let findings = F.audit("fixed", replacing: [
            "iam-execution-role-attached-policies.json": F.attachedPolicies(role: F.executionRole, arns: []),
            "iam-execution-role-policy-names.json": F.policyNames(role: F.executionRole, names: ["pull"]),
            "iam-execution-role-inline-policy.json": ecrOnly,
        ])
        #expect(findings.checks == [.executionRoleMissingLogStreamAccess])
        #expect(findings.first?.title.contains("logs:CreateLogStream, logs:PutLogEvents") == true)
    }

    // MARK: Pure context

    @Test func aHandBuiltContextIsAuditedWithoutDetails() {
        var context = ServiceContext()
        context.taskDefinitions = [ServiceContext.TaskDefinition(
            family: "web", revision: 3, taskRoleArn: "arn:aws:iam::111122223333:role/web-task",
            executionRoleArn: "arn:aws:iam::111122223333:role/web-exec",
            containers: [ServiceContext.Container(name: "web", logDriver: "awslogs",
                                                  logOptions: ["awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"])],
            origin: "td.json#taskDefinition"
        )]
        context.roles = [
            ServiceContext.RolePermissions(roleName: "web-exec", allowedActions: ["sqs:SendMessage", "logs:CreateLogStream", "logs:PutLogEvents"],
                                           origin: "exec.json#PolicyDocument.Statement[0].Action"),
            ServiceContext.RolePermissions(roleName: "web-task", allowedActions: [], origin: "task.json#PolicyDocument"),
        ]
        let findings = ConfigurationAuditor.audit(context)
        #expect(findings.checks == [.appPermissionsOnExecutionRole])
        #expect(findings.first?.evidence == AuditFinding.Evidence(document: "exec.json", path: "PolicyDocument.Statement[0].Action"))
        #expect(findings.first?.service == nil)
    }
}
