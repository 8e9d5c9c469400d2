/// What a decoded record's payload is. Decoders decide it by content; the matcher reads the payload accordingly.
public enum RecordKind: UInt8, Sendable, Codable, CaseIterable {
    /// An application log line (a CloudWatch event message, a tail line, an export line, a plain line).
    case applicationLog
    /// An ECS service event message (`(service X) has started 1 tasks: …`), from describe-services or a text copy.
    case serviceEvent
    /// An EventBridge event from `aws.ecs` (payload: the whole JSON event object, unescaped).
    case eventBridge
    /// A Container Insights performance event (payload: the EMF JSON object, unescaped).
    case containerInsights
    /// One ALB access log line (payload: the line).
    case albAccessLog
    /// One CloudWatch metric-stream JSON object.
    case metricStream
}
