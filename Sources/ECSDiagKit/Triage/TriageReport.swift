import DiagnosisRules

/// The on-call report of `ecsdiagd triage`: what is wrong, in which order it went wrong, what to change, and what
/// was checked — the shape of the story's postmortem table, produced during the incident.
///
/// A report is a plain value built by ``TriageReportBuilder`` from one replay of saved logs (transitions, the
/// engine's timelines and the pipeline's input report) or from the daemon's alerts read back from the journal.
/// Renderers (``TriageTextRenderer``, ``TriageMarkdownRenderer``, ``TriageJSONRenderer``) only format it.
///
/// - Important: every string that came from a log (evidence lines, summaries, service names, paths, remediation
///   text that quotes a role or a resource) is untrusted. The renderers escape it for their medium; the model
///   keeps it raw.
public struct TriageReport: Sendable, Equatable {
    /// Where the report's alerts came from.
    public enum Origin: String, Sendable, Equatable {
        /// A replay of saved logs (`ecsdiagd triage PATH…`).
        case logs
        /// The daemon's alerts read back from the systemd journal (`ecsdiagd triage --journal`).
        case journal
    }

    /// Where the alerts came from.
    public var origin: Origin
    /// The first line an on-call engineer reads.
    public var headline: TriageHeadline
    /// The root-cause chain: one finding per (rule, cause, service), ordered by first evidence, numbered from 1.
    public var findings: [TriageFinding]
    /// Per affected service, per minute counts over the incident's span (empty for journal reports).
    public var timelines: [TriageTimeline]
    /// Per rule: found, checked and found fine, or not judged and why; plus report-wide limits (timelines).
    public var checks: [TriageCheck]
    /// What was read (empty for journal reports).
    public var inputs: [TriageInput]
    /// First and last minute of the incident: from the first evidence to the last evidence or resolution.
    public var span: TriageSpan?
    /// The journal window asked for (`--since`, `--until`), for journal reports.
    public var window: TriageWindow?

    /// Creates a report.
    public init(
        origin: Origin, headline: TriageHeadline, findings: [TriageFinding], timelines: [TriageTimeline],
        checks: [TriageCheck], inputs: [TriageInput], span: TriageSpan?, window: TriageWindow? = nil
    ) {
        self.origin = origin
        self.headline = headline
        self.findings = findings
        self.timelines = timelines
        self.checks = checks
        self.inputs = inputs
        self.span = span
        self.window = window
    }

    /// The finding numbered `number` (1-based).
    public func finding(number: Int) -> TriageFinding? {
        findings.first { $0.number == number }
    }
}

/// A closed range of event time.
public struct TriageSpan: Sendable, Equatable {
    /// First instant.
    public var start: EventTime
    /// Last instant.
    public var end: EventTime

    /// Creates a span.
    public init(start: EventTime, end: EventTime) {
        self.start = start
        self.end = end
    }
}

/// The journal window of a `--journal` report (reception time, not event time).
public struct TriageWindow: Sendable, Equatable {
    /// `--since`, when given.
    public var since: EventTime?
    /// `--until`, when given.
    public var until: EventTime?

    /// Creates a window.
    public init(since: EventTime?, until: EventTime?) {
        self.since = since
        self.until = until
    }
}

/// The headline: which services are affected, since when, and the worst finding.
public struct TriageHeadline: Sendable, Equatable {
    /// Affected services as `cluster/service` (or `service`), in order of first evidence.
    public var services: [String]
    /// First evidence of the first finding.
    public var since: EventTime?
    /// Number of findings.
    public var findingCount: Int
    /// Findings still firing at the end of the input (or of the journal window).
    public var firingCount: Int
    /// Number of the worst finding: the highest severity, still firing before resolved, earliest first.
    public var worst: Int?
    /// The headline as one plain sentence (untrusted parts raw: renderers escape it).
    public var text: String

    /// Creates a headline.
    public init(services: [String], since: EventTime?, findingCount: Int, firingCount: Int, worst: Int?, text: String) {
        self.services = services
        self.since = since
        self.findingCount = findingCount
        self.firingCount = firingCount
        self.worst = worst
        self.text = text
    }
}

/// One link of the root-cause chain: a rule's diagnosis for one service and cause, over all its alert episodes.
public struct TriageFinding: Sendable, Equatable {
    /// Position in the chain (1-based, by first evidence).
    public var number: Int
    /// The rule.
    public var rule: RuleID
    /// The diagnosed cause.
    public var cause: Cause
    /// The rule's severity.
    public var severity: Severity
    /// `firing` when the last episode was still open at the end, else `resolved`.
    public var status: AlertStatus
    /// ECS cluster, when known.
    public var cluster: String?
    /// ECS service, when known.
    public var service: String?
    /// The footgun's title (`Task role vs execution role confusion`).
    public var title: String
    /// What the mistake does to the service, as in the story's postmortem.
    public var consequence: String
    /// The cause in plain words.
    public var explanation: String
    /// The rule's diagnosis with its measured figures: the latest state while firing; for a resolved finding the
    /// summary it fired with (its ``resolution`` carries the final counts).
    public var summary: String
    /// How the last episode resolved, when it did, with the final counts (`No denial for 10 min after 38 …`).
    public var resolution: String?
    /// The fix in one line, for the chain table.
    public var fix: String
    /// The exact fix: words plus the setting, command, policy or JSON snippet.
    public var remediation: String
    /// Figures measured along the way.
    public var figures: [Figure]
    /// Up to 5 evidence lines (first 3 and last 2), in time order.
    public var evidence: [Evidence]
    /// Tasks involved.
    public var taskIDs: [String]
    /// Evidence records over all episodes.
    public var count: Int
    /// How many times the alert fired.
    public var episodes: Int
    /// Event time of the first evidence.
    public var firstSeen: EventTime
    /// Event time of the latest evidence.
    public var lastSeen: EventTime
    /// When the alert first fired.
    public var firedAt: EventTime
    /// When the last episode resolved (nil while firing).
    public var resolvedAt: EventTime?

    /// `cluster/service`, `service`, `unknown service (cluster prod)` or `unknown service`.
    public var target: String {
        guard let service else { return cluster.map { "unknown service (cluster \($0))" } ?? "unknown service" }
        return cluster.map { "\($0)/\(service)" } ?? service
    }

    /// The rule's journal MESSAGE_ID.
    public var messageID: String { rule.messageID }
}

/// Per-minute counts of one affected service over the incident's span, every minute present (zeros filled in).
public struct TriageTimeline: Sendable, Equatable {
    /// ECS cluster, when known.
    public var cluster: String?
    /// ECS service.
    public var service: String
    /// The first minute.
    public var start: EventTime
    /// One entry per minute from `start`.
    public var minutes: [TimelineMinute]

    /// Creates a timeline.
    public init(cluster: String?, service: String, start: EventTime, minutes: [TimelineMinute]) {
        self.cluster = cluster
        self.service = service
        self.start = start
        self.minutes = minutes
    }

    /// `cluster/service` or `service`.
    public var target: String { cluster.map { "\($0)/\(service)" } ?? service }

    /// The start of the last minute.
    public var end: EventTime { start.adding(milliseconds: Int64(max(minutes.count - 1, 0)) * 60_000) }

    /// One series per measure, in display order.
    public var series: [TriageSeries] {
        [
            TriageSeries(measure: .denials, values: minutes.map { Double($0.denials) }),
            TriageSeries(measure: .http5xx, values: minutes.map { Double($0.http5xx) }),
            TriageSeries(measure: .taskFailures, values: minutes.map { Double($0.taskFailures) }),
            TriageSeries(measure: .maxCPUPercent, values: minutes.map { $0.maxCPUPercent }),
            TriageSeries(measure: .logRecords, values: minutes.map { Double($0.logRecords) }),
        ]
    }
}

/// One measure of a timeline, per minute (nil: not measured that minute).
public struct TriageSeries: Sendable, Equatable {
    /// What a timeline measures.
    public enum Measure: String, Sendable, CaseIterable {
        case denials
        case http5xx
        case taskFailures
        case maxCPUPercent
        case logRecords

        /// Short label for charts.
        public var label: String {
            switch self {
            case .denials: "denials"
            case .http5xx: "HTTP 5xx"
            case .taskFailures: "task fails"
            case .maxCPUPercent: "CPU % max"
            case .logRecords: "log records"
            }
        }

        /// Whether buckets of several minutes take the maximum (CPU) rather than the sum (counts).
        public var aggregatesByMaximum: Bool { self == .maxCPUPercent }
    }

    /// The measure.
    public var measure: Measure
    /// One value per minute.
    public var values: [Double?]

    /// Creates a series.
    public init(measure: Measure, values: [Double?]) {
        self.measure = measure
        self.values = values
    }
}

/// What was checked for one rule (or one part of the report), with which inputs, and what could not be judged.
public struct TriageCheck: Sendable, Equatable {
    /// What the check is about.
    public enum Subject: Sendable, Equatable {
        /// One of the four rules.
        case rule(RuleID)
        /// The per-minute timelines.
        case timeline

        /// `access-denied`, …, or `timeline`.
        public var name: String {
            switch self {
            case .rule(let r): r.rawValue
            case .timeline: "timeline"
            }
        }
    }

    /// The outcome.
    public enum Verdict: String, Sendable, Equatable {
        /// The rule produced at least one finding.
        case found
        /// The inputs the rule needs were present and it found nothing.
        case fine
        /// The inputs the rule needs were absent: no verdict either way.
        case notJudged = "not-judged"
    }

    /// The rule (or report part).
    public var subject: Subject
    /// The outcome.
    public var verdict: Verdict
    /// What was checked, from which inputs (nil when nothing could be).
    public var checked: String?
    /// What could not be judged and why (nil when everything could); present with any verdict when part of the
    /// rule could not be judged.
    public var notJudged: String?
    /// Findings of this rule (numbers).
    public var findings: [Int]
    /// Names of the input formats the verdict rests on.
    public var basis: [String]

    /// Creates a check.
    public init(
        subject: Subject, verdict: Verdict, checked: String?, notJudged: String?, findings: [Int] = [],
        basis: [String] = []
    ) {
        self.subject = subject
        self.verdict = verdict
        self.checked = checked
        self.notJudged = notJudged
        self.findings = findings
        self.basis = basis
    }
}

/// One input that was read.
public struct TriageInput: Sendable, Equatable {
    /// The path (`-` for standard input).
    public var path: String
    /// Bytes read (decompressed).
    public var bytes: Int
    /// Records decoded.
    public var records: Int
    /// Formats detected.
    public var formats: [String]
    /// Records skipped or flagged.
    public var problems: Int

    /// Creates an input.
    public init(path: String, bytes: Int, records: Int, formats: [String], problems: Int) {
        self.path = path
        self.bytes = bytes
        self.records = records
        self.formats = formats
        self.problems = problems
    }
}
