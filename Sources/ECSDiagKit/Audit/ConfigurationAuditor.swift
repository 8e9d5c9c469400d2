import DiagnosisRules

/// Checks a service's configuration against the four ECS footguns, before a deploy or during an incident.
///
/// A pure function of the context: no I/O, no clock. Checks whose inputs were not given stay silent (no role
/// documents → no "role lacks X"; no `describe-scalable-targets` → no "no scalable target").
public struct ConfigurationAuditor: Sendable {
    /// Measured startup time per service name (e.g. from the logs), seconds.
    public var observedStartupSeconds: [String: Double]
    /// Facts beyond `ServiceContext` (grant origins and resources, unresolved policies, whether scaling
    /// policies were described). Nil: inferred from the context (see ``ContextDetails/init(inferredFrom:)``).
    public var details: ContextDetails?

    public init(observedStartupSeconds: [String: Double] = [:], details: ContextDetails? = nil) {
        self.observedStartupSeconds = observedStartupSeconds
        self.details = details
    }

    /// Audits `context` with default options.
    ///
    /// - Parameters:
    ///   - context: the configuration documents' content.
    ///   - observedStartupSeconds: measured startup time per service name, seconds.
    /// - Returns: the findings, worst first, in a deterministic order.
    public static func audit(_ context: ServiceContext, observedStartupSeconds: [String: Double] = [:]) -> [AuditFinding] {
        ConfigurationAuditor(observedStartupSeconds: observedStartupSeconds).audit(context)
    }

    /// Audits `context`.
    ///
    /// - Returns: the findings, worst first (severity, then footgun, check, service, evidence).
    public func audit(_ context: ServiceContext) -> [AuditFinding] {
        let scope = AuditScope(context: context, details: details, observedStartupSeconds: observedStartupSeconds)
        var findings: [AuditFinding] = []
        for (index, taskDefinition) in context.taskDefinitions.enumerated() {
            findings += scope.roleFindings(taskDefinition, index: index)
            findings += scope.loggingFindings(taskDefinition, index: index)
        }
        for service in context.services {
            findings += scope.gracePeriodFindings(service)
            findings += scope.scalingFindings(service)
        }
        return Self.sorted(findings)
    }

    /// The deterministic report order.
    static func sorted(_ findings: [AuditFinding]) -> [AuditFinding] {
        let checkOrder = Dictionary(uniqueKeysWithValues: AuditCheck.allCases.enumerated().map { ($1, $0) })
        return findings.sorted { a, b in
            if a.severity != b.severity { return a.severity.auditRank < b.severity.auditRank }
            if a.rule != b.rule { return a.rule < b.rule }
            if a.check != b.check { return checkOrder[a.check]! < checkOrder[b.check]! }
            if a.service != b.service { return (a.service ?? "") < (b.service ?? "") }
            if a.evidence.document != b.evidence.document { return a.evidence.document < b.evidence.document }
            if a.evidence.path != b.evidence.path { return a.evidence.path < b.evidence.path }
            return a.title < b.title
        }
    }
}

/// The context with the lookups the checks share.
struct AuditScope {
    let context: ServiceContext
    let details: ContextDetails
    let observedStartupSeconds: [String: Double]

    init(context: ServiceContext, details: ContextDetails?, observedStartupSeconds: [String: Double]) {
        self.context = context
        self.observedStartupSeconds = observedStartupSeconds
        var merged = details ?? ContextDetails(inferredFrom: context)
        // Roles present in the context but not in the given details (a hand-built context): infer them.
        for (name, role) in ContextDetails(inferredFrom: context).roles where merged.roles[name] == nil {
            merged.roles[name] = role
        }
        self.details = merged
    }

    /// The services that run `taskDefinition`.
    func services(running taskDefinition: ServiceContext.TaskDefinition) -> [ServiceContext.Service] {
        context.services.filter { context.taskDefinition(for: $0) == taskDefinition }
    }

    /// The `service` field of a finding about a task definition.
    func serviceLabel(_ taskDefinition: ServiceContext.TaskDefinition) -> String? {
        let names = Set(services(running: taskDefinition).map(\.name)).sorted()
        return names.isEmpty ? nil : names.joined(separator: ",")
    }

    /// `family:revision` (or `family`).
    func label(_ taskDefinition: ServiceContext.TaskDefinition) -> String {
        taskDefinition.revision.map { "\(taskDefinition.family):\($0)" } ?? taskDefinition.family
    }

    /// Whether the task definition requires Fargate or a service runs it on Fargate.
    func onFargate(_ taskDefinition: ServiceContext.TaskDefinition) -> Bool {
        taskDefinition.fargate || services(running: taskDefinition).contains { $0.launchType?.uppercased() == "FARGATE" }
    }

    /// The JSON path of container `index` of a task definition.
    func containerPath(_ index: Int, _ child: String = "") -> String {
        child.isEmpty ? "containerDefinitions[\(index)]" : "containerDefinitions[\(index)].\(child)"
    }

    /// Evidence inside a task definition.
    func evidence(_ taskDefinition: ServiceContext.TaskDefinition, _ child: String) -> AuditFinding.Evidence {
        AuditFinding.Evidence(origin: taskDefinition.origin, child: child)
    }

    /// The region the task definition runs in, from its log options, its services' ARNs or any ARN given.
    func region(for taskDefinition: ServiceContext.TaskDefinition) -> String? {
        if let region = taskDefinition.containers.lazy.compactMap({ $0.logOptions["awslogs-region"] }).first {
            return region
        }
        let services = services(running: taskDefinition) + context.services
        let arns = services.flatMap { [$0.taskDefinition].compactMap { $0 } + $0.targetGroupArns }
            + context.targetGroups.map(\.arn) + taskDefinition.containers.flatMap(\.secrets)
        return arns.lazy.compactMap(ARN.region).first
    }

    /// The AWS account, from the task definition's role ARNs or any ARN given.
    func account(for taskDefinition: ServiceContext.TaskDefinition?) -> String? {
        let roleArns = [taskDefinition?.executionRoleArn, taskDefinition?.taskRoleArn].compactMap { $0 }
        let others = context.taskDefinitions.flatMap { [$0.executionRoleArn, $0.taskRoleArn].compactMap { $0 } }
            + context.services.flatMap { [$0.taskDefinition].compactMap { $0 } + $0.targetGroupArns }
            + context.targetGroups.map(\.arn)
        return (roleArns + others).lazy.compactMap(ARN.account).first
    }

    /// The role's details when its permissions are known and complete (so a missing action is missing).
    func completeRole(_ name: String) -> RoleDetail? {
        guard let role = details.roles[name], role.isComplete else { return nil }
        return role
    }

    /// Whether `role` allows `action`.
    func allows(_ role: RoleDetail, _ action: String) -> Bool { !role.grants(covering: action).isEmpty }
}
