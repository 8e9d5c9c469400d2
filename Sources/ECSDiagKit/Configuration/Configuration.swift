import DiagnosisRules

/// The daemon's configuration (`/etc/ecsdiagd/ecsdiagd.toml`), also read by `replay --config`.
public struct Configuration: Sendable, Equatable {
    /// Where new files (with no checkpoint) start being read.
    public enum StartPosition: String, Sendable {
        case beginning, end
    }

    /// Directory for checkpoints (the unit's `StateDirectory=`).
    public var stateDirectory = "/var/lib/ecsdiagd"
    /// Start position for files without a checkpoint.
    public var startPosition = StartPosition.end
    /// Stat-polling interval when inotify gives no wake-up, milliseconds (≤ 1000).
    public var pollIntervalMilliseconds = 1000
    /// After a followed file changes, how long to wait before reading it, milliseconds (0: at once), so that a
    /// burst of small appends is read, decoded and processed as one batch.
    public var coalesceMilliseconds = 10
    /// Longest time processed records wait for their checkpoint when they decided nothing, milliseconds. A
    /// decided transition is always checkpointed before it is journaled; this only bounds how much input is
    /// read again after a crash.
    public var checkpointIntervalMilliseconds = 5000
    /// Followed sources: files, globs, directories (recursive) or `-` for standard input.
    public var sources: [String] = []
    /// AWS CLI JSON documents (task definition, describe-services, …) that sharpen diagnoses.
    public var contextPaths: [String] = []
    /// Every threshold, window and marker.
    public var settings = RuleSettings()

    /// The defaults.
    public init() {}
}

/// A configuration problem, naming the file, the line and the key.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The configuration file.
    public var path: String
    /// 1-based line (0 when the problem is not tied to a line, e.g. an unreadable file).
    public var line: Int
    /// The dotted key (`rules.saturation.cpu_percent`), empty for syntax errors.
    public var key: String
    /// What is wrong.
    public var message: String

    public var description: String {
        var out = path
        if line > 0 { out += ":\(line)" }
        out += ": "
        if !key.isEmpty { out += "\(key): " }
        return out + message
    }
}
