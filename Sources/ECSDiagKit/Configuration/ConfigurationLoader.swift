import DiagnosisRules
import TOMLKit

#if canImport(Glibc)
import Glibc
#endif

/// Reads and validates the TOML configuration. Unknown keys and bad values are errors naming file, line and key.
public enum ConfigurationLoader {
    /// Reads `path` and parses it.
    public static func load(path: String) throws(ConfigurationError) -> Configuration {
        guard let text = readText(path) else {
            throw ConfigurationError(path: path, line: 0, key: "", message: "cannot read: \(String(cString: strerror(errno)))")
        }
        return try parse(text: text, path: path)
    }

    /// Parses configuration text; `path` is used in error messages.
    public static func parse(text: String, path: String) throws(ConfigurationError) -> Configuration {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(path: path, line: error.source.begin.line, key: "", message: "syntax error: \(error.description)")
        } catch {
            throw ConfigurationError(path: path, line: 0, key: "", message: "syntax error: \(error)")
        }
        var reader = TableReader(path: path, index: KeyLineIndex(text: text))
        var config = Configuration()
        try reader.allowOnly(
            [
                "state_directory", "start_position", "poll_interval_ms", "coalesce_ms", "checkpoint_interval_ms",
                "context", "source", "engine", "rules",
            ],
            in: root, at: ""
        )
        // Daemon settings are top-level keys, before the first table.
        if let v = try reader.string(root, "state_directory", at: "") {
            guard v.hasPrefix("/") else { throw reader.error("state_directory", "must be an absolute path") }
            config.stateDirectory = v
        }
        if let v = try reader.string(root, "start_position", at: "") {
            guard let p = Configuration.StartPosition(rawValue: v) else {
                throw reader.error("start_position", "must be \"beginning\" or \"end\", not \"\(v)\"")
            }
            config.startPosition = p
        }
        if let v = try reader.number(root, "poll_interval_ms", at: "", range: 10...1000) {
            config.pollIntervalMilliseconds = Int(v)
        }
        if let v = try reader.number(root, "coalesce_ms", at: "", range: 0...1000) {
            config.coalesceMilliseconds = Int(v)
        }
        if let v = try reader.number(root, "checkpoint_interval_ms", at: "", range: 100...60_000) {
            config.checkpointIntervalMilliseconds = Int(v)
        }
        if let v = try reader.strings(root, "context", at: "") { config.contextPaths = v }
        if let value = root["source"] {
            guard let array = value.array else { throw reader.error("source", "must be an array of tables: [[source]]") }
            for (i, element) in array.enumerated() {
                let at = "source[\(i)]"
                guard let table = element.table else { throw reader.error(at, "must be a table with a path") }
                try reader.allowOnly(["path"], in: table, at: at)
                guard let p = try reader.string(table, "path", at: at), !p.isEmpty else {
                    throw reader.error(at, "needs a non-empty path")
                }
                config.sources.append(p)
            }
        }
        var s = RuleSettings()
        if let engine = try reader.table(root, "engine", at: "") {
            let at = "engine"
            try reader.allowOnly(["allowed_lateness_seconds", "idle_eviction_seconds", "max_tracked_tasks", "minimum_firing_seconds"], in: engine, at: at)
            if let v = try reader.number(engine, "allowed_lateness_seconds", at: at, range: 0...3600) { s.engine.allowedLatenessSeconds = v }
            if let v = try reader.number(engine, "idle_eviction_seconds", at: at, range: 60...7 * 86400) { s.engine.idleEvictionSeconds = v }
            if let v = try reader.number(engine, "max_tracked_tasks", at: at, range: 100...10_000_000) { s.engine.maxTrackedTasks = Int(v) }
            if let v = try reader.number(engine, "minimum_firing_seconds", at: at, range: 0...86400) { s.engine.minimumFiringSeconds = v }
        }
        if let rules = try reader.table(root, "rules", at: "") {
            try reader.allowOnly(RuleID.allCases.map(\.rawValue), in: rules, at: "rules")
            if let t = try reader.table(rules, "access-denied", at: "rules") {
                let at = "rules.access-denied"
                try reader.allowOnly(["threshold", "window_seconds", "clear_seconds", "execution_roles"], in: t, at: at)
                if let v = try reader.number(t, "threshold", at: at, range: 1...10_000) { s.accessDenied.threshold = Int(v) }
                if let v = try reader.number(t, "window_seconds", at: at, range: 1...86400) { s.accessDenied.windowSeconds = v }
                if let v = try reader.number(t, "clear_seconds", at: at, range: 1...86400) { s.accessDenied.clearSeconds = v }
                if let v = try reader.strings(t, "execution_roles", at: at) { s.accessDenied.executionRoles = v }
            }
            if let t = try reader.table(rules, "restart-loop", at: "rules") {
                let at = "rules.restart-loop"
                try reader.allowOnly(["threshold", "window_seconds", "clear_seconds", "ready_markers", "grace_period_factor"], in: t, at: at)
                if let v = try reader.number(t, "threshold", at: at, range: 1...10_000) { s.restartLoop.threshold = Int(v) }
                if let v = try reader.number(t, "window_seconds", at: at, range: 1...86400) { s.restartLoop.windowSeconds = v }
                if let v = try reader.number(t, "clear_seconds", at: at, range: 1...86400) { s.restartLoop.clearSeconds = v }
                if let v = try reader.strings(t, "ready_markers", at: at) {
                    guard v.allSatisfy({ $0.utf8.count >= 2 }) else { throw reader.error("\(at).ready_markers", "markers need at least 2 characters") }
                    s.restartLoop.readyMarkers = v
                }
                if let v = try reader.number(t, "grace_period_factor", at: at, range: 1...10) { s.restartLoop.gracePeriodFactor = v }
            }
            if let t = try reader.table(rules, "saturation", at: "rules") {
                let at = "rules.saturation"
                try reader.allowOnly(["cpu_percent", "memory_percent", "latency_seconds", "sustain_seconds", "clear_seconds"], in: t, at: at)
                if let v = try reader.number(t, "cpu_percent", at: at, range: 1...1000) { s.saturation.cpuPercent = v }
                if let v = try reader.number(t, "memory_percent", at: at, range: 1...1000) { s.saturation.memoryPercent = v }
                if let v = try reader.number(t, "latency_seconds", at: at, range: 0.001...3600) { s.saturation.latencySeconds = v }
                if let v = try reader.number(t, "sustain_seconds", at: at, range: 60...86400) { s.saturation.sustainSeconds = v }
                if let v = try reader.number(t, "clear_seconds", at: at, range: 1...86400) { s.saturation.clearSeconds = v }
            }
            if let t = try reader.table(rules, "missing-logs", at: "rules") {
                let at = "rules.missing-logs"
                try reader.allowOnly(["silence_seconds", "clear_seconds"], in: t, at: at)
                if let v = try reader.number(t, "silence_seconds", at: at, range: 1...86400) { s.missingLogs.silenceSeconds = v }
                if let v = try reader.number(t, "clear_seconds", at: at, range: 1...86400) { s.missingLogs.clearSeconds = v }
            }
        }
        config.settings = s
        return config
    }

    static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > 16 << 20 { return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Typed access to TOML tables that turns every mismatch into a `ConfigurationError` with file, line and key.
private struct TableReader {
    let path: String
    let index: KeyLineIndex

    func error(_ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(path: path, line: index.line(of: key), key: key, message: message)
    }

    private func full(_ at: String, _ key: String) -> String { at.isEmpty ? key : "\(at).\(key)" }

    func allowOnly(_ keys: [String], in table: TOMLTable, at: String) throws(ConfigurationError) {
        for key in table.keys.sorted() where !keys.contains(key) {
            throw error(full(at, key), "unknown key (expected one of: \(keys.joined(separator: ", ")))")
        }
    }

    func table(_ t: TOMLTable, _ key: String, at: String) throws(ConfigurationError) -> TOMLTable? {
        guard let v = t[key] else { return nil }
        guard let table = v.table else { throw error(full(at, key), "must be a table") }
        return table
    }

    func string(_ t: TOMLTable, _ key: String, at: String) throws(ConfigurationError) -> String? {
        guard let v = t[key] else { return nil }
        guard let s = v.string else { throw error(full(at, key), "must be a string") }
        return s
    }

    func strings(_ t: TOMLTable, _ key: String, at: String) throws(ConfigurationError) -> [String]? {
        guard let v = t[key] else { return nil }
        guard let array = v.array else { throw error(full(at, key), "must be an array of strings") }
        var out: [String] = []
        for element in array {
            guard let s = element.string else { throw error(full(at, key), "must be an array of strings") }
            out.append(s)
        }
        return out
    }

    func number(_ t: TOMLTable, _ key: String, at: String, range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
        guard let v = t[key] else { return nil }
        let value: Double
        if let i = v.int { value = Double(i) } else if let d = v.double { value = d } else {
            throw error(full(at, key), "must be a number")
        }
        guard range.contains(value) else {
            throw error(full(at, key), "must be between \(JSONText.format(range.lowerBound)) and \(JSONText.format(range.upperBound)), not \(JSONText.format(value))")
        }
        return value
    }
}
