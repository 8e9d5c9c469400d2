/// One line of evidence behind an alert.
public struct Evidence: Sendable, Equatable, Codable {
    /// Event time of the record.
    public var time: EventTime
    /// `PATH:LINE`.
    public var source: String
    /// The record's text (untrusted: sinks escape it).
    public var line: String

    /// Creates an evidence line.
    public init(time: EventTime, source: String, line: String) {
        self.time = time
        self.source = source
        self.line = line
    }
}

/// A measured figure behind a diagnosis, for reports (`startup p95` = `34.8 s`).
public struct Figure: Sendable, Equatable, Codable {
    /// What was measured.
    public var name: String
    /// The value as printed.
    public var value: String

    /// Creates a figure.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Whether an alert transition opens or closes the alert.
public enum AlertStatus: String, Sendable, Codable {
    case firing, resolved
}

/// An alert changing state: what `replay` prints, the daemon journals and triage reports.
public struct AlertTransition: Sendable, Equatable, Codable {
    /// The rule.
    public var rule: RuleID
    /// `firing` or `resolved`.
    public var status: AlertStatus
    /// The rule's severity.
    public var severity: Severity
    /// The diagnosed cause.
    public var cause: Cause
    /// ECS cluster, when known.
    public var cluster: String?
    /// ECS service, when known.
    public var service: String?
    /// Tasks involved (sorted, as printed).
    public var taskIDs: [String]
    /// Event time of the first evidence.
    public var firstSeen: EventTime
    /// Event time of the latest evidence.
    public var lastSeen: EventTime
    /// Event time at which this transition happened.
    public var at: EventTime
    /// Number of evidence records.
    public var count: Int
    /// One sentence saying what is wrong, with the measured figures.
    public var summary: String
    /// Up to 5 evidence lines.
    public var evidence: [Evidence]
    /// The exact fix: words plus the concrete setting or command.
    public var remediation: String
    /// Figures measured along the way, for reports.
    public var figures: [Figure]

    /// The rule's journal MESSAGE_ID.
    public var messageID: String { rule.messageID }

    /// Creates a transition.
    public init(
        rule: RuleID, status: AlertStatus, cause: Cause, cluster: String?, service: String?, taskIDs: [String],
        firstSeen: EventTime, lastSeen: EventTime, at: EventTime, count: Int, summary: String,
        evidence: [Evidence], remediation: String, figures: [Figure] = []
    ) {
        self.rule = rule
        self.status = status
        self.severity = rule.severity
        self.cause = cause
        self.cluster = cluster
        self.service = service
        self.taskIDs = taskIDs
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.at = at
        self.count = count
        self.summary = summary
        self.evidence = evidence
        self.remediation = remediation
        self.figures = figures
    }
}
