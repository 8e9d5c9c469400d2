import Glibc

/// Expands configured sources (paths, glob patterns, directories) into the regular files to follow and the
/// directories to watch for new files.
struct SourceExpander {
    /// The result of one expansion.
    struct Expansion {
        /// Regular files, sorted, without duplicates.
        var files: [String] = []
        /// Directories whose entries can change the expansion.
        var directories: Set<String> = []
        /// Whether ``SourceExpander/maximumFiles`` cut the list short.
        var isTruncated = false
    }

    let sources: [String]
    let exclude: [String]
    let maximumFiles: Int
    let maximumDepth: Int

    /// Whether `source` is a glob pattern.
    static func isPattern(_ source: String) -> Bool {
        source.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
    }

    func expand() -> Expansion {
        var expansion = Expansion()
        var seen: Set<String> = []
        var truncated = false
        func add(_ path: String) {
            guard !seen.contains(path), !isExcluded(path) else { return }
            guard seen.count < maximumFiles else {
                truncated = true
                return
            }
            seen.insert(path)
        }
        for source in sources where source != "-" && !source.isEmpty {
            if Self.isPattern(source) {
                expandPattern(source, into: &expansion, add: add)
            } else if let info = POSIX.status(source), POSIX.isDirectory(info) {
                walk(directory: Self.trimmingTrailingSlashes(source), depth: 0, into: &expansion, add: add)
            } else {
                // A plain file, present or not yet: watch its directory so that its creation is noticed.
                expansion.directories.insert(Self.parent(of: source))
                if let info = POSIX.status(source), POSIX.isRegularFile(info) { add(source) }
            }
        }
        expansion.files = seen.sorted()
        expansion.isTruncated = truncated
        return expansion
    }

    private func isExcluded(_ path: String) -> Bool {
        exclude.contains { fnmatch($0, path, 0) == 0 }
    }

    private func expandPattern(_ pattern: String, into expansion: inout Expansion, add: (String) -> Void) {
        for path in Self.glob(pattern) {
            guard let info = POSIX.status(path) else { continue }
            if POSIX.isRegularFile(info) {
                add(path)
                expansion.directories.insert(Self.parent(of: path))
            }
        }
        // Watch the directories new matches can appear in: the fixed prefix and the matches of the directory part.
        expansion.directories.insert(Self.fixedPrefix(of: pattern))
        let directoryPattern = Self.parent(of: pattern)
        if Self.isPattern(directoryPattern) {
            for directory in Self.glob(directoryPattern) {
                if let info = POSIX.status(directory), POSIX.isDirectory(info) { expansion.directories.insert(directory) }
            }
        } else {
            expansion.directories.insert(directoryPattern)
        }
    }

    private func walk(directory: String, depth: Int, into expansion: inout Expansion, add: (String) -> Void) {
        expansion.directories.insert(directory)
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        var subdirectories: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let path = directory == "/" ? "/\(name)" : "\(directory)/\(name)"
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG):
                add(path)
            case Int32(DT_DIR):
                subdirectories.append(path)
            default:
                // Symlinks and file systems without d_type: follow the link for files, never for directories
                // (no loops).
                guard let info = POSIX.status(path) else { continue }
                if POSIX.isRegularFile(info) {
                    add(path)
                } else if POSIX.isDirectory(info), Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
                    var linkInfo = stat()
                    if lstat(path, &linkInfo) == 0, (linkInfo.st_mode & S_IFMT) == S_IFDIR { subdirectories.append(path) }
                }
            }
        }
        guard depth < maximumDepth else { return }
        for subdirectory in subdirectories.sorted() {
            walk(directory: subdirectory, depth: depth + 1, into: &expansion, add: add)
        }
    }

    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { String(cString: $0) }
        }
    }

    /// The directory containing `path` (`.` for a bare name).
    static func parent(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The leading directories of a pattern that contain no wildcard.
    static func fixedPrefix(of pattern: String) -> String {
        var components: [Substring] = []
        for component in pattern.split(separator: "/", omittingEmptySubsequences: false).dropLast() {
            if isPattern(String(component)) { break }
            components.append(component)
        }
        let joined = components.joined(separator: "/")
        if joined.isEmpty { return pattern.hasPrefix("/") ? "/" : "." }
        return joined
    }

    static func trimmingTrailingSlashes(_ path: String) -> String {
        var path = Substring(path)
        while path.count > 1 && path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }
}
