import DiagnosisRules
import ECSDiagKit
import LogDecoding
import Testing

struct TriageReportBuilderTests {
    typealias F = TriageFixtures

    @Test func findingsAreOrderedByFirstEvidenceAndNumbered() {
        let report = TriageReportBuilder().build(transitions: F.story, timelines: F.timelines, run: F.fullRun)
        #expect(report.findings.map(\.rule) == [.accessDenied, .restartLoop, .saturation, .missingLogs])
        #expect(report.findings.map(\.number) == [1, 2, 3, 4])
        #expect(report.findings.map(\.cause) == [.taskRoleMissingPermission, .healthCheckGracePeriod, .fixedDesiredCount, .noLogOutput])
    }

    @Test func orderFollowsEvidenceNotEmission() {
        // Emitted missing-logs first, access-denied last: the chain still starts with the earliest evidence.
        let late = F.transition(.noLogOutput, .firing, first: F.at(12, 1), last: F.at(12, 6), at: F.at(9, 30))
        let early = F.transition(.taskRoleMissingPermission, .firing, first: F.at(9, 0), last: F.at(9, 1), at: F.at(13, 0))
        let report = TriageReportBuilder().build(transitions: [late, early], timelines: [], run: F.fullRun)
        #expect(report.findings.map(\.rule) == [.accessDenied, .missingLogs])
    }

    @Test func episodesMergeFiringAndResolved() throws {
        let report = TriageReportBuilder().build(transitions: F.story, timelines: F.timelines, run: F.fullRun)
        let denied = try #require(report.findings.first)
        #expect(denied.status == .resolved)
        #expect(denied.resolvedAt == F.at(9, 54))
        #expect(denied.count == 38)
        #expect(denied.episodes == 1)
        #expect(denied.firstSeen == F.at(9, 0, 12.301))
        #expect(denied.firedAt == F.at(9, 1, 6))
        #expect(denied.lastSeen == F.at(9, 44))
        #expect(denied.summary == "3 AccessDenied on s3:GetObject as role orders-task-role")
        #expect(denied.resolution?.hasPrefix("No denial for 10 min after 38") == true)
        #expect(denied.figures.first { $0.name == "denials" }?.value == "38")
        #expect(denied.fix == "Grant s3:GetObject to the task role orders-task-role, not the execution role orders-api-ExecutionRole-1A2B3C4D5E6F")
        #expect(denied.consequence == "The app cannot use AWS resources it needs: requests fail (HTTP 500s)")
        #expect(denied.title == "Task role vs execution role confusion")

        let grace = report.findings[1]
        #expect(grace.fix.hasPrefix("Set healthCheckGracePeriodSeconds to 70"))
        #expect(grace.consequence == "ECS kills and restarts tasks in a loop")
        #expect(report.findings[2].consequence == "Tasks saturated: slow responses, customers abandon")
        let logs = report.findings[3]
        #expect(logs.status == .firing)
        #expect(logs.resolvedAt == nil)
        #expect(logs.resolution == nil)
        #expect(logs.consequence == "When it fails there are no logs to diagnose it")
    }

    @Test func openAlertsGiveTheLatestStateOfFiringEpisodes() {
        var snapshot = F.transition(.noLogOutput, .firing, first: F.at(12, 1, 5.4), last: F.at(12, 21, 2.2), at: F.at(12, 6, 35.4), count: 3)
        snapshot.summary = "3 RUNNING tasks wrote no log record"
        snapshot.figures = [Figure("silent tasks", "3")]
        let report = TriageReportBuilder().build(transitions: F.story, openAlerts: [snapshot], timelines: [], run: F.fullRun)
        let logs = report.findings[3]
        #expect(logs.summary == "3 RUNNING tasks wrote no log record")
        #expect(logs.lastSeen == F.at(12, 21, 2.2))
        #expect(logs.figures == [Figure("silent tasks", "3")])
    }

    @Test func aRefiringAlertIsOneFindingWithTwoEpisodes() {
        let a = F.transition(.taskRoleMissingPermission, .firing, first: F.at(9, 0), last: F.at(9, 1), at: F.at(9, 1), count: 3)
        let b = F.transition(.taskRoleMissingPermission, .resolved, first: F.at(9, 0), last: F.at(9, 2), at: F.at(9, 12), count: 4)
        let c = F.transition(.taskRoleMissingPermission, .firing, first: F.at(10, 0), last: F.at(10, 1), at: F.at(10, 1), count: 3)
        let report = TriageReportBuilder().build(transitions: [a, b, c], timelines: [], run: F.fullRun)
        #expect(report.findings.count == 1)
        #expect(report.findings[0].episodes == 2)
        #expect(report.findings[0].count == 7)
        #expect(report.findings[0].status == .firing)
        #expect(report.findings[0].firstSeen == F.at(9, 0))
        #expect(report.findings[0].lastSeen == F.at(10, 1))
    }

    @Test func differentServicesAreDifferentFindings() {
        let a = F.transition(.taskRoleMissingPermission, .firing, first: F.at(9, 0), last: F.at(9, 1), at: F.at(9, 1), service: "orders-api")
        let b = F.transition(.taskRoleMissingPermission, .firing, first: F.at(9, 5), last: F.at(9, 6), at: F.at(9, 6), service: "payments-api")
        let report = TriageReportBuilder().build(transitions: [b, a], timelines: [], run: F.fullRun)
        #expect(report.findings.map(\.service) == ["orders-api", "payments-api"])
        #expect(report.headline.services == ["prod/orders-api", "prod/payments-api"])
    }

    @Test func evidenceIsMergedDeduplicatedAndCapped() {
        let lines = (0..<8).map { Evidence(time: F.at(9, $0), source: "a.log:\($0)", line: "denied \($0)") }
        let a = F.transition(.taskRoleMissingPermission, .firing, first: F.at(9, 0), last: F.at(9, 3), at: F.at(9, 3), evidence: Array(lines[0..<4]))
        let b = F.transition(.taskRoleMissingPermission, .resolved, first: F.at(9, 0), last: F.at(9, 7), at: F.at(9, 20), evidence: Array(lines[0..<3]) + Array(lines[6..<8]))
        let report = TriageReportBuilder().build(transitions: [a, b], timelines: [], run: F.fullRun)
        #expect(report.findings[0].evidence.map(\.source) == ["a.log:0", "a.log:1", "a.log:2", "a.log:6", "a.log:7"])
    }

    // MARK: Checks

    @Test func everyRuleFoundWithEveryInput() {
        let report = TriageReportBuilder().build(transitions: F.story, timelines: F.timelines, run: F.fullRun)
        let rules = report.checks.filter { if case .rule = $0.subject { true } else { false } }
        #expect(rules.map(\.verdict) == [.found, .found, .found, .found])
        #expect(rules.allSatisfy { $0.notJudged == nil })
        #expect(rules.map(\.findings) == [[1], [2], [3], [4]])
    }

    @Test func nothingFoundWithEveryInputIsFine() {
        let report = TriageReportBuilder().build(transitions: [], timelines: [], run: F.fullRun)
        #expect(report.checks.map(\.verdict) == [.fine, .fine, .fine, .fine])
        #expect(report.checks.allSatisfy { $0.notJudged == nil && $0.checked != nil })
        #expect(report.headline.findingCount == 0)
        #expect(report.headline.worst == nil)
        #expect(report.headline.text.hasPrefix("No ECS footgun diagnosed"))
        #expect(report.findings.isEmpty && report.timelines.isEmpty && report.span == nil)
    }

    @Test func withoutApplicationLogsAccessDeniedAndSilentTasksAreNotJudged() throws {
        let run = F.run([.eventBridge, .containerInsights, .albAccessLog], applicationLogs: false)
        let report = TriageReportBuilder().build(transitions: [], timelines: [], run: run)
        let byRule = Dictionary(uniqueKeysWithValues: report.checks.map { ($0.subject.name, $0) })
        let denied = try #require(byRule["access-denied"])
        #expect(denied.verdict == .fine)  // agent-side denials were checked in the ECS events
        #expect(denied.notJudged?.contains("no CloudWatch application logs") == true)
        let logs = try #require(byRule["missing-logs"])
        #expect(logs.verdict == .fine)  // logger failures at start were checked
        #expect(logs.notJudged?.contains("no-log-output") == true)
        #expect(byRule["restart-loop"]?.verdict == .fine)
        #expect(byRule["saturation"]?.verdict == .fine)
        #expect(byRule["saturation"]?.notJudged == nil)
    }

    @Test func withApplicationLogsOnlyTheRulesNeedingEventsAndMetricsAreNotJudged() throws {
        let run = F.run([.tailDetailed], applicationLogs: true)
        let report = TriageReportBuilder().build(transitions: [], timelines: [], run: run)
        let byRule = Dictionary(uniqueKeysWithValues: report.checks.map { ($0.subject.name, $0) })
        #expect(byRule["access-denied"]?.verdict == .fine)
        #expect(byRule["access-denied"]?.basis == ["aws logs tail (detailed)"])
        #expect(byRule["restart-loop"]?.verdict == .notJudged)
        #expect(byRule["restart-loop"]?.notJudged?.contains("no ECS events") == true)
        #expect(byRule["saturation"]?.verdict == .notJudged)
        #expect(byRule["saturation"]?.notJudged?.contains("no Container Insights, metric stream or ALB") == true)
        #expect(byRule["missing-logs"]?.verdict == .notJudged)
    }

    @Test func latencyWithoutUtilisationIsPartlyJudged() throws {
        let run = F.run([.albAccessLog], applicationLogs: false)
        let report = TriageReportBuilder().build(transitions: [], timelines: [], run: run)
        let saturation = try #require(report.checks.first { $0.subject == .rule(.saturation) })
        #expect(saturation.verdict == .fine)
        #expect(saturation.checked?.contains("latency") == true)
        #expect(saturation.notJudged?.contains("CPU and memory saturation could not be judged") == true)
        #expect(saturation.basis == ["ALB access log"])
    }

    @Test func aFindingWithoutItsUsualInputsStillCountsAsFound() {
        let t = F.transition(.logGroupMissing, .firing, first: F.at(12, 0), last: F.at(12, 1), at: F.at(12, 1))
        let run = F.run([.eventBridge], applicationLogs: false)
        let report = TriageReportBuilder().build(transitions: [t], timelines: [], run: run)
        let check = report.checks.first { $0.subject == .rule(.missingLogs) }
        #expect(check?.verdict == .found)
        #expect(check?.notJudged?.contains("no-log-output") == true)
    }

    // MARK: Headline

    @Test func headlineNamesServicesSinceAndWorst() {
        let report = TriageReportBuilder().build(transitions: F.story, timelines: F.timelines, run: F.fullRun)
        let h = report.headline
        #expect(h.services == ["prod/orders-api"])
        #expect(h.since == F.at(9, 0, 12.301))
        #expect(h.findingCount == 4)
        #expect(h.firingCount == 1)
        // Critical beats error; among the two critical (both resolved) the earliest.
        #expect(h.worst == 1)
        #expect(h.text.hasPrefix("prod/orders-api affected since 2026-11-20 09:00:12 UTC: 4 findings, 1 still firing."))
        #expect(h.text.contains("Worst: #1 access-denied (task-role-missing-permission), critical"))
    }

    @Test func aFiringCriticalFindingIsWorseThanAResolvedOne() {
        let story = F.story.filter { !($0.rule == .restartLoop && $0.status == .resolved) }
        let report = TriageReportBuilder().build(transitions: story, timelines: [], run: F.fullRun)
        #expect(report.headline.worst == 2)
        #expect(report.headline.firingCount == 2)
    }

    // MARK: Timelines

    @Test func timelinesAreDenseOverThePaddedSpanClippedToData() throws {
        let report = TriageReportBuilder().build(transitions: F.story, timelines: F.timelines, run: F.fullRun)
        let span = try #require(report.span)
        #expect(span.start == F.at(9, 0, 12.301))
        #expect(span.end == F.at(12, 6, 5.4))
        #expect(report.timelines.count == 1)
        let t = report.timelines[0]
        #expect(t.target == "prod/orders-api")
        #expect(t.start == F.at(9, 0))  // 08:55 padding clipped to the first recorded minute
        #expect(t.minutes.count == 191)  // 09:00 … 12:10 (12:11 clipped to the last recorded minute)
        #expect(t.minutes.map(\.minute) == (0..<191).map { F.at(9, 0).adding(milliseconds: Int64($0) * 60_000) })
        #expect(t.minutes[0].denials == 3 && t.minutes[2].denials == 1 && t.minutes[1].denials == 0)
        #expect(t.minutes[121].maxCPUPercent == 99.6)
        #expect(t.minutes[120].maxCPUPercent == nil)
        #expect(t.minutes[190].taskFailures == 1)
    }

    @Test func timelinesOnlyForAffectedServices() {
        var other = F.timelines
        other.append(ServiceTimeline(cluster: "prod", service: "healthy-api", minutes: [TimelineMinute(minute: F.at(9, 0))]))
        let report = TriageReportBuilder().build(transitions: F.story, timelines: other, run: F.fullRun)
        #expect(report.timelines.map(\.service) == ["orders-api"])
    }

    // MARK: Journal

    @Test func journalReportsDoNotClaimFineAndSayTimelinesAreMissing() {
        let window = TriageWindow(since: F.at(8, 0), until: nil)
        let report = TriageReportBuilder().build(journal: Array(F.story.prefix(3)), window: window)
        #expect(report.origin == .journal)
        #expect(report.window == window)
        #expect(report.findings.map(\.rule) == [.accessDenied, .restartLoop])
        #expect(report.timelines.isEmpty && report.inputs.isEmpty)
        #expect(report.checks.map(\.verdict) == [.found, .found, .notJudged, .notJudged, .notJudged])
        #expect(report.checks.last?.subject == .timeline)
        #expect(report.checks.last?.notJudged?.contains("timelines") == true)
        #expect(!report.checks.contains { $0.verdict == .fine })
    }

    @Test func aResolutionWithoutItsFiringIsStillAFinding() {
        let resolved = F.transition(.fixedDesiredCount, .resolved, first: F.at(11, 0), last: F.at(11, 15), at: F.at(11, 25))
        let report = TriageReportBuilder().build(journal: [resolved], window: TriageWindow(since: nil, until: nil))
        #expect(report.findings.count == 1)
        #expect(report.findings[0].status == .resolved)
        #expect(report.findings[0].resolvedAt == F.at(11, 25))
    }
}
