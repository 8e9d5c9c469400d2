#if canImport(Glibc)
import Glibc
#endif

/// Splits expanded inputs into log inputs and configuration documents, by content.
///
/// A saved incident folder often holds `aws ecs describe-task-definition` or `aws elbv2 describe-target-groups`
/// output next to the logs. Small JSON files (≤ 8 MiB, starting with `{`) that the context reader recognises are
/// used as context; they are kept as log inputs too only when they carry events (`describe-services`).
public enum InputPartition {
    /// The result: log inputs and context documents found among them.
    public struct Result: Sendable {
        /// Inputs to decode as logs.
        public var logs: [InputFile]
        /// Paths recognised as context documents.
        public var contextPaths: [String]
    }

    /// Largest file considered as a configuration document.
    public static let maximumDocumentBytes = 8 << 20

    /// Partitions `inputs`; standard input and large or non-JSON files are always logs.
    public static func split(_ inputs: [InputFile]) -> Result {
        var logs: [InputFile] = []
        var context: [String] = []
        for input in inputs {
            guard !input.isStandardInput, looksLikeSmallJSONObject(input.path) else {
                logs.append(input)
                continue
            }
            let load = ContextDocumentReader.load(paths: [input.path])
            guard let document = load.documents.first else {
                logs.append(input)
                continue
            }
            context.append(input.path)
            if document.kind == .services { logs.append(input) }
        }
        return Result(logs: logs, contextPaths: context)
    }

    private static func looksLikeSmallJSONObject(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, st.st_size > 0, st.st_size <= maximumDocumentBytes else { return false }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 256)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return false }
        // Skip a UTF-8 byte-order mark and whitespace.
        var i = (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) ? 3 : 0
        while i < n, head[i] == 32 || head[i] == 9 || head[i] == 10 || head[i] == 13 { i += 1 }
        return i < n && head[i] == UInt8(ascii: "{")
    }
}
