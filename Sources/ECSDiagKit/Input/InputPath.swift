#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input to read: a regular file or standard input.
public struct InputFile: Sendable, Equatable {
    /// The path as printed in `PATH:LINE` references (`-` for standard input).
    public var path: String
    /// Whether this is standard input.
    public var isStandardInput: Bool { path == "-" }

    /// Creates an input.
    public init(path: String) { self.path = path }
}

/// Why a command-line path cannot be read. Exit status 2.
public struct InputPathError: Error, CustomStringConvertible, Equatable {
    /// The path as given.
    public var path: String
    /// The reason, from `strerror`.
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Expands command-line PATH arguments: files, directories (recursively, sorted; hidden entries and `*.md`
/// documentation skipped) and `-` for standard input.
public enum InputPaths {
    /// Expands `paths` in order. A path that does not exist or cannot be opened is an error.
    public static func expand(_ paths: [String]) throws(InputPathError) -> [InputFile] {
        var out: [InputFile] = []
        for path in paths {
            if path == "-" { out.append(InputFile(path: "-")); continue }
            var st = stat()
            guard stat(path, &st) == 0 else { throw InputPathError(path: path, reason: String(cString: strerror(errno))) }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                try walk(directory: path, into: &out)
            } else {
                guard access(path, R_OK) == 0 else {
                    throw InputPathError(path: path, reason: String(cString: strerror(errno)))
                }
                out.append(InputFile(path: path))
            }
        }
        return out
    }

    private static func walk(directory: String, into out: inout [InputFile]) throws(InputPathError) {
        guard let dir = opendir(directory) else {
            throw InputPathError(path: directory, reason: String(cString: strerror(errno)))
        }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        closedir(dir)
        for name in names.sorted() {
            let child = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var st = stat()
            guard stat(child, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFDIR: try walk(directory: child, into: &out)
            case S_IFREG:
                // Markdown beside saved logs (READMEs, incident notes) is documentation, not log data.
                // Only directory walks skip it; a Markdown file named explicitly is read.
                if name.hasSuffix(".md") { continue }
                out.append(InputFile(path: child))
            default: continue
            }
        }
    }
}
