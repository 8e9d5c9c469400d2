import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An append-only file of the alert transitions decided since the last checkpoint: the cheap way to make a
/// transition durable before it is sent.
///
/// The checkpoint (file offsets + the whole engine state) is a snapshot: hundreds of kilobytes of JSON. Writing
/// one before every alert would make each alert cost a snapshot; instead each batch of decided transitions is
/// appended here as JSON lines and `fdatasync`ed — a few hundred bytes — and only then sent. Every line carries
/// the generation of the checkpoint it follows; a checkpoint bumps the generation and empties the file, so lines
/// of an older generation (a crash between the two) are ignored.
///
/// Once the journal accepted an entry its id is appended too (without `fdatasync`: a process crash keeps it in
/// the page cache; only a power loss can drop it, and the journal check below still applies).
///
/// After a crash the daemon restores the checkpoint, puts this generation's transitions that were not marked as
/// sent back in the outbox (reconciled against the journal like any outbox entry), and, while it reads again the
/// input that decided them, drops each re-decided transition whose `ECSDIAG_ALERT_ID` is already here.
struct OutboxLedger {
    /// The ledger file (`<state_directory>/outbox-ledger.jsonl`).
    let path: String

    /// One line: a decided entry, or the id of an entry the journal accepted.
    private struct Line: Codable {
        var generation: UInt64
        var entry: OutboxEntry?
        var sent: String?
    }

    /// What one generation of the ledger holds.
    struct Contents {
        /// Decided transitions, oldest first.
        var entries: [OutboxEntry] = []
        /// Ids the journal accepted.
        var sent: Set<String> = []
    }

    /// Appends `entries` under `generation` and flushes them to disk.
    func append(_ entries: [OutboxEntry], generation: UInt64) throws(OutboxLedgerError) {
        try appendLines(entries.map { Line(generation: generation, entry: $0) }, sync: true)
    }

    /// Records that the journal accepted the entries with these ids (no `fdatasync`).
    func markSent(_ ids: [String], generation: UInt64) throws(OutboxLedgerError) {
        try appendLines(ids.map { Line(generation: generation, sent: $0) }, sync: false)
    }

    private func appendLines(_ lines: [Line], sync: Bool) throws(OutboxLedgerError) {
        guard !lines.isEmpty else { return }
        var bytes: [UInt8] = []
        let encoder = JSONEncoder()
        for line in lines {
            guard let data = try? encoder.encode(line) else { throw .encoding(path: path) }
            bytes.append(contentsOf: data)
            bytes.append(10)
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write", path: path, errno: errno)
            }
            done += n
        }
        if sync, fdatasync(fd) != 0 { throw .io(operation: "fdatasync", path: path, errno: errno) }
    }

    /// What was appended under `generation`. Lines of other generations and a torn last line (a crash in the
    /// middle of a write) are skipped.
    func contents(generation: UInt64) -> Contents {
        var out = Contents()
        guard let data = FileManager.default.contents(atPath: path) else { return out }
        let decoder = JSONDecoder()
        for line in data.split(separator: 10) {
            guard let decoded = try? decoder.decode(Line.self, from: line), decoded.generation == generation else {
                continue
            }
            if let entry = decoded.entry { out.entries.append(entry) }
            if let id = decoded.sent { out.sent.insert(id) }
        }
        return out
    }

    /// Empties the ledger (after a checkpoint that covers its entries).
    func reset() throws(OutboxLedgerError) {
        guard truncate(path, 0) == 0 || errno == ENOENT else {
            throw .io(operation: "truncate", path: path, errno: errno)
        }
    }
}

/// Why the outbox ledger could not be written.
enum OutboxLedgerError: Error, CustomStringConvertible {
    case io(operation: String, path: String, errno: Int32)
    case encoding(path: String)

    var description: String {
        switch self {
        case .io(let operation, let path, let code): "\(operation) \(path): \(String(cString: strerror(code)))"
        case .encoding(let path): "cannot encode an entry of \(path)"
        }
    }
}
