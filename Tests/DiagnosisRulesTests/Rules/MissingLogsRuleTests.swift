import Testing
@testable import DiagnosisRules

@Suite struct MissingLogsRuleTests {
    /// An earlier task of the service that logs (so a CloudWatch source is present and the service is known to log).
    static func loggingTask(_ s: inout Scenario, at t0: Double = -600, until end: Double = 900) {
        let old = Scenario.task(900)
        s.add(.taskRunning, at: t0, task: old)
        for t in stride(from: t0 + 2, through: end, by: 20) { s.log(at: t, task: old) }
    }

    @Test func missingLogGroupFiresOnTheFirstOccurrence() throws {
        var s = Scenario()
        s.add(.loggerError, at: 10, task: Scenario.task(1),
              line: "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.") {
            $0.failureClass = .loggerFailure
            $0.resource = "arn:aws:logs:eu-west-1:1:log-group:/ecs/orders-api:log-stream:"
            $0.reason = "failed to initialize logging driver: The specified log group does not exist."
        }
        let out = s.run()
        let a = try #require(out.firing.of(.missingLogs).first)
        #expect(a.cause == .logGroupMissing)
        #expect(a.at == Scenario.at(10))
        #expect(a.summary.hasPrefix("1 task failed to start: the awslogs driver cannot use log group /ecs/orders-api"))
        #expect(a.remediation.contains("aws logs create-log-group --log-group-name /ecs/orders-api"))
        #expect(a.remediation.contains("aws logs describe-log-groups --log-group-name-prefix /ecs/orders-api"))
        #expect(out.of(.restartLoop).isEmpty)
    }

    @Test func createLogGroupDenialIsLoggerPermissionDenied() throws {
        var s = Scenario()
        s.add(.loggerError, at: 10, task: Scenario.task(1)) {
            $0.action = "logs:CreateLogGroup"
            $0.role = "orders-api-ecs-task-execution-role"
            $0.resource = "arn:aws:logs:eu-central-1:1:log-group:/ecs/orders-api:log-stream:"
        }
        let a = try #require(s.run().firing.of(.missingLogs).first)
        #expect(a.cause == .loggerPermissionDenied)
        #expect(a.summary == "1 task failed to start: the execution role orders-api-ecs-task-execution-role may not logs:CreateLogGroup on log group /ecs/orders-api")
        #expect(a.remediation.contains("aws iam put-role-policy --role-name orders-api-ecs-task-execution-role"))
        #expect(a.remediation.contains("aws logs create-log-group --log-group-name /ecs/orders-api"))
    }

    @Test func silentRunningTaskFiresAtTheDeadline() throws {
        var s = Scenario()
        Self.loggingTask(&s)
        s.add(.taskRunning, at: 0, task: Scenario.task(1)) { $0.group = "service:orders-api" }
        let out = s.run()
        let a = try #require(out.firing.of(.missingLogs).first)
        #expect(a.cause == .noLogOutput)
        #expect(a.at == Scenario.at(300))
        #expect(a.firstSeen == Scenario.at(0))
        #expect(a.taskIDs == [Scenario.task(1).description])
        #expect(a.summary.hasPrefix("1 task RUNNING for more than 5 min without a single log record"))
        #expect(a.remediation.contains("\"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {\"awslogs-group\": \"/ecs/orders-api\""))
        #expect(a.remediation.contains("aws logs describe-log-groups --log-group-name-prefix /ecs/orders-api"))
    }

    @Test func firstLogAt299SecondsIsNotSilent() {
        var s = Scenario()
        Self.loggingTask(&s)
        s.add(.taskRunning, at: 0, task: Scenario.task(1))
        s.log(at: 299, task: Scenario.task(1))
        #expect(s.run().of(.missingLogs).isEmpty)
    }

    @Test func firstLogAt301SecondsIsTooLate() {
        var s = Scenario()
        Self.loggingTask(&s)
        s.add(.taskRunning, at: 0, task: Scenario.task(1))
        s.log(at: 301, task: Scenario.task(1))
        let out = s.run()
        #expect(out.firing.of(.missingLogs).first?.at == Scenario.at(300))
    }

    @Test func taskStoppedBeforeTheDeadlineDoesNotCount() {
        var s = Scenario()
        Self.loggingTask(&s)
        s.add(.taskRunning, at: 0, task: Scenario.task(1))
        s.add(.taskStopped, at: 200, task: Scenario.task(1)) { $0.failureClass = .benign }
        #expect(s.run().of(.missingLogs).isEmpty)
    }

    @Test func notJudgedWithoutAnyLogSource() {
        var s = Scenario()
        s.add(.taskRunning, at: 0, task: Scenario.task(1))
        s.add(.steadyState, at: 900)
        #expect(s.run().of(.missingLogs).isEmpty)
    }

    @Test func serviceEventStartCountsAsRunning() throws {
        var s = Scenario()
        Self.loggingTask(&s)
        s.add(.taskStarted, at: 0, task: Scenario.task(1), line: "(service orders-api) has started 2 tasks: (task a) (task b).") {
            $0.otherTasks = [Scenario.task(2)]
            $0.taskCount = 2
        }
        let a = try #require(s.run().firing.of(.missingLogs).first)
        #expect(a.count == 2)
        #expect(a.taskIDs.count == 2)
    }

    @Test func otherServicesWithoutExportedLogsAreNotJudged() {
        var s = Scenario()
        Self.loggingTask(&s)
        s.add(.taskRunning, at: 0, task: Scenario.task(1), service: "billing")
        s.add(.taskRunning, at: 5, task: Scenario.task(2), service: "search")
        #expect(s.run().of(.missingLogs).isEmpty)
    }

    @Test func contextNamesTheContainerWithoutLogConfiguration() throws {
        var ctx = ServiceContext()
        ctx.taskDefinitions = [.init(family: "billing", revision: 4, containers: [
            .init(name: "app"), .init(name: "envoy", logDriver: "awslogs", logOptions: ["awslogs-group": "/ecs/billing"]),
        ])]
        ctx.services = [.init(name: "billing", cluster: "prod", taskDefinition: "billing:4")]
        var s = Scenario()
        Self.loggingTask(&s)
        s.add(.taskRunning, at: 0, task: Scenario.task(1), service: "billing")
        let a = try #require(s.run(context: ctx).firing.of(.missingLogs).first)
        #expect(a.service == "billing")
        #expect(a.summary.hasSuffix("; container app has no logConfiguration"))
        #expect(a.remediation.hasPrefix("Give container app a logConfiguration"))
        #expect(a.remediation.contains("\"awslogs-group\": \"/ecs/billing\""))
    }

    @Test func resolvesWhenLogsArrive() {
        var s = Scenario()
        Self.loggingTask(&s, until: 2000)
        s.add(.taskRunning, at: 0, task: Scenario.task(1))
        s.log(at: 700, task: Scenario.task(1))
        let ml = s.run().of(.missingLogs)
        #expect(ml.map(\.status) == [.firing, .resolved])
        #expect(ml[1].at == Scenario.at(720))
        #expect(ml[1].summary.hasPrefix("Log records arrive again"))
    }

    @Test func resolvesAfterTheClearWindowWithoutNewSilentTasks() {
        var s = Scenario()
        Self.loggingTask(&s, until: 2000)
        s.add(.taskRunning, at: 0, task: Scenario.task(1))
        s.add(.taskStopped, at: 400, task: Scenario.task(1)) { $0.failureClass = .benign }
        let ml = s.run().of(.missingLogs)
        #expect(ml.map(\.status) == [.firing, .resolved])
        #expect(ml[1].at == Scenario.at(900))
    }

    @Test func outOfOrderWithinLatenessGivesIdenticalOutput() {
        var s = Scenario()
        Self.loggingTask(&s, until: 1500)
        for i in 0..<5 {
            let t = Scenario.task(i)
            s.add(.taskRunning, at: Double(i) * 30, task: t)
            if i % 2 == 0 { s.log(at: Double(i) * 30 + 295 + Double(i), task: t) }
        }
        s.add(.loggerError, at: 50, task: Scenario.task(20), service: "billing") { $0.reason = "The specified log group does not exist." }
        expectOrderIndependent(s)
    }

    @Test func loggerErrorResolvesAfterTheClearWindow() {
        var s = Scenario()
        s.add(.loggerError, at: 0, task: Scenario.task(1)) { $0.reason = "The specified log group does not exist." }
        s.add(.loggerError, at: 100, task: Scenario.task(2)) { $0.reason = "The specified log group does not exist." }
        s.add(.steadyState, at: 2000)
        let ml = s.run().of(.missingLogs)
        #expect(ml.map(\.status) == [.firing, .resolved])
        #expect(ml[1].count == 2)
        #expect(ml[1].at == Scenario.at(720))
    }

    @Test func familyTasksAreNotWatched() {
        var s = Scenario()
        Self.loggingTask(&s)
        s.add(.taskRunning, at: 0, task: Scenario.task(1)) { $0.group = "family:nightly" }
        #expect(s.run().of(.missingLogs).isEmpty)
    }
}
