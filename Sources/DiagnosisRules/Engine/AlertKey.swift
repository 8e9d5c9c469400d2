/// The service a signal belongs to: the unit of per-service rule state and of alerts.
public struct ServiceKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// ECS cluster, when known.
    public var cluster: String?
    /// ECS service name; empty when nothing identifies it.
    public var service: String

    /// Creates a key.
    public init(cluster: String? = nil, service: String) {
        self.cluster = cluster
        self.service = service
    }

    /// The service name for output (`nil` when unknown).
    public var serviceName: String? { service.isEmpty ? nil : service }

    public static func < (a: ServiceKey, b: ServiceKey) -> Bool {
        (a.cluster ?? "", a.service) < (b.cluster ?? "", b.service)
    }

    /// `cluster/service`.
    public var description: String { "\(cluster ?? "-")/\(service.isEmpty ? "-" : service)" }
}

/// The identity of an alert: one lifecycle per (rule, cluster, service, cause).
public struct AlertKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var rule: RuleID
    public var service: ServiceKey
    public var cause: Cause

    /// Creates an alert key.
    public init(rule: RuleID, service: ServiceKey, cause: Cause) {
        self.rule = rule
        self.service = service
        self.cause = cause
    }

    /// Creates the key of `cause` (the rule follows from the cause).
    public init(_ cause: Cause, _ service: ServiceKey) {
        self.init(rule: cause.rule, service: service, cause: cause)
    }

    public static func < (a: AlertKey, b: AlertKey) -> Bool {
        if a.rule != b.rule { return a.rule < b.rule }
        if a.service != b.service { return a.service < b.service }
        return a.cause < b.cause
    }

    public var description: String { "\(rule.rawValue) \(service) \(cause.rawValue)" }
}
