/// A decoded record, borrowed from the decoder's buffer: valid only until the decoder produces the next one.
///
/// This is the hot path's currency: no `String` and no allocation. Byte fields are views into the decoder's
/// buffer; empty views mean "absent". `payload` is in the form `payloadIsJSONEscaped` says: still escaped as the
/// inside of a JSON string (CloudWatch `message` fields are matched escaped, which is exact for literals without
/// `"`, `\` or control characters) or plain bytes.
public struct RecordView {
    /// Event time; `nil` when the format carries none (plain text lines).
    public var time: EventTime?
    /// Where the record starts.
    public var source: SourceRef
    /// How to read `payload`.
    public var kind: RecordKind
    /// The record's content: a message, a JSON object or a log line.
    public var payload: UnsafeRawBufferPointer
    /// Whether `payload` is still JSON-string-escaped.
    public var payloadIsJSONEscaped: Bool
    /// The CloudWatch log group, when the envelope names it.
    public var logGroup: UnsafeRawBufferPointer
    /// The CloudWatch log stream (awslogs: `prefix/container/taskId`), when the envelope names it.
    public var logStream: UnsafeRawBufferPointer
    /// The task the envelope attributes this record to (from the stream name or a task ARN), if any.
    public var task: TaskID?

    /// Creates a record view.
    public init(
        time: EventTime?, source: SourceRef, kind: RecordKind, payload: UnsafeRawBufferPointer,
        payloadIsJSONEscaped: Bool = false, logGroup: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        logStream: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0), task: TaskID? = nil
    ) {
        self.time = time
        self.source = source
        self.kind = kind
        self.payload = payload
        self.payloadIsJSONEscaped = payloadIsJSONEscaped
        self.logGroup = logGroup
        self.logStream = logStream
        self.task = task
    }

    /// Whether this record is a CloudWatch log record of an application (counts as "logs arriving" for a task).
    public var isApplicationLog: Bool { kind == .applicationLog }
}
