/// Facts the matcher extracted from a record; every field is optional and only set when the record says it.
public struct SignalDetail: Sendable, Equatable, Codable {
    // Authorization (access-denied, execution-role-denied, no-credentials, logger-error).
    /// IAM action, e.g. `s3:GetObject` (mapped from the SDK operation name when the message has no action).
    public var action: String?
    /// Resource ARN or URL the request was for.
    public var resource: String?
    /// The denied principal ARN (`arn:aws:sts::…:assumed-role/ROLE/SESSION`).
    public var principal: String?
    /// Role name taken from the principal.
    public var role: String?
    /// Session name taken from the principal (a task id, an EC2 instance id, an SDK session name).
    public var session: String?
    /// SDK error code as printed (`AccessDenied`, `AccessDeniedException`, `Forbidden`, `NoCredentialProviders` …).
    public var errorCode: String?

    // Tasks.
    /// Failure class of a stopped task.
    public var failureClass: TaskFailureClass?
    /// `stoppedReason` / container `reason` / service-event reason, as printed.
    public var reason: String?
    /// `stopCode`.
    public var stopCode: String?
    /// Exit code of the (essential) container.
    public var exitCode: Int?
    /// Container name.
    public var container: String?
    /// `group` of the task (`service:NAME` or `family:NAME`).
    public var group: String?
    /// When the task started (`startedAt`).
    public var startedAt: EventTime?
    /// When the task stopped (`stoppedAt`).
    public var stoppedAt: EventTime?
    /// Number of tasks a service event names (started/stopped N tasks).
    public var taskCount: Int?
    /// Other task ids named in the same record (service events can name several).
    public var otherTasks: [TaskID]?
    /// Target group ARN or name.
    public var targetGroup: String?
    /// Deployment id (`ecs-svc/…`).
    public var deployment: String?

    // Requests and resources.
    /// HTTP status code.
    public var status: Int?
    /// Request duration or target processing time, seconds.
    public var seconds: Double?
    /// Where an HTTP figure came from: `alb`, `app`.
    public var origin: String?
    /// CPU used as a percentage of reserved.
    public var cpuPercent: Double?
    /// Memory used as a percentage of reserved.
    public var memoryPercent: Double?
    /// Desired task count (Container Insights Service events, describe-services).
    public var desiredCount: Int?
    /// Running task count.
    public var runningCount: Int?
    /// Startup time the app states itself (`Started X in 34.8 seconds`).
    public var startupSeconds: Double?

    /// An empty detail.
    public init() {}
}
