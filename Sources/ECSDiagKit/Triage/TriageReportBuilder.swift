import DiagnosisRules

/// Builds a ``TriageReport`` from alert transitions: from one replay of saved logs (with the engine's timelines and
/// the pipeline's input report) or from the daemon's alerts read back from the journal.
///
/// Transitions are grouped per alert key (rule, cluster, service, cause) into findings: every firing opens an
/// episode, every resolution closes one, and the latest state of an episode still open at the end is taken from
/// the engine's firing alerts when given. Findings are ordered by first evidence — the root-cause chain.
///
/// ```swift
/// let pipeline = DiagnosisPipeline(inputs: inputs)
/// let report = try TriageReportBuilder().replay(pipeline)
/// print(TriageTextRenderer(width: 100, color: false).render(report))
/// ```
public struct TriageReportBuilder: Sendable {
    /// Minutes shown before the first evidence and after the last one in timelines.
    public var timelinePaddingMinutes: Int64 = 5
    /// Most minutes in a timeline (the engine keeps 24 h).
    public var maximumTimelineMinutes: Int64 = 24 * 60

    /// Creates a builder.
    public init() {}

    // MARK: Entry points

    /// Runs `pipeline` over its inputs and builds the report of that run.
    ///
    /// - Parameters:
    ///   - pipeline: A pipeline that has not run yet.
    ///   - progress: Called now and then with (bytes read, records decoded), for a progress line.
    /// - Returns: The report.
    /// - Throws: `InputPathError` when an input cannot be opened.
    public func replay(_ pipeline: DiagnosisPipeline, progress: ((Int, Int) -> Void)? = nil) throws(InputPathError) -> TriageReport {
        var transitions: [AlertTransition] = []
        let run = try pipeline.run(.init(transition: { transitions.append($0) }, progress: progress))
        return build(
            transitions: transitions, openAlerts: pipeline.engine.firingAlerts, timelines: pipeline.engine.timelines,
            run: run)
    }

    /// Builds the report of a replay.
    ///
    /// - Parameters:
    ///   - transitions: Every transition of the run, in emission order.
    ///   - openAlerts: The engine's firing alerts at the end (`DiagnosisEngine.firingAlerts`): fresher counts,
    ///     evidence and figures for the episodes still open.
    ///   - timelines: The engine's per-service, per-minute timelines.
    ///   - run: The pipeline's report: which formats were read decides what could be judged.
    public func build(
        transitions: [AlertTransition], openAlerts: [AlertTransition] = [], timelines: [ServiceTimeline],
        run: PipelineReport
    ) -> TriageReport {
        let findings = Self.findings(from: transitions, openAlerts: openAlerts)
        let coverage = TriageInputCoverage(run)
        var checks = RuleID.allCases.map { rule -> TriageCheck in
            let numbers = findings.filter { $0.rule == rule }.map(\.number)
            let j = coverage.judgement(of: rule)
            let verdict: TriageCheck.Verdict = !numbers.isEmpty ? .found : (j.checked == nil ? .notJudged : .fine)
            return TriageCheck(
                subject: .rule(rule), verdict: verdict, checked: j.checked, notJudged: j.notJudged, findings: numbers,
                basis: j.basis)
        }
        let span = Self.span(of: findings)
        let charts = self.timelines(timelines, findings: findings, span: span)
        if !findings.isEmpty, charts.isEmpty {
            checks.append(TriageCheck(
                subject: .timeline, verdict: .notJudged, checked: nil,
                notJudged: "no per-minute counts were recorded for the affected services (their records named no service the engine could resolve)"))
        }
        let inputs = run.inputs.map {
            TriageInput(path: $0.path, bytes: $0.bytes, records: $0.records, formats: $0.formats, problems: $0.problemCount)
        }
        return TriageReport(
            origin: .logs, headline: Self.headline(findings), findings: findings, timelines: charts, checks: checks,
            inputs: inputs, span: span)
    }

    /// Builds the report of the daemon's alerts read back from the journal (see ``TriageJournal``).
    ///
    /// The journal holds alert transitions only: no timelines, no measured figures beyond the summaries, and no
    /// record of which inputs the daemon read — a rule without alerts is reported as not judged, not as fine.
    ///
    /// - Parameters:
    ///   - transitions: Transitions rebuilt with `AlertJournalEntry.transition(from:)`, in journal order.
    ///   - window: The `--since`/`--until` window that was read.
    public func build(journal transitions: [AlertTransition], window: TriageWindow) -> TriageReport {
        let findings = Self.findings(from: transitions, openAlerts: [])
        let range = Self.describe(window)
        var checks = RuleID.allCases.map { rule -> TriageCheck in
            let numbers = findings.filter { $0.rule == rule }.map(\.number)
            if !numbers.isEmpty {
                return TriageCheck(
                    subject: .rule(rule), verdict: .found, checked: "alerts journaled by the ecsdiagd daemon \(range)",
                    notJudged: nil, findings: numbers, basis: ["systemd journal"])
            }
            return TriageCheck(
                subject: .rule(rule), verdict: .notJudged, checked: nil,
                notJudged: "no \(rule.rawValue) alert in the journal \(range); the journal records alerts, not which log sources the daemon followed, so this is not a clean bill of health",
                basis: ["systemd journal"])
        }
        checks.append(TriageCheck(
            subject: .timeline, verdict: .notJudged, checked: nil,
            notJudged: "timelines and measured figures are not available from the journal: the daemon journals alert transitions (summary, evidence, fix), not per-minute counts; run ecsdiagd triage PATH… on the saved logs for them",
            basis: ["systemd journal"]))
        return TriageReport(
            origin: .journal, headline: Self.headline(findings), findings: findings, timelines: [], checks: checks,
            inputs: [], span: Self.span(of: findings), window: window)
    }

    // MARK: Findings

    private struct Episode {
        var firing: AlertTransition
        var latest: AlertTransition
        var resolved: AlertTransition?
    }

    /// Groups transitions into findings ordered by first evidence, numbered from 1.
    static func findings(from transitions: [AlertTransition], openAlerts: [AlertTransition]) -> [TriageFinding] {
        var episodes: [AlertKey: [Episode]] = [:]
        var order: [AlertKey] = []
        for t in transitions {
            let key = AlertKey(rule: t.rule, service: ServiceKey(cluster: t.cluster, service: t.service ?? ""), cause: t.cause)
            var list = episodes[key] ?? []
            if list.isEmpty { order.append(key) }
            switch t.status {
            case .firing:
                if let last = list.last, last.resolved == nil {
                    list[list.count - 1].latest = t
                } else {
                    list.append(Episode(firing: t, latest: t, resolved: nil))
                }
            case .resolved:
                if let last = list.last, last.resolved == nil {
                    list[list.count - 1].latest = t
                    list[list.count - 1].resolved = t
                } else {
                    // A resolution without its firing (journal window starting mid-alert): the episode is known
                    // from the resolution alone.
                    list.append(Episode(firing: t, latest: t, resolved: t))
                }
            }
            episodes[key] = list
        }
        for open in openAlerts {
            let key = AlertKey(rule: open.rule, service: ServiceKey(cluster: open.cluster, service: open.service ?? ""), cause: open.cause)
            guard var list = episodes[key], let last = list.last, last.resolved == nil else { continue }
            list[list.count - 1].latest = open
            episodes[key] = list
        }

        var out: [TriageFinding] = []
        for key in order {
            guard let list = episodes[key], let first = list.first, let last = list.last else { continue }
            let closing = last.resolved
            let current = last.latest
            let diagnosis = closing == nil ? current : (last.firing.status == .firing ? last.firing : current)
            let evidence = mergedEvidence(list.flatMap { [$0.firing.evidence, $0.latest.evidence] })
            var tasks: [String] = []
            for e in list { for id in e.latest.taskIDs where !tasks.contains(id) { tasks.append(id) } }
            let figures = current.figures.isEmpty ? list.reversed().first { !$0.latest.figures.isEmpty }?.latest.figures ?? [] : current.figures
            out.append(TriageFinding(
                number: 0, rule: key.rule, cause: key.cause, severity: current.severity,
                status: closing == nil ? .firing : .resolved, cluster: key.service.cluster,
                service: key.service.serviceName, title: title(key.rule), consequence: consequence(key.rule),
                explanation: RuleCatalog.describe(key.cause),
                summary: diagnosis.summary, resolution: closing?.summary,
                fix: oneLineFix(key.cause, figures: figures),
                remediation: current.remediation.isEmpty ? list.reversed().first { !$0.latest.remediation.isEmpty }?.latest.remediation ?? "" : current.remediation,
                figures: figures, evidence: evidence, taskIDs: tasks.sorted(),
                count: list.reduce(0) { $0 + $1.latest.count }, episodes: list.count,
                firstSeen: list.map(\.firing.firstSeen).min() ?? first.firing.firstSeen,
                lastSeen: list.map(\.latest.lastSeen).max() ?? current.lastSeen,
                firedAt: first.firing.status == .firing ? first.firing.at : first.firing.firstSeen,
                resolvedAt: closing?.at))
        }
        out = mergeUnclustered(out)
        out.sort { a, b in
            if a.firstSeen != b.firstSeen { return a.firstSeen < b.firstSeen }
            if a.firedAt != b.firedAt { return a.firedAt < b.firedAt }
            if a.rule != b.rule { return a.rule < b.rule }
            if a.target != b.target { return a.target < b.target }
            return a.cause < b.cause
        }
        for i in out.indices { out[i].number = i + 1 }
        return out
    }

    /// Folds a finding whose service has no cluster (a record that named only the service, such as an ALB log line
    /// bound through a service event) into the finding of the same rule, cause and service name that has one, when
    /// exactly one cluster is known for that name: `orders-api` and `prod/orders-api` are one service to the
    /// on-call engineer. The clustered finding's summary and fix are kept (they name the cluster); counts, times,
    /// tasks and evidence are combined, and figures it lacks are added.
    static func mergeUnclustered(_ findings: [TriageFinding]) -> [TriageFinding] {
        var clusters: [String: Set<String>] = [:]
        for f in findings { if let s = f.service, let c = f.cluster { clusters[s, default: []].insert(c) } }
        var out: [TriageFinding] = []
        var folded: [TriageFinding] = []
        for f in findings {
            if f.cluster == nil, let s = f.service, clusters[s]?.count == 1 { folded.append(f) } else { out.append(f) }
        }
        for f in folded {
            guard let i = out.firstIndex(where: { $0.rule == f.rule && $0.cause == f.cause && $0.service == f.service }) else {
                out.append(f)
                continue
            }
            var m = out[i]
            m.firstSeen = min(m.firstSeen, f.firstSeen)
            m.lastSeen = max(m.lastSeen, f.lastSeen)
            m.firedAt = min(m.firedAt, f.firedAt)
            m.count += f.count
            m.episodes += f.episodes
            if m.status == .firing || f.status == .firing {
                m.status = .firing
                m.resolvedAt = nil
                m.resolution = nil
            } else if let a = m.resolvedAt, let b = f.resolvedAt, b > a {
                m.resolvedAt = b
            }
            for id in f.taskIDs where !m.taskIDs.contains(id) { m.taskIDs.append(id) }
            m.taskIDs.sort()
            for fig in f.figures where !m.figures.contains(where: { $0.name == fig.name }) { m.figures.append(fig) }
            m.evidence = mergedEvidence([m.evidence, f.evidence])
            out[i] = m
        }
        return out
    }

    /// The union of the episodes' evidence without duplicates, in time order: the first 3 and the last 2.
    static func mergedEvidence(_ lists: [[Evidence]]) -> [Evidence] {
        var seen = Set<String>()
        var all: [Evidence] = []
        for list in lists {
            for e in list where seen.insert("\(e.source)\u{0}\(e.line)\u{0}\(e.time.milliseconds)").inserted {
                all.append(e)
            }
        }
        all = all.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        guard all.count > 5 else { return all }
        return Array(all.prefix(3) + all.suffix(2))
    }

    // MARK: Words

    /// The footgun's title from the rule catalog.
    static func title(_ rule: RuleID) -> String {
        RuleCatalog.entries().first { $0.rule == rule }?.title ?? rule.rawValue
    }

    /// What the mistake does to the service, in the words of the story's postmortem.
    public static func consequence(_ rule: RuleID) -> String {
        switch rule {
        case .accessDenied: "The app cannot use AWS resources it needs: requests fail (HTTP 500s)"
        case .restartLoop: "ECS kills and restarts tasks in a loop"
        case .saturation: "Tasks saturated: slow responses, customers abandon"
        case .missingLogs: "When it fails there are no logs to diagnose it"
        }
    }

    /// The fix in one line, filled in with the measured figures when they name the role, action or value.
    public static func oneLineFix(_ cause: Cause, figures: [Figure]) -> String {
        func figure(_ name: String) -> String? {
            figures.first { $0.name == name }.map(\.value).flatMap { $0.isEmpty ? nil : $0 }
        }
        switch cause {
        case .taskRoleMissingPermission:
            let action = figure("action") ?? "the denied action"
            let role = figure("role").map { "the task role \($0)" } ?? "the task role"
            if let exec = figure("granted on execution role") {
                return "Grant \(action) to \(role), not the execution role \(exec)"
            }
            return "Grant \(action) to \(role) (app permissions belong on the task role)"
        case .executionRoleUsedByApp:
            return "Create a separate task role for the app and set taskRoleArn to it; keep the execution role for the ECS agent"
        case .noTaskRole:
            return "Add a task role (taskRoleArn) with the permissions the app needs"
        case .instanceRoleFallback:
            return "Set taskRoleArn; never grant app permissions on the instance profile"
        case .executionRoleMissingPermission:
            let action = figure("action") ?? "the denied permission"
            let role = figure("role").map { "the execution role \($0)" } ?? "the execution role"
            return "Add \(action) to \(role) (the agent needs it before the container starts)"
        case .healthCheckGracePeriod:
            if let grace = figure("recommended grace period") {
                let seconds = grace.hasSuffix(" s") ? String(grace.dropLast(2)) : grace
                let startup = figure("startup p95").map { ", longer than the app's startup (p95 \($0))" } ?? ", longer than the app's startup"
                return "Set healthCheckGracePeriodSeconds to \(seconds)\(startup)"
            }
            return "Set healthCheckGracePeriodSeconds longer than the app's startup time"
        case .containerHealthCheck:
            return "Fix the container healthCheck command or give it a startPeriod longer than startup"
        case .crash:
            return "Fix the error the container exits with (its last log lines and stop reason)"
        case .oom:
            return "Raise the task's memory limit or fix the leak"
        case .startFailure:
            return "Fix what stops tasks from starting: image, network path to the registry, execution role"
        case .fixedDesiredCount:
            let desired = figure("desired count").map { " (desired count fixed at \($0))" } ?? ""
            return "Add target-tracking auto-scaling to the service\(desired)"
        case .scalingAtMaxCapacity:
            return "Raise the scalable target's max capacity"
        case .scalingTooSlow:
            return "Scale out earlier: lower target, shorter scale-out cooldown, higher minimum"
        case .logGroupMissing:
            let group = figure("log group").map { " \($0)" } ?? ""
            return "Create the log group\(group) (or set awslogs-create-group with logs:CreateLogGroup)"
        case .loggerPermissionDenied:
            return "Allow logs:CreateLogGroup/CreateLogStream/PutLogEvents on the execution role"
        case .noLogOutput:
            let who = figure("containers without logConfiguration").map { " to \($0)" } ?? ""
            return "Add an awslogs logConfiguration\(who) and verify the log group exists"
        }
    }

    // MARK: Headline

    private static func severityRank(_ s: Severity) -> Int {
        switch s {
        case .critical: 0
        case .error: 1
        case .warning: 2
        }
    }

    /// The worst finding: the highest severity, still firing before resolved, then the earliest.
    static func worst(_ findings: [TriageFinding]) -> TriageFinding? {
        findings.min { a, b in
            let x = (severityRank(a.severity), a.status == .firing ? 0 : 1, a.number)
            let y = (severityRank(b.severity), b.status == .firing ? 0 : 1, b.number)
            return x < y
        }
    }

    static func headline(_ findings: [TriageFinding]) -> TriageHeadline {
        guard let first = findings.first else {
            return TriageHeadline(
                services: [], since: nil, findingCount: 0, firingCount: 0, worst: nil,
                text: "No ECS footgun diagnosed: none of the four rules fired (see what was checked and what could not be judged).")
        }
        var services: [String] = []
        for f in findings where !services.contains(f.target) { services.append(f.target) }
        let firing = findings.filter { $0.status == .firing }.count
        let worst = worst(findings) ?? first
        var text = "\(services.joined(separator: ", ")) affected since \(TriageTime.long(first.firstSeen)): "
        text += findings.count == 1 ? "1 finding" : "\(findings.count) findings"
        text += firing == 0 ? ", all resolved" : ", \(firing) still firing"
        text += ". Worst: #\(worst.number) \(worst.rule.rawValue) (\(worst.cause.rawValue)), \(worst.severity.rawValue)"
        text += worst.status == .firing ? ", still firing" : ", resolved at \(TriageTime.long(worst.resolvedAt ?? worst.lastSeen))"
        text += " — \(worst.consequence)."
        return TriageHeadline(
            services: services, since: first.firstSeen, findingCount: findings.count, firingCount: firing,
            worst: worst.number, text: text)
    }

    // MARK: Span and timelines

    /// From the first evidence to the last evidence or resolution, over all findings.
    static func span(of findings: [TriageFinding]) -> TriageSpan? {
        guard let start = findings.map(\.firstSeen).min() else { return nil }
        let end = findings.map { max($0.lastSeen, $0.resolvedAt ?? $0.lastSeen) }.max() ?? start
        return TriageSpan(start: start, end: max(start, end))
    }

    /// Dense per-minute timelines of the affected services over the span (padded), clipped to recorded minutes.
    func timelines(_ all: [ServiceTimeline], findings: [TriageFinding], span: TriageSpan?) -> [TriageTimeline] {
        guard let span else { return [] }
        var services: [String] = []
        for f in findings { if let s = f.service, !services.contains(s) { services.append(s) } }
        var out: [TriageTimeline] = []
        for name in services {
            guard let tl = all.first(where: { $0.service == name }), let firstData = tl.minutes.first?.minute,
                let lastData = tl.minutes.last?.minute
            else { continue }
            let pad = timelinePaddingMinutes * 60_000
            var start = max(span.start.minuteFloor.adding(milliseconds: -pad), firstData)
            var end = min(span.end.minuteFloor.adding(milliseconds: pad), lastData)
            if start > end {
                start = firstData
                end = lastData
            }
            let maxSpan = (maximumTimelineMinutes - 1) * 60_000
            if end.milliseconds - start.milliseconds > maxSpan { start = end.adding(milliseconds: -maxSpan) }
            let count = Int((end.milliseconds - start.milliseconds) / 60_000) + 1
            var minutes = (0..<count).map { TimelineMinute(minute: start.adding(milliseconds: Int64($0) * 60_000)) }
            for m in tl.minutes where m.minute >= start && m.minute <= end {
                minutes[Int((m.minute.milliseconds - start.milliseconds) / 60_000)] = m
            }
            out.append(TriageTimeline(cluster: tl.cluster, service: tl.service, start: start, minutes: minutes))
        }
        return out
    }

    private static func describe(_ window: TriageWindow) -> String {
        switch (window.since, window.until) {
        case (nil, nil): "(whole journal)"
        case (let s?, nil): "since \(TriageTime.long(s))"
        case (nil, let u?): "until \(TriageTime.long(u))"
        case (let s?, let u?): "between \(TriageTime.long(s)) and \(TriageTime.long(u))"
        }
    }
}
