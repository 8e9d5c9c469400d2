import Foundation
import Testing

/// Checks `systemd/ecsdiagd.catalog`, the journal message catalog with one entry per diagnosis rule.
struct CatalogFileTests {
    static let catalogURL = TestSupport.repositoryRoot.appendingPathComponent("systemd/ecsdiagd.catalog")

    /// The rule MESSAGE_IDs and a phrase each entry's fix must mention.
    static let rules: [(id: String, rule: String, fix: String)] = [
        ("37afbe3def814795b97ecc35ca3ed520", "access-denied", "taskRoleArn"),
        ("feedf6410b9e4049bde416654ced961e", "restart-loop", "--health-check-grace-period-seconds"),
        ("49351504126440bca6b3c5d5006ecade", "saturation", "ECSServiceAverageCPUUtilization"),
        ("7be7f1aab4c44de3bf94e031c9f28f38", "missing-logs", "awslogs-group"),
    ]

    /// Parses the catalog into id → (headers, body).
    private func parse() throws -> [String: (headers: [String: String], body: String)] {
        let text = try String(contentsOf: Self.catalogURL, encoding: .utf8)
        var entries: [String: (headers: [String: String], body: String)] = [:]
        var currentID: String?
        var headers: [String: String] = [:]
        var body: [Substring] = []
        var inHeaders = false
        func finish() {
            if let currentID { entries[currentID] = (headers, body.joined(separator: "\n")) }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- ") {
                finish()
                currentID = String(line.dropFirst(3))
                headers = [:]
                body = []
                inHeaders = true
            } else if currentID == nil {
                continue  // comments before the first entry
            } else if inHeaders, let colon = line.firstIndex(of: ":"), !line.isEmpty {
                headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            } else {
                inHeaders = false
                body.append(line)
            }
        }
        finish()
        return entries
    }

    @Test func hasOneCompleteEntryPerRule() throws {
        let entries = try parse()
        #expect(Set(entries.keys) == Set(Self.rules.map(\.id)))
        for rule in Self.rules {
            let entry = try #require(entries[rule.id], "no catalog entry for \(rule.rule)")
            #expect(rule.id.count == 32 && rule.id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(!(entry.headers["Subject"] ?? "").isEmpty, "\(rule.rule): Subject")
            #expect(entry.headers["Defined-By"] == "ecsdiagd", "\(rule.rule): Defined-By")
            #expect(entry.headers["Support"]?.hasPrefix("https://") == true, "\(rule.rule): Support")
            #expect(entry.body.contains("To confirm"), "\(rule.rule): how to confirm")
            #expect(entry.body.contains("To fix"), "\(rule.rule): how to fix")
            #expect(entry.body.contains(rule.fix), "\(rule.rule): fix mentions \(rule.fix)")
        }
    }

    /// Compiles the catalog with `journalctl --update-catalog` in a scratch root and lists it back.
    @Test func journalctlCompilesTheCatalog() throws {
        let journalctl = try #require(TestSupport.executable("journalctl"), "journalctl is not installed")
        let root = try TestSupport.makeTemporaryDirectory("catalog")
        defer { try? FileManager.default.removeItem(at: root) }
        let catalogDirectory = root.appendingPathComponent("usr/lib/systemd/catalog")
        try FileManager.default.createDirectory(at: catalogDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.catalogURL, to: catalogDirectory.appendingPathComponent("ecsdiagd.catalog"))

        let update = try TestSupport.run(journalctl, ["--root=\(root.path)", "--update-catalog"])
        #expect(update.status == 0, "journalctl --update-catalog: \(update.standardError)")
        #expect(update.standardError.isEmpty, "journalctl --update-catalog: \(update.standardError)")

        let list = try TestSupport.run(journalctl, ["--root=\(root.path)", "--list-catalog"])
        #expect(list.status == 0)
        let listed = Set(list.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        #expect(listed == Set(Self.rules.map(\.id)))

        let dump = try TestSupport.run(journalctl, ["--root=\(root.path)", "--dump-catalog", Self.rules[0].id])
        #expect(dump.output.contains("Defined-By: ecsdiagd"))
        #expect(dump.output.contains("taskRoleArn"))
    }
}
