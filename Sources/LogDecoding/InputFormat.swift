/// A shape of input the decoder recognised (by content, never by file name).
///
/// A reader reports every shape it saw in ``RecordReader/detectedFormats``; one input can hold several
/// (a CloudWatch export whose messages are EventBridge events, a corpus that mixes shapes line by line).
public enum InputFormat: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    /// The input is gzip-compressed (one or more members).
    case gzip
    /// `aws logs filter-log-events` output (a document with an `events` array).
    case cloudWatchFilterLogEvents
    /// `aws logs get-log-events` output (a document with `events` and `nextForwardToken`).
    case cloudWatchGetLogEvents
    /// One CloudWatch event object (`timestamp`, `message`, …) per line.
    case cloudWatchEventLines
    /// `aws logs tail --format detailed`: `<ISO µs +00:00> <stream> <message>`.
    case tailDetailed
    /// `aws logs tail --format short`: `<ISO without zone> <message>`.
    case tailShort
    /// `aws logs tail --format json`: detailed lines whose JSON messages are pretty-printed on the following lines.
    case tailJSON
    /// ANSI colour codes around fields (`aws logs tail` on a terminal or with `--color on`).
    case ansiColor
    /// CloudWatch export to S3: `<ISO ms Z> <message>` lines.
    case s3Export
    /// A CloudWatch Logs subscription `DATA_MESSAGE`.
    case subscriptionDataMessage
    /// A subscription `CONTROL_MESSAGE` (recognised and skipped).
    case subscriptionControlMessage
    /// Kinesis records: base64 of gzip of a subscription message, one per line.
    case kinesisRecords
    /// A Lambda subscription event `{"awslogs":{"data":"…"}}`.
    case lambdaEnvelope
    /// A Firehose S3 object: subscription messages concatenated without newlines.
    case firehoseObject
    /// `aws ecs describe-services` JSON output.
    case describeServicesJSON
    /// `aws ecs describe-services --output text` rows.
    case describeServicesText
    /// ECS service event messages as text lines (console copies, deploy tool logs).
    case serviceEventLines
    /// ECS service event objects (`id`, `createdAt`, `message`) outside a describe-services document.
    case serviceEventObjects
    /// EventBridge events (`detail-type`), standalone or inside CloudWatch messages.
    case eventBridge
    /// Container Insights performance events (EMF `Type` Task/Service/Container/Cluster).
    case containerInsights
    /// ALB access log lines.
    case albAccessLog
    /// CloudWatch metric stream JSON lines.
    case metricStream
    /// JSON objects with none of the known keys, one per line (kept as application log records).
    case jsonLines
    /// Text lines with a leading timestamp of no more specific shape.
    case timestampedText
    /// Text lines without a recognised shape.
    case plainText

    /// A human name, e.g. "aws logs tail (detailed)".
    public var name: String {
        switch self {
        case .gzip: "gzip"
        case .cloudWatchFilterLogEvents: "CloudWatch filter-log-events"
        case .cloudWatchGetLogEvents: "CloudWatch get-log-events"
        case .cloudWatchEventLines: "CloudWatch event JSON lines"
        case .tailDetailed: "aws logs tail (detailed)"
        case .tailShort: "aws logs tail (short)"
        case .tailJSON: "aws logs tail (json)"
        case .ansiColor: "ANSI colour codes"
        case .s3Export: "CloudWatch export to S3"
        case .subscriptionDataMessage: "CloudWatch subscription DATA_MESSAGE"
        case .subscriptionControlMessage: "CloudWatch subscription CONTROL_MESSAGE"
        case .kinesisRecords: "Kinesis base64(gzip) records"
        case .lambdaEnvelope: "Lambda awslogs envelope"
        case .firehoseObject: "Firehose object (concatenated messages)"
        case .describeServicesJSON: "ECS describe-services (JSON)"
        case .describeServicesText: "ECS describe-services (--output text)"
        case .serviceEventLines: "ECS service event lines"
        case .serviceEventObjects: "ECS service event objects"
        case .eventBridge: "EventBridge events"
        case .containerInsights: "Container Insights performance events"
        case .albAccessLog: "ALB access log"
        case .metricStream: "CloudWatch metric stream JSON"
        case .jsonLines: "JSON lines (unrecognised keys)"
        case .timestampedText: "timestamped text lines"
        case .plainText: "plain text lines"
        }
    }

    public var description: String { name }
}

/// A compact set of formats (the reader updates it per record without hashing).
struct FormatBits {
    var raw: UInt64 = 0
    @inline(__always) mutating func insert(_ f: InputFormat) { raw |= 1 << UInt64(f.rawValue) }
    @inline(__always) func contains(_ f: InputFormat) -> Bool { raw & (1 << UInt64(f.rawValue)) != 0 }
    var set: Set<InputFormat> { Set(InputFormat.allCases.filter(contains)) }
}
