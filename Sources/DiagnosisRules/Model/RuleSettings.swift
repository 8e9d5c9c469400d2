/// Every threshold, window and marker of the engine. The defaults are the documented ones; the config file
/// (`[engine]` and `[rules.*]` tables) overrides them.
public struct RuleSettings: Sendable, Equatable, Codable {
    /// Engine-wide settings.
    public struct Engine: Sendable, Equatable, Codable {
        /// How far behind the largest event time seen records may still arrive and be ordered correctly.
        public var allowedLatenessSeconds: Double = 30
        /// Idle keys and tasks are evicted after this much event time without news.
        public var idleEvictionSeconds: Double = 6 * 3600
        /// Upper bound on tracked tasks (oldest evicted first).
        public var maxTrackedTasks: Int = 200_000
        /// A firing alert stays firing at least this long before it may resolve (anti-flapping).
        public var minimumFiringSeconds: Double = 300
        public init() {}
    }

    /// access-denied settings.
    public struct AccessDenied: Sendable, Equatable, Codable {
        /// Denials for one service within `windowSeconds` that fire the alert.
        public var threshold: Int = 3
        public var windowSeconds: Double = 300
        /// Resolves after this long with no denial.
        public var clearSeconds: Double = 600
        /// Role names (or ARNs) known to be execution roles, in addition to names containing `ExecutionRole`.
        public var executionRoles: [String] = []
        public init() {}
    }

    /// restart-loop settings.
    public struct RestartLoop: Sendable, Equatable, Codable {
        /// Failures of one class for one service within `windowSeconds` that fire the alert.
        public var threshold: Int = 3
        public var windowSeconds: Double = 900
        /// Resolves on steady state (or no new failure) for this long.
        public var clearSeconds: Double = 600
        /// Literal markers of an application's readiness line in its own log stream.
        public var readyMarkers: [String] = [
            "Listening on", "listening on", "Started ", "Uvicorn running on", "server started", "Server started",
            "Application startup complete", "ready to accept connections",
        ]
        /// Grace period = startup p95 × this factor, rounded up to 10 s.
        public var gracePeriodFactor: Double = 1.5
        public init() {}
    }

    /// saturation settings.
    public struct Saturation: Sendable, Equatable, Codable {
        public var cpuPercent: Double = 90
        public var memoryPercent: Double = 90
        /// Latency (ALB target_processing_time p90 or app durations) at or above this is saturation.
        public var latencySeconds: Double = 10
        /// Condition must hold this long.
        public var sustainSeconds: Double = 300
        /// Resolves after utilisation is back under threshold for this long.
        public var clearSeconds: Double = 300
        public init() {}
    }

    /// missing-logs settings.
    public struct MissingLogs: Sendable, Equatable, Codable {
        /// A RUNNING task with no log record for this long is silent.
        public var silenceSeconds: Double = 300
        /// Resolves when logs arrive, or after this long with no new silent task or logger error.
        public var clearSeconds: Double = 600
        public init() {}
    }

    public var engine = Engine()
    public var accessDenied = AccessDenied()
    public var restartLoop = RestartLoop()
    public var saturation = Saturation()
    public var missingLogs = MissingLogs()

    /// The documented defaults.
    public init() {}
}
