/// Where to start reading a file for which no checkpoint matches.
///
/// Only applies to files that already exist when following starts for the first time (no saved state).
/// Files that appear later, and files that replaced a checkpointed file, are always read from the beginning so that
/// nothing new is skipped.
public enum StartPosition: String, Codable, Sendable, CaseIterable {
    /// Read the existing content (a replay of the file so far).
    case beginning
    /// Skip existing content and read only lines appended from now on (starting after the last complete line).
    case end
}
