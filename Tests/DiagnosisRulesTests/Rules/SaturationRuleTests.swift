import Testing
@testable import DiagnosisRules

@Suite struct SaturationRuleTests {
    static let tg = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-api/555a47e25c5a1850"

    /// CPU samples of two tasks at the given seconds.
    static func cpu(_ s: inout Scenario, at times: [Double], percent: Double, other: Double = 60) {
        for t in times {
            s.add(.resourceUsage, at: t, task: Scenario.task(1), line: "{\"Type\":\"Task\",\"CpuUtilized\":\(percent)}") {
                $0.cpuPercent = percent
                $0.memoryPercent = 40
            }
            s.add(.resourceUsage, at: t + 0.5, task: Scenario.task(2)) {
                $0.cpuPercent = other
                $0.memoryPercent = 40
            }
        }
    }

    static func counts(_ s: inout Scenario, at t: Double, desired: Int, reason: String? = nil) {
        s.add(.serviceCounts, at: t) {
            $0.desiredCount = desired
            $0.runningCount = desired
            $0.reason = reason
        }
    }

    @Test func sustainedCPUWithFixedDesiredCountFires() throws {
        var s = Scenario()
        Self.counts(&s, at: -30, desired: 2)
        Self.cpu(&s, at: stride(from: 0, through: 720, by: 60).map { $0 }, percent: 97, other: 95)
        Self.cpu(&s, at: [780, 840, 900, 960, 1020, 1080, 1140], percent: 40, other: 30)
        let out = s.run()
        let sat = out.of(.saturation)
        let a = try #require(sat.firing.first)
        #expect(a.cause == .fixedDesiredCount)
        #expect(a.severity == .error)
        #expect(a.at == Scenario.at(300))
        #expect(a.summary == "CPU 97% of reserved for 5 min on 2 tasks; desired count 2 unchanged")
        #expect(a.remediation.contains("aws application-autoscaling register-scalable-target --service-namespace ecs --scalable-dimension ecs:service:DesiredCount --resource-id service/prod/orders-api --min-capacity 2 --max-capacity 10"))
        #expect(a.remediation.contains("aws application-autoscaling put-scaling-policy --service-namespace ecs --scalable-dimension ecs:service:DesiredCount --resource-id service/prod/orders-api --policy-name orders-api-cpu-target --policy-type TargetTrackingScaling --target-tracking-scaling-policy-configuration '{\"TargetValue\":65.0,\"PredefinedMetricSpecification\":{\"PredefinedMetricType\":\"ECSServiceAverageCPUUtilization\"},\"ScaleOutCooldown\":60,\"ScaleInCooldown\":120}'"))
        // Resolves 5 min after the last saturated sample (720.5 s), not before the minimum firing time.
        let r = try #require(sat.resolved.first)
        #expect(r.at == Scenario.at(1020.5))
        #expect(r.summary.contains("for 12 min on 2 tasks"))
    }

    @Test func fourMinutesFiftyNineSecondsIsNotSustained() {
        var s = Scenario()
        Self.cpu(&s, at: [0, 60, 120, 180, 240, 299], percent: 97)
        Self.cpu(&s, at: [330, 390, 450], percent: 30)
        #expect(s.run().of(.saturation).isEmpty)
    }

    @Test func fiveMinutesIsSustained() {
        var s = Scenario()
        Self.cpu(&s, at: [0, 60, 120, 180, 240, 300], percent: 97)
        Self.cpu(&s, at: [330, 390, 450], percent: 30)
        #expect(s.run().firing.of(.saturation).first?.at == Scenario.at(300))
    }

    @Test func spikeUnderFiveMinutesDoesNotFire() {
        var s = Scenario()
        Self.cpu(&s, at: [0, 60, 120], percent: 99)
        Self.cpu(&s, at: [180, 240, 300, 360, 420], percent: 20)
        Self.cpu(&s, at: [480, 540, 600], percent: 99)
        Self.cpu(&s, at: [660, 720, 780, 840, 900], percent: 20)
        #expect(s.run().of(.saturation).isEmpty)
    }

    @Test func scaleOutThatRelievesItWithinTheWindowDoesNotFire() {
        var s = Scenario()
        Self.counts(&s, at: -10, desired: 2)
        Self.cpu(&s, at: [0, 60, 120, 180], percent: 96)
        Self.counts(&s, at: 150, desired: 4, reason: "SERVICE_DESIRED_COUNT_UPDATED")
        s.add(.taskStarted, at: 160) { $0.taskCount = 2 }
        Self.cpu(&s, at: [240, 300, 360, 420], percent: 55)
        #expect(s.run().of(.saturation).isEmpty)
    }

    @Test func desiredRoseButSaturationPersistsIsScalingTooSlow() throws {
        var s = Scenario()
        Self.counts(&s, at: -10, desired: 2)
        Self.cpu(&s, at: [0, 60, 120], percent: 96)
        Self.counts(&s, at: 130, desired: 3)
        Self.cpu(&s, at: [180, 240, 300, 360], percent: 94)
        let a = try #require(s.run().firing.of(.saturation).first)
        #expect(a.cause == .scalingTooSlow)
        #expect(a.summary.contains("desired count rose 2 → 3 but saturation persists"))
        #expect(a.remediation.contains("\"TargetValue\":50.0"))
    }

    @Test func contextScalableTargetAtMaxCapacity() throws {
        var ctx = ServiceContext()
        ctx.knowsScalableTargets = true
        ctx.scalableTargets = [.init(cluster: "prod", service: "orders-api", minCapacity: 1, maxCapacity: 2)]
        var s = Scenario()
        Self.counts(&s, at: -10, desired: 2)
        Self.cpu(&s, at: [0, 60, 120, 180, 240, 300], percent: 96)
        let a = try #require(s.run(context: ctx).firing.of(.saturation).first)
        #expect(a.cause == .scalingAtMaxCapacity)
        #expect(a.summary.contains("max capacity 2"))
        #expect(a.remediation.contains("--min-capacity 1 --max-capacity 4"))
    }

    @Test func contextWithoutScalableTargetConfirmsFixedDesiredCount() throws {
        var ctx = ServiceContext()
        ctx.knowsScalableTargets = true
        ctx.services = [.init(name: "orders-api", cluster: "prod", desiredCount: 2)]
        var s = Scenario()
        Self.cpu(&s, at: [0, 60, 120, 180, 240, 300], percent: 96)
        let a = try #require(s.run(context: ctx).firing.of(.saturation).first)
        #expect(a.cause == .fixedDesiredCount)
        #expect(a.summary.hasSuffix("desired count 2 unchanged; no scalable target exists for service/prod/orders-api"))
    }

    @Test func albLatencyFromRequestTotals() throws {
        var s = Scenario()
        s.add(.healthCheckFailed, at: -50, line: "(service orders-api) (port 8080) is unhealthy in (target-group \(Self.tg))") {
            $0.targetGroup = Self.tg
        }
        // 20 requests a minute, 5 of them slow (25 % ⇒ p90 ≥ 10 s), for 7 minutes.
        for m in 0..<7 {
            for r in 0..<20 {
                let t = Double(m * 60 + r * 3)
                s.request(at: t, targetGroup: Self.tg, slow: r % 4 == 0)
                if r % 4 == 0 {
                    s.add(.slowRequest, at: t + 0.1, service: .some(nil), line: "h2 … 29.8 \"GET /orders\"") {
                        $0.seconds = 29.8
                        $0.origin = "alb"
                        $0.targetGroup = Self.tg
                    }
                }
            }
        }
        s.add(.steadyState, at: 500)
        let a = try #require(s.run().firing.of(.saturation).first)
        #expect(a.cause == .fixedDesiredCount)
        #expect(a.summary.hasPrefix("saturated for 5 min; target p90 29.8 s"))
        #expect(a.remediation.contains("ALBRequestCountPerTarget"))
        #expect(a.remediation.contains("app/LOAD_BALANCER_NAME/LOAD_BALANCER_ID/targetgroup/orders-api/555a47e25c5a1850"))
    }

    @Test func albLatencyUnderTenPercentDoesNotFire() {
        var s = Scenario()
        var e = DiagnosisEngine()
        e.bindTargetGroup(Self.tg, toService: "orders-api", cluster: "prod")
        for m in 0..<8 {
            for r in 0..<20 { s.request(at: Double(m * 60 + r * 3), targetGroup: Self.tg, slow: r == 0) }
        }
        s.add(.steadyState, at: 600)
        var out: [AlertTransition] = []
        for item in s.sorted { Scenario.feed(item, &e); e.drain(into: &out) }
        e.finish(into: &out)
        #expect(out.isEmpty)
    }

    @Test func elbErrorsDuringARestartLoopAreNotSaturation() {
        var s = Scenario()
        for m in 0..<8 {
            s.add(.taskStopped, at: Double(m * 60), task: Scenario.task(m)) { $0.failureClass = .elbHealthCheck }
            for k in 0..<5 { s.add(.httpError, at: Double(m * 60 + 10 + k)) { $0.status = 503; $0.origin = "alb" } }
        }
        let out = s.run()
        #expect(out.of(.saturation).isEmpty)
        #expect(out.firing.of(.restartLoop).count == 1)
    }

    @Test func elbTimeoutsAloneSustainedFire() throws {
        var s = Scenario()
        for m in 0..<7 {
            for k in 0..<4 { s.add(.httpError, at: Double(m * 60 + k * 10)) { $0.status = 504; $0.origin = "alb" } }
        }
        let a = try #require(s.run().firing.of(.saturation).first)
        #expect(a.summary.contains("ELB 502/503/504"))
    }

    @Test func outOfOrderWithinLatenessGivesIdenticalOutput() {
        var s = Scenario()
        Self.counts(&s, at: -10, desired: 2)
        Self.cpu(&s, at: stride(from: 0, through: 600, by: 20).map { $0 }, percent: 93)
        Self.cpu(&s, at: stride(from: 620, through: 1300, by: 20).map { $0 }, percent: 50)
        for m in 0..<12 { for r in 0..<10 { s.request(at: Double(m * 60 + r * 6), targetGroup: Self.tg, slow: r < 2) } }
        s.add(.healthCheckFailed, at: -30) { $0.targetGroup = Self.tg }
        expectOrderIndependent(s)
    }

    @Test func albRequestTotalsAloneWithAnExplicitBinding() throws {
        var e = DiagnosisEngine()
        e.bindTargetGroup(Self.tg, toService: "orders-api", cluster: "prod")
        var s = Scenario()
        // 30 % of each minute's requests are slow for 6 minutes, then none.
        for m in 0..<10 {
            for r in 0..<20 { s.request(at: Double(m * 60 + r * 3), targetGroup: Self.tg, slow: m < 6 && r % 10 < 3) }
        }
        var out: [AlertTransition] = []
        for item in s.sorted { Scenario.feed(item, &e); e.drain(into: &out) }
        e.finish(into: &out)
        let a = try #require(out.firing.first)
        #expect(a.rule == .saturation)
        #expect(a.service == "orders-api")
        #expect(a.summary.hasPrefix("saturated for 5 min; p90 ≥ 10 s (30% of 120 requests slower)"))
        #expect(a.at == Scenario.at(360))
    }

    @Test func albMetricDatapointsCountAsLatency() throws {
        var s = Scenario()
        for m in 0..<7 {
            s.add(.slowRequest, at: Double(m * 60)) { $0.seconds = 14.2; $0.origin = "alb-metric" }
        }
        let a = try #require(s.run().firing.of(.saturation).first)
        #expect(a.at == Scenario.at(300))
        #expect(a.summary.contains("target p90 14.2 s"))
    }

    @Test func memoryDrivenUsesTheMemoryPolicy() throws {
        var s = Scenario()
        for t in stride(from: 0.0, through: 360, by: 60) {
            s.add(.resourceUsage, at: t, task: Scenario.task(1)) { $0.cpuPercent = 20; $0.memoryPercent = 95 }
        }
        let a = try #require(s.run().firing.of(.saturation).first)
        #expect(a.summary.hasPrefix("memory 95% of reserved for 5 min"))
        #expect(a.remediation.contains("ECSServiceAverageMemoryUtilization"))
    }
}
