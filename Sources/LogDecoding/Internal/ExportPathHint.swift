import DiagnosisRules

/// What the path of a CloudWatch export-to-S3 object says about its lines.
///
/// Exports are laid out as `…/<exportTaskId>/<logStreamName with / replaced by ->/000000.gz`, so the folder
/// containing a `NNNNNN[.gz]` file names the stream, and a 32-hex suffix of that folder is the task id
/// (awslogs streams end in the task id). This is only a hint: it applies to export-shaped lines only.
struct ExportPathHint {
    /// The folder name (the stream name as exported).
    var stream: [UInt8]
    /// The task id at the end of the folder name, if any.
    var task: TaskID?

    init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return nil }
        let file = parts[parts.count - 1]
        var stem = Substring(file)
        if stem.hasSuffix(".gz") { stem = stem.dropLast(3) }
        guard stem.count == 6, stem.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let folder = Array(parts[parts.count - 2].utf8)
        stream = folder
        task = nil
        if folder.count >= 32 {
            let tail = folder[(folder.count - 32)...]
            let boundary = folder.count == 32 || folder[folder.count - 33] == 45 || folder[folder.count - 33] == 47
            if boundary {
                task = tail.withUnsafeBytes { TaskID(bytes: $0) }
            }
        }
    }
}
