import Testing
@testable import DiagnosisRules

/// The anti-primer story (`shared/story/anti-primer-ecs.md`) as signals: orders-api on Fargate behind an ALB.
///
/// - Hour 0: S3 permission on the execution role; the task role is denied s3:GetObject; the API returns 500s.
/// - Hour 1: a deployment with grace period 0; the app needs 34.8 s; ALB kills tasks after ~26 s, in a loop.
/// - Hour 2: desired count fixed at 2; a promotion saturates both tasks (CPU 97 %, p90 29.8 s).
/// - Hour 3: a revision without logConfiguration; its tasks run and write nothing.
enum AntiPrimerStory {
    static let tg = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-api/555a47e25c5a1850"

    /// When each rule's condition is first met (seconds from the scenario base).
    static let conditionMet: [RuleID: Double] = [
        .accessDenied: 640, .restartLoop: 3600 + 280, .saturation: 7200 + 300, .missingLogs: 10800 + 300,
    ]

    static func build(logEvery: Double = 10, requestsPerMinute: Int = 20) -> Scenario {
        var s = Scenario()
        let t1 = Scenario.task(1), t2 = Scenario.task(2), t3 = Scenario.task(3), t4 = Scenario.task(4)
        let t5 = Scenario.task(5), t6 = Scenario.task(6)

        func running(_ t: TaskID, at time: Double) {
            s.add(.taskRunning, at: time, task: t, line: "ECS Task State Change RUNNING \(t)") {
                $0.group = "service:orders-api"
                $0.startedAt = Scenario.at(time)
            }
        }
        func logs(_ t: TaskID, from a: Double, to b: Double) {
            s.items.append(.stream(t, "/ecs/orders-api", "orders/app/\(t)", Scenario.at(a)))
            for x in stride(from: a, through: b, by: logEvery) { s.log(at: x, task: t) }
        }
        func cpu(_ t: TaskID, from a: Double, to b: Double, percent: (Double) -> Double) {
            for x in stride(from: a, through: b, by: 60) {
                s.add(.resourceUsage, at: x, task: t, line: "{\"Type\":\"Task\",\"TaskId\":\"\(t)\",\"ServiceName\":\"orders-api\"}") {
                    $0.cpuPercent = percent(x)
                    $0.memoryPercent = 45
                }
            }
        }
        func denials(_ t: TaskID, from a: Double, to b: Double, every: Double) {
            for x in stride(from: a, through: b, by: every) {
                s.add(.accessDenied, at: x, task: t, service: .some(nil), logGroup: "/ecs/orders-api", logStream: "orders/app/\(t)",
                      line: "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/orders-task-role/\(t) is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::orders-invoices/2026/inv.pdf") {
                    $0.action = "s3:GetObject"
                    $0.role = "orders-task-role"
                    $0.session = t.description
                    $0.principal = "arn:aws:sts::123456789012:assumed-role/orders-task-role/\(t)"
                    $0.errorCode = "AccessDenied"
                    $0.resource = "arn:aws:s3:::orders-invoices/2026/inv.pdf"
                }
                s.add(.httpError, at: x + 0.2, task: t, service: .some(nil), logGroup: "/ecs/orders-api", logStream: "orders/app/\(t)",
                      line: "\"GET /orders/42/invoice HTTP/1.1\" 500") {
                    $0.status = 500
                    $0.origin = "app"
                }
            }
        }

        // Hour 0: two tasks; the S3 calls fail from 600 s.
        s.add(.serviceCounts, at: -300) { $0.desiredCount = 2; $0.runningCount = 2 }
        running(t1, at: -300)
        running(t2, at: -299)
        logs(t1, from: -298, to: 4700)
        logs(t2, from: -297, to: 4700)
        cpu(t1, from: -240, to: 4700) { _ in 30 }
        cpu(t2, from: -239, to: 4700) { _ in 28 }
        denials(t1, from: 600, to: 4700, every: 40)
        denials(t2, from: 620, to: 4700, every: 40)

        // Hour 1: the new revision's tasks are killed by ELB health checks before they are ready.
        for i in 0..<7 {
            let t0 = 3600 + Double(i) * 120
            let task = Scenario.task(100 + i)
            s.add(.taskStarted, at: t0 - 5, task: task, line: "(service orders-api) has started 1 tasks: (task \(task)).")
            running(task, at: t0)
            logs(task, from: t0 + 1, to: t0 + 38)
            s.add(.healthCheckFailed, at: t0 + 26, task: task,
                  line: "(service orders-api) (task \(task)) (port 8080) is unhealthy in (target-group \(tg)) due to (reason Request timed out).") {
                $0.targetGroup = tg
            }
            s.add(.appReady, at: t0 + 34.8, task: task, service: .some(nil), logGroup: "/ecs/orders-api",
                  logStream: "orders/app/\(task)", line: "Started OrdersApplication in 34.8 seconds (process running for 36.1)") {
                $0.startupSeconds = 34.8
            }
            s.add(.taskStopped, at: t0 + 40, task: task, line: "Task failed ELB health checks in (target-group \(tg))") {
                $0.failureClass = .elbHealthCheck
                $0.reason = "Task failed ELB health checks in (target-group \(tg))"
                $0.group = "service:orders-api"
                $0.startedAt = Scenario.at(t0)
                $0.stoppedAt = Scenario.at(t0 + 40)
            }
        }
        // Grace period set: t3, t4 come up; t1, t2 are replaced by the deployment.
        running(t3, at: 4560)
        running(t4, at: 4562)
        logs(t3, from: 4561, to: 10830)
        logs(t4, from: 4563, to: 10830)
        for t in [t1, t2] {
            s.add(.taskStopped, at: 4700, task: t) {
                $0.failureClass = .benign
                $0.reason = "Scaling activity initiated by (deployment ecs-svc/5888882704497679006)"
            }
        }
        s.add(.steadyState, at: 4800, line: "(service orders-api) has reached a steady state.")
        denials(t3, from: 4600, to: 10830, every: 60)

        // Hour 2: the promotion. Desired count stays 2.
        for x in stride(from: 7000.0, through: 10800, by: 300) {
            s.add(.serviceCounts, at: x) { $0.desiredCount = 2; $0.runningCount = 2 }
        }
        let spike = 7200.0 ..< 7920.0
        cpu(t3, from: 4620, to: 10830) { spike.contains($0) ? 97 : 35 }
        cpu(t4, from: 4622, to: 10830) { spike.contains($0) ? 96 : 33 }
        for m in stride(from: 7000.0, to: 8400, by: 60) {
            for r in 0..<requestsPerMinute {
                let t = m + Double(r) * 60 / Double(requestsPerMinute)
                let slow = spike.contains(t) && r % 2 == 0
                s.request(at: t, targetGroup: tg, slow: slow)
                if slow {
                    s.add(.slowRequest, at: t + 0.05, service: .some(nil), line: "https … 29.800 … \"GET /checkout\"") {
                        $0.seconds = 29.8
                        $0.origin = "alb"
                        $0.targetGroup = tg
                    }
                }
            }
        }

        // Hour 3: a revision without logConfiguration.
        s.add(.taskStarted, at: 10790, task: t5, line: "(service orders-api) has started 2 tasks: (task \(t5)) (task \(t6)).") {
            $0.otherTasks = [t6]
            $0.taskCount = 2
        }
        running(t5, at: 10800)
        running(t6, at: 10801)
        for t in [t3, t4] {
            s.add(.taskStopped, at: 10830, task: t) {
                $0.failureClass = .benign
                $0.reason = "Scaling activity initiated by (deployment ecs-svc/7702460895490032237)"
            }
        }
        cpu(t5, from: 10860, to: 11700) { _ in 20 }
        cpu(t6, from: 10861, to: 11700) { _ in 21 }
        return s
    }

    static var context: ServiceContext {
        var ctx = ServiceContext()
        ctx.taskDefinitions = [.init(
            family: "orders-api", revision: 9, taskRoleArn: "arn:aws:iam::123456789012:role/orders-task-role",
            executionRoleArn: "arn:aws:iam::123456789012:role/orders-api-ExecutionRole-1A2B3C", fargate: true,
            containers: [.init(name: "app")])]
        ctx.services = [.init(name: "orders-api", cluster: "prod", desiredCount: 2, healthCheckGracePeriodSeconds: 0,
                              targetGroupArns: [tg], taskDefinition: "orders-api:9", launchType: "FARGATE")]
        ctx.targetGroups = [.init(arn: tg, name: "orders-api", intervalSeconds: 10, unhealthyThreshold: 2, path: "/health")]
        ctx.roles = [
            .init(roleName: "orders-api-ExecutionRole-1A2B3C", allowedActions: ["ecr:*", "logs:*", "s3:GetObject"]),
            .init(roleName: "orders-task-role", allowedActions: ["sqs:SendMessage"]),
        ]
        ctx.knowsScalableTargets = true
        return ctx
    }
}

@Suite struct AntiPrimerStoryTests {
    @Test func theStoryGivesFourAlertsInStoryOrderWithTheirCausesWithinAMinute() {
        let out = AntiPrimerStory.build().run()
        let fired = out.firing
        #expect(fired.map(\.rule) == [.accessDenied, .restartLoop, .saturation, .missingLogs])
        #expect(fired.map(\.cause) == [.taskRoleMissingPermission, .healthCheckGracePeriod, .fixedDesiredCount, .noLogOutput])
        for a in fired {
            let met = Scenario.at(AntiPrimerStory.conditionMet[a.rule]!)
            #expect(a.at >= met, "\(a.rule) fired before its condition")
            #expect(met.seconds(until: a.at) <= 60, "\(a.rule) fired \(met.seconds(until: a.at)) s late")
            #expect(a.service == "orders-api")
            #expect(a.cluster == "prod")
        }
        #expect(fired[0].summary == "3 AccessDenied on s3:GetObject as role orders-task-role; 2 HTTP 5xx in the same minutes")
        #expect(fired[1].summary == "app needs 34.8 s to start; tasks killed after ~26 s; 3 restarts in 4 min")
        #expect(fired[2].summary == "CPU 97% of reserved for 5 min on 2 tasks; target p90 29.8 s; desired count 2 unchanged")
        #expect(fired[3].summary.hasPrefix("1 task RUNNING for more than 5 min without a single log record"))
        // Every alert resolves eventually except the silent deployment's (still silent at the end).
        let resolved = out.resolved.map(\.rule)
        #expect(resolved.contains(.restartLoop))
        #expect(resolved.contains(.saturation))
        #expect(resolved.contains(.accessDenied))
        #expect(!resolved.contains(.missingLogs))
    }

    @Test func theStoryWithItsConfigurationNamesTheExactMistakes() {
        let out = AntiPrimerStory.build().run(context: AntiPrimerStory.context)
        let fired = out.firing
        #expect(fired.map(\.cause) == [.taskRoleMissingPermission, .healthCheckGracePeriod, .fixedDesiredCount, .noLogOutput])
        #expect(fired[0].summary.contains("s3:GetObject is granted on the execution role orders-api-ExecutionRole-1A2B3C instead of the task role"))
        #expect(fired[1].summary.contains("health check grace period 0 s; target group orders-api marks a target unhealthy after 2 × 10 s = 20 s"))
        #expect(fired[1].remediation.contains("--health-check-grace-period-seconds 60"))
        #expect(fired[2].summary.hasSuffix("no scalable target exists for service/prod/orders-api"))
        #expect(fired[3].summary.hasSuffix("container app has no logConfiguration"))
        #expect(fired[3].remediation.contains("\"awslogs-region\": \"eu-west-1\""))
    }

    @Test func theStoryTimelineCountsEachFootgun() throws {
        let (_, engine) = Scenario.run(AntiPrimerStory.build().sorted)
        let tl = try #require(engine.timelines.first { $0.service == "orders-api" })
        #expect(tl.minutes.reduce(0) { $0 + $1.denials } > 100)
        #expect(tl.minutes.reduce(0) { $0 + $1.http5xx } > 100)
        #expect(tl.minutes.reduce(0) { $0 + $1.taskFailures } == 7)
        #expect(tl.minutes.compactMap(\.maxCPUPercent).max() == 97)
        #expect(tl.minutes.reduce(0) { $0 + $1.logRecords } > 1000)
        let lastHour = tl.minutes.filter { $0.minute >= Scenario.at(10900) }
        #expect(lastHour.allSatisfy { $0.logRecords == 0 })
    }
}
