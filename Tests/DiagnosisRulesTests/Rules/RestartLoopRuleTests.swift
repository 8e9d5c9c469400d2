import Testing
@testable import DiagnosisRules

@Suite struct RestartLoopRuleTests {
    static let tg = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-api/555a47e25c5a1850"

    /// A grace-period loop: each task RUNNING at t, unhealthy at t+26, stopped (ELB) at t+40; the app states its
    /// startup (34.8 s) while being drained.
    static func gracePeriodLoop(
        _ s: inout Scenario, tasks: Int, every: Double = 120, startup: Double? = 34.8, eventBridge: Bool = true,
        kill: Double = 26
    ) {
        for i in 0..<tasks {
            let t0 = Double(i) * every
            let task = Scenario.task(100 + i)
            s.add(.taskStarted, at: t0 - 5, task: task, line: "(service orders-api) has started 1 tasks: (task \(task)).")
            if eventBridge {
                s.add(.taskRunning, at: t0, task: task) { $0.group = "service:orders-api" }
            }
            s.add(.healthCheckFailed, at: t0 + kill, task: task,
                  line: "(service orders-api) (task \(task)) (port 8080) is unhealthy in (target-group \(tg)) due to (reason Request timed out).") {
                $0.targetGroup = tg
            }
            if let startup {
                s.add(.appReady, at: t0 + startup, task: task, service: .some(nil), logGroup: "/ecs/orders-api",
                      logStream: "orders/app/\(task)", line: "Started OrdersApplication in \(startup) seconds") {
                    $0.startupSeconds = startup
                }
            }
            if eventBridge {
                s.add(.taskStopped, at: t0 + 40, task: task, line: "Task failed ELB health checks in (target-group \(tg))") {
                    $0.failureClass = .elbHealthCheck
                    $0.reason = "Task failed ELB health checks in (target-group \(tg))"
                    $0.stopCode = "ServiceSchedulerInitiated"
                    $0.group = "service:orders-api"
                    $0.startedAt = Scenario.at(t0)
                    $0.stoppedAt = Scenario.at(t0 + 40)
                }
            } else {
                s.add(.taskStopped, at: t0 + 40, task: task, line: "(service orders-api) has stopped 1 running tasks: (task \(task)).")
            }
        }
    }

    @Test func gracePeriodLoopFiresWithMeasuredFiguresAndTheGracePeriodToSet() throws {
        var s = Scenario()
        Self.gracePeriodLoop(&s, tasks: 3)
        let out = s.run()
        let a = try #require(out.firing.of(.restartLoop).first)
        #expect(a.cause == .healthCheckGracePeriod)
        #expect(a.severity == .critical)
        #expect(a.at == Scenario.at(280))
        #expect(a.count == 3)
        #expect(a.summary == "app needs 34.8 s to start; tasks killed after ~26 s; 3 restarts in 4 min")
        #expect(a.remediation.contains("Set healthCheckGracePeriodSeconds to 60 (startup p95 34.8 s × 1.5, rounded up to 10 s)"))
        #expect(a.remediation.contains("aws ecs update-service --cluster prod --service orders-api --health-check-grace-period-seconds 60"))
        #expect(a.figures.contains(Figure("recommended grace period", "60 s")))
        #expect(a.taskIDs.count == 3)
    }

    @Test func serviceEventsAloneMarkClasslessStopsAsELBKills() throws {
        var s = Scenario()
        Self.gracePeriodLoop(&s, tasks: 3, eventBridge: false)
        let a = try #require(s.run().firing.of(.restartLoop).first)
        #expect(a.cause == .healthCheckGracePeriod)
        // started (service event) → unhealthy: 31 s.
        #expect(a.summary.hasPrefix("app needs 34.8 s to start; tasks killed after ~31 s; 3 restarts"))
    }

    @Test func oneServiceEventStoppingSeveralUnhealthyTasksCountsEach() throws {
        var s = Scenario()
        let ids = (0..<3).map { Scenario.task(300 + $0) }
        for (i, t) in ids.enumerated() {
            s.add(.taskStarted, at: Double(i), task: t)
            s.add(.healthCheckFailed, at: 30 + Double(i), task: t) { $0.targetGroup = Self.tg }
        }
        s.add(.taskStopped, at: 60, task: ids[0], line: "(service orders-api) has stopped 3 running tasks: (task a) (task b) (task c).") {
            $0.otherTasks = Array(ids.dropFirst())
            $0.taskCount = 3
        }
        let (out, engine) = Scenario.run(s.sorted)
        let a = try #require(out.firing.of(.restartLoop).first)
        #expect(a.cause == .healthCheckGracePeriod)
        #expect(a.count == 3)
        #expect(engine.timelines.first?.minutes.reduce(0) { $0 + $1.taskFailures } == 3)
    }

    @Test func noTaskEverReady() throws {
        var s = Scenario()
        Self.gracePeriodLoop(&s, tasks: 3, startup: nil)
        let a = try #require(s.run().firing.of(.restartLoop).first)
        #expect(a.summary.hasPrefix("no task became ready before it was killed (> 26 s); 3 restarts"))
        #expect(a.remediation.contains("--health-check-grace-period-seconds 40"))
    }

    @Test func appReadyLongBeforeTheKillPointsAtTheHealthCheck() throws {
        var s = Scenario()
        Self.gracePeriodLoop(&s, tasks: 3, startup: 3.1, kill: 35)
        let a = try #require(s.run().firing.of(.restartLoop).first)
        #expect(a.cause == .healthCheckGracePeriod)
        #expect(a.summary.contains("the grace period is not the problem"))
        #expect(a.remediation.contains("health check path and matcher"))
        #expect(!a.remediation.contains("update-service"))
    }

    @Test func contextAddsGracePeriodAndTargetGroupKillTime() throws {
        var ctx = ServiceContext()
        ctx.services = [.init(name: "orders-api", cluster: "prod", desiredCount: 2, healthCheckGracePeriodSeconds: 0,
                              targetGroupArns: [Self.tg])]
        ctx.targetGroups = [.init(arn: Self.tg, name: "orders-api", intervalSeconds: 10, unhealthyThreshold: 2)]
        var s = Scenario()
        Self.gracePeriodLoop(&s, tasks: 3)
        let a = try #require(s.run(context: ctx).firing.of(.restartLoop).first)
        #expect(a.summary == "app needs 34.8 s to start; tasks killed after ~26 s; 3 restarts in 4 min; health check grace period 0 s; target group orders-api marks a target unhealthy after 2 × 10 s = 20 s")
        #expect(a.remediation.contains(", up from 0"))
        #expect(a.figures.contains(Figure("target group kill time", "20 s")))
    }

    @Test func crashLoopIsNotAGracePeriodLoop() throws {
        var s = Scenario()
        for i in 0..<3 {
            let t0 = Double(i) * 60
            let task = Scenario.task(i)
            s.add(.taskRunning, at: t0, task: task)
            s.add(.taskStopped, at: t0 + 5, task: task, line: "Essential container in task exited") {
                $0.failureClass = .crash
                $0.exitCode = 1
                $0.container = "app"
                $0.reason = "Essential container in task exited"
                $0.group = "service:orders-api"
            }
        }
        let a = try #require(s.run().firing.of(.restartLoop).first)
        #expect(a.cause == .crash)
        #expect(a.summary == "essential container app exited with exit code 1: 3 restarts in 2 min")
        #expect(a.remediation.contains("not a health-check problem"))
    }

    @Test(arguments: [
        (TaskFailureClass.oom, Cause.oom), (.startFailure, .startFailure), (.containerHealthCheck, .containerHealthCheck),
    ])
    func otherClassesMapToTheirCauses(cls: TaskFailureClass, cause: Cause) throws {
        var s = Scenario()
        for i in 0..<3 {
            s.add(.taskStopped, at: Double(i) * 100, task: Scenario.task(i)) {
                $0.failureClass = cls
                $0.reason = cls == .startFailure ? "CannotPullContainerError: pull image manifest has been retried 5 time(s)" : nil
            }
        }
        let a = try #require(s.run().firing.of(.restartLoop).first)
        #expect(a.cause == cause)
        #expect(!a.remediation.isEmpty)
    }

    @Test func oomSignalAndStopOfTheSameTaskCountOnce() {
        var s = Scenario()
        for i in 0..<2 {
            s.add(.oom, at: Double(i) * 100, task: Scenario.task(i)) { $0.failureClass = .oom }
            s.add(.taskStopped, at: Double(i) * 100 + 1, task: Scenario.task(i)) { $0.failureClass = .oom }
        }
        #expect(s.run().of(.restartLoop).isEmpty)
    }

    @Test func hardNegativesDoNotFire() {
        var s = Scenario()
        for i in 0..<5 {
            s.add(.taskStopped, at: Double(i) * 30, task: Scenario.task(i)) {
                $0.failureClass = .benign
                $0.reason = "Scaling activity initiated by (deployment ecs-svc/5888882704497679006)"
            }
            s.add(.taskStopped, at: Double(i) * 30 + 1, task: Scenario.task(10 + i)) {
                $0.failureClass = .completed
                $0.exitCode = 0
                $0.group = "family:nightly-report"
            }
            s.add(.taskStopped, at: Double(i) * 30 + 2, task: Scenario.task(20 + i)) { $0.failureClass = .loggerFailure }
            s.add(.taskStopped, at: Double(i) * 30 + 3, task: Scenario.task(30 + i)) {
                $0.failureClass = .crash
                $0.group = "family:migrate"
            }
            s.add(.taskStopped, at: Double(i) * 30 + 4, task: Scenario.task(40 + i)) { $0.reason = "Task stopped by user" }
        }
        #expect(s.run().of(.restartLoop).isEmpty)
    }

    @Test func twoFailuresAndAOneOffReplacementDoNotFire() {
        var s = Scenario()
        s.add(.taskStopped, at: 0, task: Scenario.task(1)) { $0.failureClass = .crash }
        s.add(.taskStopped, at: 600, task: Scenario.task(2)) { $0.failureClass = .crash }
        #expect(s.run().of(.restartLoop).isEmpty)
    }

    @Test func threeFailuresSpreadOverFifteenMinutesPlusOneMillisecondDoNotFire() {
        var s = Scenario()
        s.add(.taskStopped, at: 0, task: Scenario.task(1)) { $0.failureClass = .crash }
        s.add(.taskStopped, at: 450, task: Scenario.task(2)) { $0.failureClass = .crash }
        s.add(.taskStopped, at: 900.001, task: Scenario.task(3)) { $0.failureClass = .crash }
        #expect(s.run().of(.restartLoop).isEmpty)
        var t = Scenario()
        t.add(.taskStopped, at: 0, task: Scenario.task(1)) { $0.failureClass = .crash }
        t.add(.taskStopped, at: 450, task: Scenario.task(2)) { $0.failureClass = .crash }
        t.add(.taskStopped, at: 900, task: Scenario.task(3)) { $0.failureClass = .crash }
        #expect(t.run().firing.of(.restartLoop).count == 1)
    }

    @Test func classesAreNotMixed() {
        var s = Scenario()
        s.add(.taskStopped, at: 0, task: Scenario.task(1)) { $0.failureClass = .crash }
        s.add(.taskStopped, at: 10, task: Scenario.task(2)) { $0.failureClass = .oom }
        s.add(.taskStopped, at: 20, task: Scenario.task(3)) { $0.failureClass = .elbHealthCheck }
        #expect(s.run().of(.restartLoop).isEmpty)
    }

    @Test func outOfOrderWithinLatenessGivesIdenticalOutput() {
        var s = Scenario()
        Self.gracePeriodLoop(&s, tasks: 6, every: 20)
        for i in 0..<4 { s.add(.taskStopped, at: Double(i) * 3, task: Scenario.task(500 + i), service: "worker") { $0.failureClass = .crash } }
        s.add(.steadyState, at: 900)
        s.add(.steadyState, at: 2000, service: "worker")
        expectOrderIndependent(s)
    }

    @Test func resolvesOnSteadyStateAfterTenQuietMinutes() {
        var s = Scenario()
        Self.gracePeriodLoop(&s, tasks: 4)
        // Last failure at 400 s; steady state at 700 s; resolves at 400 + 600.
        s.add(.steadyState, at: 700, line: "(service orders-api) has reached a steady state.")
        s.add(.steadyState, at: 2000)
        let rl = s.run().of(.restartLoop)
        #expect(rl.map(\.status) == [.firing, .resolved])
        #expect(rl[1].at == Scenario.at(1000))
        #expect(rl[1].count == 4)
    }

    @Test func withoutSteadyStateAfterTheLastFailureItStaysFiringUntilOne() {
        var s = Scenario()
        s.add(.steadyState, at: -100)
        for i in 0..<3 { s.add(.taskStopped, at: Double(i) * 10, task: Scenario.task(i)) { $0.failureClass = .crash } }
        s.add(.httpError, at: 1500) { $0.status = 200 }
        s.add(.steadyState, at: 1800)
        s.add(.httpError, at: 2500) { $0.status = 200 }
        let rl = s.run().of(.restartLoop)
        #expect(rl.map(\.status) == [.firing, .resolved])
        #expect(rl[1].at == Scenario.at(1800))
    }
}
