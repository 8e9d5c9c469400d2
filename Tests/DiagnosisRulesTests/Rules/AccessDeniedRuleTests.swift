import Testing
@testable import DiagnosisRules

@Suite struct AccessDeniedRuleTests {
    // MARK: Firing and boundaries

    @Test func threeDenialsWithinFiveMinutesFireWithFiguresAnd5xx() {
        var s = Scenario()
        s.add(.httpError, at: 9) { $0.status = 500; $0.origin = "app" }
        s.denial(at: 10, task: Scenario.task(1))
        s.add(.httpError, at: 11) { $0.status = 500; $0.origin = "app" }
        s.denial(at: 70, task: Scenario.task(1))
        s.denial(at: 130, task: Scenario.task(2))
        s.add(.httpError, at: 131) { $0.status = 503; $0.origin = "app" }
        let out = s.run()
        let fired = out.firing.of(.accessDenied)
        try? #require(fired.count == 1)
        let a = fired[0]
        #expect(a.cause == .taskRoleMissingPermission)
        #expect(a.severity == .critical)
        #expect(a.service == "orders-api")
        #expect(a.cluster == "prod")
        #expect(a.at == Scenario.at(130))
        #expect(a.firstSeen == Scenario.at(10))
        #expect(a.count == 3)
        #expect(a.summary == "3 AccessDenied on s3:GetObject as role orders-task-role; 2 HTTP 5xx in the same minutes")
        #expect(a.taskIDs == [Scenario.task(1).description, Scenario.task(2).description].sorted())
        #expect(a.evidence.count == 3)
        #expect(a.figures.contains(Figure("action", "s3:GetObject")))
        #expect(a.remediation.contains(
            "aws iam put-role-policy --role-name orders-task-role --policy-name orders-api-s3-GetObject --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::orders-invoices/*\"}]}'"))
        #expect(a.remediation.contains("pulling images, fetching secrets, writing logs"))
    }

    @Test func twoDenialsDoNotFire() {
        var s = Scenario()
        s.denial(at: 0)
        s.denial(at: 60)
        #expect(s.run().of(.accessDenied).isEmpty)
    }

    @Test func threeDenialsExactlyFiveMinutesApartFire() {
        var s = Scenario()
        s.denial(at: 0)
        s.denial(at: 150)
        s.denial(at: 300)
        #expect(s.run().firing.of(.accessDenied).count == 1)
    }

    @Test func threeDenialsSpreadOverFiveMinutesPlusOneMillisecondDoNotFire() {
        var s = Scenario()
        s.denial(at: 0)
        s.denial(at: 150)
        s.denial(at: 300.001)
        #expect(s.run().of(.accessDenied).isEmpty)
    }

    @Test func singleIsolatedDenialEveryHourNeverFires() {
        var s = Scenario()
        for h in 0..<12 {
            s.add(.accessDenied, at: Double(h) * 3600, line: "fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden") {
                $0.action = "s3:HeadObject"
                $0.errorCode = "Forbidden"
            }
        }
        #expect(s.run().of(.accessDenied).isEmpty)
    }

    // MARK: Causes

    @Test func noCredentialsIsNoTaskRole() throws {
        var s = Scenario()
        for i in 0..<3 {
            s.add(.noCredentials, at: Double(i) * 10, line: "NoCredentialProviders: no valid providers in chain") {
                $0.errorCode = "NoCredentialProviders"
            }
        }
        let a = try #require(s.run().firing.of(.accessDenied).first)
        #expect(a.cause == .noTaskRole)
        #expect(a.summary.hasPrefix("3 credential failures (NoCredentialProviders)"))
        #expect(a.remediation.contains("taskRoleArn"))
        #expect(a.remediation.contains("aws iam create-role --role-name orders-api-task-role"))
    }

    @Test func instanceSessionIsInstanceRoleFallback() throws {
        var s = Scenario()
        for i in 0..<3 {
            s.denial(at: Double(i), role: "xtdb-stack-ecs-EC2InstanceRole-cq4KLVh142Ez", session: "i-0221dfee3da46d752")
        }
        let a = try #require(s.run().firing.of(.accessDenied).first)
        #expect(a.cause == .instanceRoleFallback)
        #expect(a.summary.contains("session i-0221dfee3da46d752"))
        #expect(a.remediation.contains("Set taskRoleArn"))
        #expect(a.remediation.contains("EC2 launch type"))
    }

    @Test func shortInstanceIdAlsoCounts() {
        #expect(AWSNames.isInstanceID("i-0a1b2c3d"))
        #expect(AWSNames.isInstanceID("i-0221dfee3da46d752"))
        #expect(!AWSNames.isInstanceID("i-0221dfee3da46d75"))
        #expect(!AWSNames.isInstanceID("2d84243e241b45a5a0b4dbee09e50d97"))
        #expect(!AWSNames.isInstanceID("i-0221dfee3da46d7zz"))
    }

    @Test func executionRoleByNameIsExecutionRoleUsedByApp() throws {
        var s = Scenario()
        for i in 0..<3 { s.denial(at: Double(i), role: "orders-api-executionrole-28VBAJL3T0YT") }
        let a = try #require(s.run().firing.of(.accessDenied).first)
        #expect(a.cause == .executionRoleUsedByApp)
        #expect(a.remediation.contains("Create a separate task role"))
        #expect(a.remediation.contains("taskRoleArn"))
    }

    @Test func configuredExecutionRoleIsExecutionRoleUsedByApp() {
        var s = Scenario()
        for i in 0..<3 { s.denial(at: Double(i), role: "agent-role") }
        let cfg = settings { $0.accessDenied.executionRoles = ["arn:aws:iam::123456789012:role/agent-role"] }
        #expect(s.run(settings: cfg).firing.of(.accessDenied).first?.cause == .executionRoleUsedByApp)
        #expect(s.run().firing.of(.accessDenied).first?.cause == .taskRoleMissingPermission)
    }

    @Test func contextTaskDefinitionUsingExecutionRoleAsTaskRole() {
        var ctx = ServiceContext()
        ctx.taskDefinitions = [.init(
            family: "orders-api", revision: 7, taskRoleArn: "arn:aws:iam::1:role/ecs-agent",
            executionRoleArn: "arn:aws:iam::1:role/ecs-agent", fargate: true)]
        ctx.services = [.init(name: "orders-api", cluster: "prod", taskDefinition: "orders-api:7")]
        var s = Scenario()
        for i in 0..<3 { s.denial(at: Double(i), role: "ecs-agent") }
        #expect(s.run(context: ctx).firing.of(.accessDenied).first?.cause == .executionRoleUsedByApp)
    }

    @Test func agentSideDenialIsExecutionRoleMissingPermission() throws {
        var s = Scenario()
        for i in 0..<3 {
            s.add(.executionRoleDenied, at: Double(i) * 20, task: Scenario.task(i),
                  line: "ResourceInitializationError: unable to pull secrets or registry auth: … AccessDeniedException: User: arn:aws:sts::1:assumed-role/orders-api-ExecutionRole-28VB/f83b is not authorized to perform: ssm:GetParameters") {
                $0.action = "ssm:GetParameters"
                $0.role = "orders-api-ExecutionRole-28VB"
                $0.resource = "arn:aws:ssm:eu-west-1:1:parameter/orders/db"
                $0.failureClass = .executionRoleDenied
            }
        }
        let out = s.run()
        let a = try #require(out.firing.of(.accessDenied).first)
        #expect(a.cause == .executionRoleMissingPermission)
        #expect(a.summary.contains("execution role orders-api-ExecutionRole-28VB is denied ssm:GetParameters"))
        #expect(a.remediation.contains("to the EXECUTION role orders-api-ExecutionRole-28VB"))
        #expect(a.remediation.contains("\"Action\":\"ssm:GetParameters\",\"Resource\":\"arn:aws:ssm:eu-west-1:1:parameter/orders/db\""))
        #expect(out.of(.restartLoop).isEmpty)
    }

    @Test func contextShowsActionGrantedOnExecutionRoleInsteadOfTaskRole() throws {
        var ctx = ServiceContext()
        ctx.taskDefinitions = [.init(
            family: "orders-api", revision: 3, taskRoleArn: "arn:aws:iam::1:role/orders-task-role",
            executionRoleArn: "arn:aws:iam::1:role/orders-api-ExecutionRole-1A2B", fargate: true)]
        ctx.services = [.init(name: "orders-api", cluster: "prod", taskDefinition: "orders-api:3")]
        ctx.roles = [
            .init(roleName: "orders-api-ExecutionRole-1A2B", allowedActions: ["ecr:*", "logs:*", "s3:Get*"]),
            .init(roleName: "orders-task-role", allowedActions: ["sqs:SendMessage"]),
        ]
        var s = Scenario()
        for i in 0..<3 { s.denial(at: Double(i)) }
        let a = try #require(s.run(context: ctx).firing.of(.accessDenied).first)
        #expect(a.cause == .taskRoleMissingPermission)
        #expect(a.summary == "3 AccessDenied on s3:GetObject as role orders-task-role; s3:GetObject is granted on the execution role orders-api-ExecutionRole-1A2B instead of the task role")
        #expect(a.remediation.contains("Then remove s3:GetObject from the execution role orders-api-ExecutionRole-1A2B"))
    }

    @Test func deniedWithoutRoleUsesContextTaskRole() throws {
        var ctx = ServiceContext()
        ctx.taskDefinitions = [.init(family: "orders-api", taskRoleArn: "arn:aws:iam::1:role/orders-task-role",
                                     executionRoleArn: "arn:aws:iam::1:role/ecsTaskExecutionRole")]
        var s = Scenario()
        for i in 0..<3 {
            s.add(.accessDenied, at: Double(i)) { $0.action = "s3:PutObject"; $0.errorCode = "AccessDenied" }
        }
        let a = try #require(s.run(context: ctx).firing.of(.accessDenied).first)
        #expect(a.cause == .taskRoleMissingPermission)
        #expect(a.summary.hasPrefix("3 AccessDenied on s3:PutObject as role orders-task-role"))
    }

    @Test func causesAreCountedSeparately() {
        var s = Scenario()
        s.denial(at: 0)
        s.add(.noCredentials, at: 1) { $0.errorCode = "NoCredentialProviders" }
        s.denial(at: 2, role: "orders-ExecutionRole")
        #expect(s.run().of(.accessDenied).isEmpty)
    }

    // MARK: Lifecycle

    @Test func manyDenialsFireOnceAndResolveAfterClearWindow() {
        var s = Scenario()
        for i in 0..<100 { s.denial(at: Double(i) * 6) }
        s.add(.steadyState, at: 3000)
        let out = s.run()
        let ad = out.of(.accessDenied)
        #expect(ad.map(\.status) == [.firing, .resolved])
        let resolved = ad[1]
        #expect(resolved.at == Scenario.at(594 + 600))
        #expect(resolved.count == 100)
        #expect(resolved.evidence.count == 5)
        #expect(resolved.evidence[0].time == Scenario.at(0))
        #expect(resolved.evidence[4].time == Scenario.at(594))
        #expect(resolved.summary.hasPrefix("No denial for 10 min after 100 AccessDenied"))
    }

    @Test func refiresOnlyAfterANewThresholdCrossing() {
        var s = Scenario()
        for i in 0..<3 { s.denial(at: Double(i)) }
        // Resolved at 602; isolated denials do not reopen it, a new burst does.
        s.denial(at: 1000)
        s.denial(at: 2000)
        for i in 0..<3 { s.denial(at: 3000 + Double(i)) }
        s.add(.steadyState, at: 5000)
        let ad = s.run().of(.accessDenied)
        #expect(ad.map(\.status) == [.firing, .resolved, .firing, .resolved])
        #expect(ad[2].at == Scenario.at(3002))
    }

    @Test func noFlappingAroundTheThreshold() {
        // Bursts of 3 every 8 minutes: the clear window (10 min) never passes, so one alert stays open.
        var s = Scenario()
        for b in 0..<6 { for i in 0..<3 { s.denial(at: Double(b) * 480 + Double(i)) } }
        s.add(.steadyState, at: 6 * 480 + 1200)
        let ad = s.run().of(.accessDenied)
        #expect(ad.map(\.status) == [.firing, .resolved])
        #expect(ad[1].count == 18)
    }

    @Test func outOfOrderWithinLatenessGivesIdenticalOutput() {
        var s = Scenario()
        for i in 0..<40 {
            s.denial(at: Double(i) * 7, task: Scenario.task(i % 3))
            s.add(.httpError, at: Double(i) * 7 + 0.5) { $0.status = 500; $0.origin = "app" }
        }
        for i in 0..<3 { s.add(.noCredentials, at: 100 + Double(i)) { $0.errorCode = "NoCredentialProviders" } }
        s.add(.steadyState, at: 2000)
        expectOrderIndependent(s)
    }

    // MARK: Direct state machine

    @Test func ruleIsAValueTypeStateMachine() {
        var rule = AccessDeniedRule()
        let env = RuleEnvironment()
        var sc = Scenario()
        var actions: [RuleAction] = []
        for i in 0..<3 { actions += rule.on(RuleInput(sc.make(.accessDenied, at: Double(i)) { $0.role = "r" }), env: env) }
        #expect(actions.count == 1)
        guard case .fire(let u) = actions[0] else { Issue.record("expected fire"); return }
        #expect(u.key == AlertKey(.taskRoleMissingPermission, ServiceKey(cluster: "prod", service: "orders-api")))
        let copy = rule
        #expect(rule.nextDue == Scenario.at(2).milliseconds + 600_000)
        let cleared = rule.advance(to: Scenario.at(602).milliseconds, env: env)
        #expect(cleared.count == 1)
        #expect(copy.nextDue == Scenario.at(602).milliseconds)
    }
}
