import DiagnosisRules
import ECSDiagKit
import LogDecoding

/// Transitions and run reports shaped like the anti-primer story, for the triage tests.
enum TriageFixtures {
    /// 2026-11-20 at `hh:mm:ss` UTC.
    static func at(_ h: Int, _ m: Int, _ s: Double = 0) -> EventTime {
        let day = CivilTime.days(year: 2026, month: 11, day: 20)
        return EventTime(milliseconds: (day * 86_400 + Int64(h * 3600 + m * 60)) * 1000 + Int64((s * 1000).rounded()))
    }

    static func transition(
        _ cause: Cause, _ status: AlertStatus, first: EventTime, last: EventTime, at: EventTime, count: Int = 3,
        service: String? = "orders-api", cluster: String? = "prod", summary: String = "summary",
        evidence: [Evidence]? = nil, remediation: String = "Do the fix: aws ecs update-service --cluster prod --service orders-api.",
        figures: [Figure] = []
    ) -> AlertTransition {
        AlertTransition(
            rule: cause.rule, status: status, cause: cause, cluster: cluster, service: service, taskIDs: ["t1"],
            firstSeen: first, lastSeen: last, at: at, count: count, summary: summary,
            evidence: evidence ?? [Evidence(time: first, source: "logs/app.json:\(count)", line: "evidence for \(cause.rawValue)")],
            remediation: remediation, figures: figures)
    }

    /// The story's four alerts, emitted in an order different from first evidence (saturation fires before
    /// restart-loop is resolved; missing-logs is still firing at the end).
    static var story: [AlertTransition] {
        [
            transition(.taskRoleMissingPermission, .firing, first: at(9, 0, 12.301), last: at(9, 0, 36), at: at(9, 1, 6),
                       summary: "3 AccessDenied on s3:GetObject as role orders-task-role",
                       figures: [Figure("denials", "3"), Figure("action", "s3:GetObject"), Figure("role", "orders-task-role")]),
            transition(.healthCheckGracePeriod, .firing, first: at(10, 0, 26), last: at(10, 4, 46.864), at: at(10, 5, 17)),
            transition(.taskRoleMissingPermission, .resolved, first: at(9, 0, 12.301), last: at(9, 44), at: at(9, 54), count: 38,
                       summary: "No denial for 10 min after 38 AccessDenied on s3:GetObject as role orders-task-role",
                       figures: [Figure("denials", "38"), Figure("action", "s3:GetObject"), Figure("role", "orders-task-role"),
                                 Figure("granted on execution role", "orders-api-ExecutionRole-1A2B3C4D5E6F")]),
            transition(.fixedDesiredCount, .firing, first: at(11, 0), last: at(11, 5), at: at(11, 5, 30),
                       figures: [Figure("desired count", "2")]),
            transition(.healthCheckGracePeriod, .resolved, first: at(10, 0, 26), last: at(10, 13, 28.49), at: at(10, 29), count: 7,
                       figures: [Figure("restarts", "7"), Figure("recommended grace period", "70 s"), Figure("startup p95", "34.8 s")]),
            transition(.fixedDesiredCount, .resolved, first: at(11, 0), last: at(11, 15), at: at(11, 25), count: 15),
            transition(.noLogOutput, .firing, first: at(12, 1, 5.4), last: at(12, 6, 5.4), at: at(12, 6, 35.4)),
        ]
    }

    /// A run report whose inputs hold the given formats.
    static func run(_ formats: [InputFormat], applicationLogs: Bool) -> PipelineReport {
        var report = PipelineReport()
        report.inputs = [InputReport(path: "in/all.log", bytes: 1000, records: 10, formats: formats.map(\.name), problems: [])]
        report.sawApplicationLogs = applicationLogs
        return report
    }

    /// Every kind of input: app logs, ECS events, Container Insights and ALB.
    static var fullRun: PipelineReport {
        run([.cloudWatchFilterLogEvents, .eventBridge, .containerInsights, .albAccessLog, .gzip], applicationLogs: true)
    }

    /// A timeline of orders-api with a few minutes of data.
    static var timelines: [ServiceTimeline] {
        var a = TimelineMinute(minute: at(9, 0))
        a.denials = 3
        a.http5xx = 20
        a.logRecords = 40
        var b = TimelineMinute(minute: at(9, 2))
        b.denials = 1
        b.logRecords = 12
        var c = TimelineMinute(minute: at(11, 1))
        c.maxCPUPercent = 99.6
        var d = TimelineMinute(minute: at(12, 10))
        d.taskFailures = 1
        return [ServiceTimeline(cluster: "prod", service: "orders-api", minutes: [a, b, c, d])]
    }
}
