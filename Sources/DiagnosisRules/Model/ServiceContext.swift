/// What configuration documents (task definitions, describe-services, target groups, scaling targets and
/// policies, IAM role policies) say about the services, used to sharpen causes and fixes.
///
/// Built by the context-document readers outside the core; the engine only reads it. Every field is optional:
/// an empty context means "nothing known", and rules then fall back to what the logs alone show.
public struct ServiceContext: Sendable, Equatable, Codable {
    /// A container of a task definition.
    public struct Container: Sendable, Equatable, Codable {
        public var name: String
        public var essential: Bool
        /// `logConfiguration.logDriver`, nil when the container has no `logConfiguration`.
        public var logDriver: String?
        /// `logConfiguration.options` (e.g. `awslogs-group`).
        public var logOptions: [String: String]
        /// `healthCheck.startPeriod`, seconds.
        public var healthCheckStartPeriod: Double?
        /// Secrets referenced (`secrets[].valueFrom`).
        public var secrets: [String]
        /// Whether the image is in ECR.
        public var usesECR: Bool
        public init(name: String, essential: Bool = true, logDriver: String? = nil, logOptions: [String: String] = [:],
                    healthCheckStartPeriod: Double? = nil, secrets: [String] = [], usesECR: Bool = false) {
            self.name = name
            self.essential = essential
            self.logDriver = logDriver
            self.logOptions = logOptions
            self.healthCheckStartPeriod = healthCheckStartPeriod
            self.secrets = secrets
            self.usesECR = usesECR
        }
    }

    /// A task definition (`aws ecs describe-task-definition`).
    public struct TaskDefinition: Sendable, Equatable, Codable {
        /// `family:revision`.
        public var family: String
        public var revision: Int?
        public var taskRoleArn: String?
        public var executionRoleArn: String?
        /// `requiresCompatibilities` contains FARGATE (or networkMode awsvpc with FARGATE launch).
        public var fargate: Bool
        public var containers: [Container]
        /// Where it was read (`PATH` and JSON path), for evidence.
        public var origin: String
        public init(family: String, revision: Int? = nil, taskRoleArn: String? = nil, executionRoleArn: String? = nil,
                    fargate: Bool = false, containers: [Container] = [], origin: String = "") {
            self.family = family
            self.revision = revision
            self.taskRoleArn = taskRoleArn
            self.executionRoleArn = executionRoleArn
            self.fargate = fargate
            self.containers = containers
            self.origin = origin
        }
    }

    /// A service (`aws ecs describe-services`).
    public struct Service: Sendable, Equatable, Codable {
        public var name: String
        public var cluster: String?
        public var desiredCount: Int?
        public var healthCheckGracePeriodSeconds: Double?
        /// Target group ARNs of `loadBalancers[]`.
        public var targetGroupArns: [String]
        /// `taskDefinition` ARN or `family:revision`.
        public var taskDefinition: String?
        public var launchType: String?
        public var origin: String
        public init(name: String, cluster: String? = nil, desiredCount: Int? = nil,
                    healthCheckGracePeriodSeconds: Double? = nil, targetGroupArns: [String] = [],
                    taskDefinition: String? = nil, launchType: String? = nil, origin: String = "") {
            self.name = name
            self.cluster = cluster
            self.desiredCount = desiredCount
            self.healthCheckGracePeriodSeconds = healthCheckGracePeriodSeconds
            self.targetGroupArns = targetGroupArns
            self.taskDefinition = taskDefinition
            self.launchType = launchType
            self.origin = origin
        }
    }

    /// A target group's health check (`aws elbv2 describe-target-groups`).
    public struct TargetGroup: Sendable, Equatable, Codable {
        public var arn: String
        public var name: String
        public var intervalSeconds: Double
        public var timeoutSeconds: Double
        public var healthyThreshold: Int
        public var unhealthyThreshold: Int
        public var path: String?
        public var origin: String
        /// Seconds of failing checks before a target is marked unhealthy: interval × unhealthy threshold.
        public var killAfterSeconds: Double { intervalSeconds * Double(unhealthyThreshold) }
        public init(arn: String, name: String, intervalSeconds: Double = 30, timeoutSeconds: Double = 5,
                    healthyThreshold: Int = 5, unhealthyThreshold: Int = 2, path: String? = nil, origin: String = "") {
            self.arn = arn
            self.name = name
            self.intervalSeconds = intervalSeconds
            self.timeoutSeconds = timeoutSeconds
            self.healthyThreshold = healthyThreshold
            self.unhealthyThreshold = unhealthyThreshold
            self.path = path
            self.origin = origin
        }
    }

    /// A scalable target (`aws application-autoscaling describe-scalable-targets`), ResourceId `service/CLUSTER/NAME`.
    public struct ScalableTarget: Sendable, Equatable, Codable {
        public var cluster: String
        public var service: String
        public var minCapacity: Int
        public var maxCapacity: Int
        public var origin: String
        public init(cluster: String, service: String, minCapacity: Int, maxCapacity: Int, origin: String = "") {
            self.cluster = cluster
            self.service = service
            self.minCapacity = minCapacity
            self.maxCapacity = maxCapacity
            self.origin = origin
        }
    }

    /// A scaling policy (`describe-scaling-policies`).
    public struct ScalingPolicy: Sendable, Equatable, Codable {
        public var cluster: String
        public var service: String
        public var name: String
        public var type: String
        public var origin: String
        public init(cluster: String, service: String, name: String, type: String, origin: String = "") {
            self.cluster = cluster
            self.service = service
            self.name = name
            self.type = type
            self.origin = origin
        }
    }

    /// What an IAM role's policies allow (`get-role-policy`, `get-policy-version` …).
    public struct RolePermissions: Sendable, Equatable, Codable {
        public var roleName: String
        /// Allowed actions as written (may contain wildcards: `s3:*`, `s3:Get*`).
        public var allowedActions: [String]
        public var origin: String
        public init(roleName: String, allowedActions: [String], origin: String = "") {
            self.roleName = roleName
            self.allowedActions = allowedActions
            self.origin = origin
        }

        /// Whether an allowed action pattern covers `action` (case-insensitive, `*` and `?` wildcards).
        public func allows(_ action: String) -> Bool {
            allowedActions.contains { ServiceContext.wildcardMatch(pattern: $0.lowercased(), text: action.lowercased()) }
        }
    }

    public var taskDefinitions: [TaskDefinition] = []
    public var services: [Service] = []
    public var targetGroups: [TargetGroup] = []
    public var scalableTargets: [ScalableTarget] = []
    public var scalingPolicies: [ScalingPolicy] = []
    public var roles: [RolePermissions] = []
    /// Log groups known to exist (from other context), when any such document was given.
    public var existingLogGroups: [String]? = nil

    /// An empty context.
    public init() {}

    /// Whether no document was given.
    public var isEmpty: Bool { self == ServiceContext() }

    /// The last path component of a role ARN (`arn:aws:iam::1:role/path/NAME` → `NAME`), or the input.
    public static func roleName(fromArn arn: String) -> String {
        if let slash = arn.lastIndex(of: "/") { return String(arn[arn.index(after: slash)...]) }
        return arn
    }

    /// Execution role names of all task definitions.
    public var executionRoleNames: Set<String> {
        Set(taskDefinitions.compactMap { $0.executionRoleArn.map(ServiceContext.roleName(fromArn:)) })
    }

    /// Task role names of all task definitions.
    public var taskRoleNames: Set<String> {
        Set(taskDefinitions.compactMap { $0.taskRoleArn.map(ServiceContext.roleName(fromArn:)) })
    }

    /// The service document for `name` (and `cluster` when both are known).
    public func service(named name: String, cluster: String?) -> Service? {
        services.first { $0.name == name && (cluster == nil || $0.cluster == nil || $0.cluster == cluster) }
    }

    /// The task definition a service runs, when both documents were given.
    public func taskDefinition(for service: Service) -> TaskDefinition? {
        guard let ref = service.taskDefinition else { return taskDefinitions.count == 1 ? taskDefinitions.first : nil }
        let tail = ref.split(separator: "/").last.map(String.init) ?? ref
        return taskDefinitions.first { td in
            if let rev = td.revision { return tail == "\(td.family):\(rev)" }
            return tail.hasPrefix(td.family + ":") || tail == td.family
        }
    }

    /// Permissions of a role by name.
    public func permissions(ofRole name: String) -> RolePermissions? { roles.first { $0.roleName == name } }

    /// The scalable target of a service.
    public func scalableTarget(service: String, cluster: String?) -> ScalableTarget? {
        scalableTargets.first { $0.service == service && (cluster == nil || $0.cluster == cluster) }
    }

    /// Whether any scalable-target document was given (so "no entry" means "no auto-scaling").
    public var knowsScalableTargets: Bool = false

    /// IAM-style wildcard match (`*` any run, `?` one character).
    public static func wildcardMatch(pattern: String, text: String) -> Bool {
        let p = Array(pattern.utf8)
        let t = Array(text.utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] { pi += 1; ti += 1 }
            else if pi < p.count, p[pi] == UInt8(ascii: "*") { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
