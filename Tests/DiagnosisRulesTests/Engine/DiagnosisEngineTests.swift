import Foundation
import Testing
@testable import DiagnosisRules

@Suite struct DiagnosisEngineTests {
    // MARK: Event time and ordering

    @Test func outOfOrderWithinTheLatenessGivesIdenticalOutput() {
        let story = AntiPrimerStory.build(logEvery: 30, requestsPerMinute: 10)
        let sorted = Scenario.run(story.sorted).transitions
        #expect(sorted.firing.count == 4)
        for seed: UInt64 in [1, 2] {
            let shuffled = Scenario.run(story.shuffled(seed: seed)).transitions
            #expect(shuffled == sorted)
        }
    }

    @Test func drainCadenceDoesNotChangeTheOutput() {
        let story = AntiPrimerStory.build(logEvery: 30, requestsPerMinute: 10)
        let every = Scenario.run(story.sorted, drainEvery: 1).transitions
        let sometimes = Scenario.run(story.sorted, drainEvery: 97).transitions
        let never = Scenario.run(story.sorted, drainEvery: 0).transitions
        #expect(every == sometimes)
        #expect(every == never)
    }

    @Test func signalsLaterThanTheLatenessAreCountedAndDropped() {
        var s = Scenario()
        s.denial(at: 100)
        s.denial(at: 101)
        s.add(.steadyState, at: 200)
        var items = s.sorted
        // A third denial at 150 arrives after the watermark reached 170: late.
        var sc = s
        items.append(.signal(sc.make(.accessDenied, at: 150) { $0.role = "orders-task-role"; $0.action = "s3:GetObject" }))
        let (out, engine) = Scenario.run(items)
        #expect(out.isEmpty)
        #expect(engine.lateSignals == 1)
        // Within the lateness it counts.
        var within = s.sorted
        within.insert(.signal(sc.make(.accessDenied, at: 175) { $0.role = "orders-task-role"; $0.action = "s3:GetObject" }), at: 3)
        let (out2, engine2) = Scenario.run(within)
        #expect(engine2.lateSignals == 0)
        #expect(out2.firing.count == 1)
    }

    @Test func finishNeverJudgesSilenceBeyondTheLastRecord() {
        var s = Scenario()
        MissingLogsRuleTests.loggingTask(&s, until: 200)
        s.add(.taskRunning, at: 0, task: Scenario.task(1))
        s.add(.steadyState, at: 299)
        #expect(s.run().of(.missingLogs).isEmpty)
    }

    @Test func transitionsAreInEventTimeOrderWithTiesByKey() {
        var s = Scenario()
        for svc in ["b-svc", "a-svc"] {
            for i in 0..<3 { s.add(.accessDenied, at: Double(i), service: .some(svc)) { $0.role = "r" } }
        }
        s.add(.steadyState, at: 1000, service: "other")
        let out = s.run()
        #expect(out.map(\.service) == ["a-svc", "b-svc", "a-svc", "b-svc"])
        #expect(out.map(\.status) == [.firing, .firing, .resolved, .resolved])
        #expect(zip(out, out.dropFirst()).allSatisfy { $0.at <= $1.at })
    }

    // MARK: Identity

    @Test func serviceComesFromTheTaskWhenTheRecordHasNone() throws {
        var s = Scenario()
        s.add(.taskRunning, at: 0, task: Scenario.task(7), service: "payments", cluster: "blue")
        for i in 1...3 {
            s.add(.accessDenied, at: Double(i), task: Scenario.task(7), service: .some(nil), cluster: .some(nil)) { $0.role = "r" }
        }
        let a = try #require(s.run().firing.first)
        #expect(a.service == "payments")
        #expect(a.cluster == "blue")
        #expect(!a.figures.contains { $0.name == "service inferred from" })
    }

    @Test func logGroupFallbackIsMarked() throws {
        var s = Scenario()
        for i in 0..<3 {
            s.add(.accessDenied, at: Double(i), task: Scenario.task(8), service: .some(nil), cluster: .some(nil),
                  logGroup: "/ecs/orders-api", logStream: "orders/app/\(Scenario.task(8))") { $0.role = "r" }
        }
        let a = try #require(s.run().firing.first)
        #expect(a.service == "orders-api")
        #expect(a.cluster == nil)
        #expect(a.figures.contains(Figure("service inferred from", "log group /ecs/orders-api")))
    }

    @Test func streamFallbackUsesTheContainerName() throws {
        var s = Scenario()
        for i in 0..<3 {
            s.add(.accessDenied, at: Double(i), service: .some(nil), cluster: .some(nil), logStream: "web/nginx/\(Scenario.task(9))") {
                $0.role = "r"
            }
        }
        let a = try #require(s.run().firing.first)
        #expect(a.service == "nginx")
        #expect(a.figures.contains(Figure("service inferred from", "log stream web/nginx/\(Scenario.task(9))")))
    }

    @Test func noteRecordWithTheLogGroupIsAnIdentityFallback() {
        var engine = DiagnosisEngine()
        var out: [AlertTransition] = []
        var s = Scenario(service: nil, cluster: nil)
        let task = Scenario.task(11)
        engine.noteRecord(time: Scenario.at(0), isApplicationLog: true, task: task, logGroup: "/ecs/payments")
        for i in 1...3 { engine.ingest(s.make(.accessDenied, at: Double(i), task: task) { $0.role = "r" }) }
        engine.noteRecord(time: Scenario.at(100), isApplicationLog: false, task: nil)
        engine.drain(into: &out)
        #expect(out.first?.service == "payments")
        #expect(engine.stats.logTasks == 1)
    }

    @Test func aLogRecordWithItsStreamBytesTeachesTheStreamOnce() {
        var engine = DiagnosisEngine()
        var out: [AlertTransition] = []
        var s = Scenario(service: nil, cluster: nil)
        let task = Scenario.task(12)
        let group = Array("/ecs/payments".utf8), stream = Array("ecs/api/\(task)".utf8)
        func note(_ t: Double, _ g: [UInt8], _ st: [UInt8]) -> Bool {
            g.withUnsafeBytes { g in
                st.withUnsafeBytes { st in
                    engine.noteLogRecord(time: Scenario.at(t), task: task, logGroupBytes: g, logStreamBytes: st)
                }
            }
        }
        #expect(!note(0, [], []))
        #expect(!engine.knowsStream(of: task))
        #expect(note(1, group, stream))
        #expect(engine.knowsStream(of: task))
        #expect(!note(2, group, stream))
        for i in 3...5 { engine.ingest(s.make(.accessDenied, at: Double(i), task: task) { $0.role = "r" }) }
        engine.noteRecord(time: Scenario.at(100), isApplicationLog: false, task: nil)
        engine.drain(into: &out)
        #expect(out.first?.service == "payments")
        #expect(engine.stats.logTasks == 1)
        #expect(engine.stats.identityTasks == 1)
    }

    @Test func clusterIsLearnedForTheService() {
        var s = Scenario()
        s.add(.steadyState, at: 0, service: "orders-api", cluster: "prod")
        for i in 1...3 { s.add(.accessDenied, at: Double(i), service: "orders-api", cluster: .some(nil)) { $0.role = "r" } }
        #expect(s.run().firing.first?.cluster == "prod")
    }

    // MARK: Reload and checkpoint

    @Test func reloadKeepsCorrelationState() {
        var s = Scenario()
        for i in 0..<2 { s.denial(at: Double(i)) }
        var engine = DiagnosisEngine()
        var out: [AlertTransition] = []
        for item in s.sorted { Scenario.feed(item, &engine); engine.drain(into: &out) }
        var newSettings = RuleSettings()
        newSettings.accessDenied.clearSeconds = 900
        engine.update(settings: newSettings, context: AntiPrimerStory.context)
        var t = Scenario()
        t.nextLine = 100
        t.denial(at: 2)
        t.add(.steadyState, at: 3000)
        for item in t.sorted { Scenario.feed(item, &engine); engine.drain(into: &out) }
        engine.finish(into: &out)
        #expect(out.map(\.status) == [.firing, .resolved])
        #expect(out[0].summary.contains("granted on the execution role"))
        #expect(out[1].at == Scenario.at(902))
    }

    @Test func checkpointMidStreamGivesTheSameOutput() throws {
        let items = AntiPrimerStory.build(logEvery: 30, requestsPerMinute: 10).sorted
        let whole = Scenario.run(items).transitions
        var engine = DiagnosisEngine()
        var out: [AlertTransition] = []
        let cut = items.count / 2
        for item in items[..<cut] { Scenario.feed(item, &engine); engine.drain(into: &out) }
        let data = try JSONEncoder().encode(engine)
        var restored = try JSONDecoder().decode(DiagnosisEngine.self, from: data)
        for item in items[cut...] { Scenario.feed(item, &restored); restored.drain(into: &out) }
        restored.finish(into: &out)
        #expect(out == whole)
    }

    // MARK: Bounds

    /// 1 M signals over 100 000 tasks in release builds or with `ECSDIAGD_SOAK=1`; a debug `swift test` feeds
    /// 100 000 signals over 20 000 tasks against a cap of 1 000 (the same 20× pressure on every table, in ~1 s).
    static var soak: (signals: Int, tasks: Int, cap: Int) {
        #if DEBUG
        if ProcessInfo.processInfo.environment["ECSDIAGD_SOAK"] == nil { return (100_000, 20_000, 1_000) }
        #endif
        return (1_000_000, 100_000, 5_000)
    }

    @Test func stateStaysBoundedWhateverTheInputLength() {
        let size = Self.soak
        let perTask = size.signals / size.tasks
        var cfg = RuleSettings()
        cfg.engine.maxTrackedTasks = size.cap
        cfg.engine.idleEvictionSeconds = 600
        var engine = DiagnosisEngine(settings: cfg)
        var out: [AlertTransition] = []
        let tasks = (0..<size.tasks).map { Scenario.task($0) }
        let services = (0..<50).map { "svc-\($0)" }
        var peak = 0
        var peakBuffer = 0
        var template = Signal(time: Scenario.at(0), source: SourceRef(input: 0, line: 0), sourceText: "f:1", kind: .taskRunning,
                              service: nil, cluster: "prod", task: nil, line: "x")
        for i in 0..<size.signals {
            let taskIndex = i / perTask
            template.time = EventTime(milliseconds: Scenario.base + Int64(i) * 20)
            template.source.line = Int64(i)
            template.task = tasks[taskIndex]
            template.service = services[taskIndex % services.count]
            switch i % perTask {
            case 0: template.kind = .taskRunning
            case perTask - 1: template.kind = .taskStopped; template.detail.failureClass = .benign
            default: template.kind = .resourceUsage; template.detail.cpuPercent = 20; template.detail.failureClass = nil
            }
            engine.ingest(template)
            if i % perTask == 1 { engine.noteLogRecord(time: template.time, task: template.task) }
            if i % 500 == 0 {
                engine.drain(into: &out)
                let st = engine.stats
                peak = max(peak, st.maxTaskTable)
                peakBuffer = max(peakBuffer, st.bufferedSignals)
            }
        }
        engine.finish(into: &out)
        let st = engine.stats
        #expect(peak <= size.cap)
        #expect(st.maxTaskTable <= size.cap)
        #expect(peakBuffer <= 2_000)
        #expect(st.services <= 50)
        #expect(st.timelineServices <= 50)
        #expect(engine.releasedSignals == size.signals)
        #expect(out.isEmpty)
    }

    // MARK: Timelines and catalog

    @Test func timelinesCountPerServicePerMinute() throws {
        var s = Scenario()
        s.add(.taskRunning, at: 0, task: Scenario.task(1))
        for x in stride(from: 1.0, to: 120, by: 1) { s.log(at: x, task: Scenario.task(1)) }
        s.denial(at: 10)
        s.add(.httpError, at: 11) { $0.status = 502; $0.origin = "alb" }
        s.add(.httpError, at: 12) { $0.status = 404; $0.origin = "alb" }
        s.add(.resourceUsage, at: 70, task: Scenario.task(1)) { $0.cpuPercent = 55.5 }
        s.add(.taskStopped, at: 100, task: Scenario.task(1)) { $0.failureClass = .crash }
        let (_, engine) = Scenario.run(s.sorted)
        let tl = try #require(engine.timelines.first)
        #expect(tl.service == "orders-api")
        #expect(tl.cluster == "prod")
        #expect(tl.minutes.count == 2)
        #expect(tl.minutes[0].minute == Scenario.at(0))
        #expect(tl.minutes[0].logRecords == 59)
        #expect(tl.minutes[0].denials == 1)
        #expect(tl.minutes[0].http5xx == 1)
        #expect(tl.minutes[1].logRecords == 60)
        #expect(tl.minutes[1].maxCPUPercent == 55.5)
        #expect(tl.minutes[1].taskFailures == 1)
    }

    @Test func catalogDocumentsEveryRuleCauseAndDefault() {
        let entries = RuleCatalog.entries()
        #expect(entries.map(\.rule) == RuleID.allCases)
        #expect(Set(entries.map(\.messageID)).count == 4)
        #expect(entries.flatMap(\.causes).map(\.cause).sorted() == Cause.allCases.sorted())
        for e in entries {
            #expect(e.messageID.count == 32)
            #expect(e.footgun.count > 200)
            #expect(!e.settings.isEmpty)
            #expect(!e.notFiredBy.isEmpty)
            #expect(e.causes.allSatisfy { !$0.summary.isEmpty })
        }
        #expect(entries[0].settings.first == RuleCatalog.Setting(key: "rules.access-denied.threshold", value: "3", meaning: "denials of one cause for one service that fire"))
        var custom = RuleSettings()
        custom.restartLoop.threshold = 5
        #expect(RuleCatalog.entries(settings: custom)[1].fires.hasPrefix("≥ 5 task failures"))
        #expect(RuleCatalog.engineSettings().map(\.value) == ["30", "21600", "200000", "300"])
    }

    @Test func formatting() {
        #expect(EngineFormat.number(34.8) == "34.8")
        #expect(EngineFormat.number(26.0) == "26")
        #expect(EngineFormat.number(0.05, decimals: 1) == "0.1")
        #expect(EngineFormat.number(-2.25, decimals: 2) == "-2.25")
        #expect(EngineFormat.roundUp(34.8 * 1.5, to: 10) == 60)
        #expect(EngineFormat.roundUp(40, to: 10) == 40)
        #expect(EngineFormat.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95) == 10)
        #expect(EngineFormat.percentile([30, 34.8], 0.95) == 34.8)
        #expect(EngineFormat.duration(840) == "14 min")
        #expect(EngineFormat.shellQuote("prod") == "prod")
        #expect(EngineFormat.shellQuote("a b'c") == "'a b'\\''c'")
        #expect(AWSNames.policyResource(for: "arn:aws:s3:::orders-invoices/2026/x.pdf") == "arn:aws:s3:::orders-invoices/*")
        #expect(AWSNames.policyResource(for: "https://sqs.eu-west-1.amazonaws.com/") == "*")
        #expect(AWSNames.serviceName(fromLogGroup: "/ecs/orders-api") == "orders-api")
        #expect(AWSNames.logGroupName(fromArn: "arn:aws:logs:eu-central-1:1:log-group:/ecs/x:log-stream:") == "/ecs/x")
        #expect(AWSNames.roleAndSession(ofPrincipal: "arn:aws:sts::1:assumed-role/orders-task-role/2d84").role == "orders-task-role")
    }

    @Test("a target group counts for one service key: binding it again moves it (no cluster-less twin)")
    func targetGroupRebindingMovesIt() {
        var e = DiagnosisEngine()
        let arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef"
        let other = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-canary/fedcba9876543210"
        let staging = ServiceKey(cluster: "staging", service: "web")
        let prod = ServiceKey(cluster: "prod", service: "web")
        e.bindTargetGroup(arn, toService: "web", cluster: "staging")
        e.bindTargetGroup(other, toService: "web", cluster: "staging")
        e.bindTargetGroup(arn, toService: "web", cluster: "prod")
        #expect(e.saturation.services[prod]?.targetGroups == [ByteHash.fnv1a(arn)])
        #expect(e.saturation.services[prod]?.targetGroupArns == [arn])
        // The other target group stays where it was, its ARN still beside its hash.
        #expect(e.saturation.services[staging]?.targetGroups == [ByteHash.fnv1a(other)])
        #expect(e.saturation.services[staging]?.targetGroupArns == [other])
    }
}
