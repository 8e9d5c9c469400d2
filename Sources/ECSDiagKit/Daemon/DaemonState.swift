import DiagnosisRules
import LogFollowing

/// Everything the daemon checkpoints, written atomically after each processed batch: where each followed
/// file was read to, the engine's state (open windows, firing alerts), gzip files already read, and the alert
/// transitions decided but not yet confirmed in the journal.
struct DaemonState: Codable {
    /// Bumped when the layout changes; an older or newer state is reported and ignored.
    static let version = 1

    var version = DaemonState.version
    /// The configuration file the state belongs to (a state from another configuration is foreign).
    var configPath: String
    var files: [FileCheckpoint] = []
    var engine: DiagnosisEngine
    /// Gzip files read once (`path@device:inode`).
    var gzipRead: [String] = []
    /// Transitions not yet confirmed in the journal, oldest first.
    var outbox: [OutboxEntry] = []
    /// Inputs seen, by index (`SourceRef.input`).
    var inputs: [String] = []
    /// Bumped by every checkpoint; the outbox ledger's lines of this generation follow this state (absent in
    /// checkpoints written before the ledger existed: 0).
    var generation: UInt64?
}

/// A transition waiting to reach the journal, with the stable id that makes re-sending idempotent.
struct OutboxEntry: Codable, Equatable {
    var alertID: String
    var transition: AlertTransition
}
