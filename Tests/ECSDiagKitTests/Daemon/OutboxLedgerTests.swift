import DiagnosisRules
import Foundation
import Testing
@testable import ECSDiagKit

@Suite("OutboxLedger")
struct OutboxLedgerTests {
    private static func entry(_ id: String, at ms: Int64 = 1_795_165_200_000) -> OutboxEntry {
        OutboxEntry(alertID: id, transition: AlertTransition(
            rule: .accessDenied, status: .firing, cause: .taskRoleMissingPermission, cluster: "prod", service: "web",
            taskIDs: [], firstSeen: EventTime(milliseconds: ms), lastSeen: EventTime(milliseconds: ms),
            at: EventTime(milliseconds: ms), count: 3, summary: "s", evidence: [], remediation: "f"))
    }

    private static func withLedger(_ body: (OutboxLedger, String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("outbox-ledger.jsonl").path
        try body(OutboxLedger(path: path), path)
    }

    @Test("entries and sent ids come back for their generation only, oldest first")
    func generations() throws {
        try Self.withLedger { ledger, _ in
            #expect(ledger.contents(generation: 0).entries.isEmpty)
            try ledger.append([Self.entry("a"), Self.entry("b")], generation: 3)
            try ledger.markSent(["a"], generation: 3)
            try ledger.append([Self.entry("c")], generation: 4)
            let three = ledger.contents(generation: 3)
            #expect(three.entries.map(\.alertID) == ["a", "b"])
            #expect(three.entries.first == Self.entry("a"))
            #expect(three.sent == ["a"])
            #expect(ledger.contents(generation: 4).entries.map(\.alertID) == ["c"])
            #expect(ledger.contents(generation: 5).entries.isEmpty)
        }
    }

    @Test("a torn last line (crash in the middle of a write) and garbage are skipped")
    func tornLine() throws {
        try Self.withLedger { ledger, path in
            try ledger.append([Self.entry("a")], generation: 1)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\u{0}\u{FF}garbage\n{\"generation\":1,\"entry\":{\"alertID\":\"b\",\"transi".utf8))
            try handle.close()
            #expect(ledger.contents(generation: 1).entries.map(\.alertID) == ["a"])
        }
    }

    @Test("reset empties the file; resetting a missing file is fine")
    func reset() throws {
        try Self.withLedger { ledger, path in
            try ledger.reset()
            try ledger.append([Self.entry("a")], generation: 1)
            try ledger.reset()
            #expect(ledger.contents(generation: 1).entries.isEmpty)
            #expect(FileManager.default.contents(atPath: path)?.isEmpty == true)
        }
    }

    @Test("an unwritable ledger is an error naming the path")
    func unwritable() throws {
        let ledger = OutboxLedger(path: "/nonexistent-dir-ecsdiagd/outbox-ledger.jsonl")
        let error = #expect(throws: OutboxLedgerError.self) { try ledger.append([Self.entry("a")], generation: 0) }
        #expect(error?.description.contains("/nonexistent-dir-ecsdiagd/outbox-ledger.jsonl") == true)
    }
}
