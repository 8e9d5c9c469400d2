/// One fact recognised in one record: the input of the rules.
///
/// Signals are rare compared to records (a few per thousand on a healthy service), so they may carry
/// `String`s; building them is the only place where record text becomes `String`.
public struct Signal: Sendable, Equatable, Codable {
    /// Event time of the record.
    public var time: EventTime
    /// Where the record is (input index and line); used for ordering ties deterministically.
    public var source: SourceRef
    /// `PATH:LINE` for people.
    public var sourceText: String
    /// What was recognised.
    public var kind: SignalKind
    /// ECS service name, when the record says it (or the engine resolved it).
    public var service: String?
    /// ECS cluster name, when known.
    public var cluster: String?
    /// The task concerned, when known.
    public var task: TaskID?
    /// Log group of a log record (fallback identity).
    public var logGroup: String?
    /// Log stream of a log record.
    public var logStream: String?
    /// Extracted facts.
    public var detail: SignalDetail
    /// The record's text (one line, capped), for evidence.
    public var line: String

    /// Creates a signal.
    public init(
        time: EventTime, source: SourceRef, sourceText: String, kind: SignalKind, service: String? = nil,
        cluster: String? = nil, task: TaskID? = nil, logGroup: String? = nil, logStream: String? = nil,
        detail: SignalDetail = SignalDetail(), line: String
    ) {
        self.time = time
        self.source = source
        self.sourceText = sourceText
        self.kind = kind
        self.service = service
        self.cluster = cluster
        self.task = task
        self.logGroup = logGroup
        self.logStream = logStream
        self.detail = detail
        self.line = line
    }

    /// Whether the signal indicates a fault on its own.
    public var isProblem: Bool {
        if kind == .containerExit { return (detail.exitCode ?? 0) != 0 }
        return kind.isProblemKind
    }
}
