import Foundation
import SystemdJournal
import Testing

struct SystemdJournalWriterTests {
    /// A random 32-hex-digit token, so that each run finds exactly its own entries.
    static func randomToken() -> String {
        (0..<4).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max)) }.joined()
    }

    /// Decodes one `journalctl -o json` value: a string, or an array of byte values for binary data.
    static func decodeJSONValue(_ value: Any) -> String? {
        if let string = value as? String { return string }
        if let bytes = value as? [Int] { return String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self) }
        return nil
    }

    @Test func rejectsInvalidFieldNamesBeforeSending() {
        let writer = SystemdJournalWriter()
        #expect(throws: JournalError.invalidFieldName("_COMM")) {
            try writer.send([JournalField(name: "MESSAGE", value: "x"), JournalField(name: "_COMM", value: "forged")])
        }
        #expect(throws: JournalError.emptyEntry) { try SystemdJournalWriter(syslogIdentifier: nil).send([]) }
    }

    @Test func addsDefaultFieldsOnlyWhenAbsent() {
        let writer = SystemdJournalWriter(syslogIdentifier: "ecsdiagd")
        #expect(writer.defaultFields == [JournalField(name: "SYSLOG_IDENTIFIER", value: "ecsdiagd")])
        #expect(SystemdJournalWriter(syslogIdentifier: nil).defaultFields.isEmpty)
    }

    /// Writes an entry with a unique token and multi-line values, then reads it back with `journalctl -o json` and
    /// with ``JournalReader``, comparing every field.
    @Test func roundTripsThroughJournald() throws {
        guard TestSupport.journaldIsRunning else {
            Issue.record(Comment(rawValue: TestSupport.journaldMissingMessage))
            return
        }
        let token = Self.randomToken()
        let expected: [String: String] = [
            "MESSAGE": "ecsdiagd journal round trip \(token)\nsecond line\n\tthird line with tab",
            "MESSAGE_ID": Self.randomToken(),
            "PRIORITY": "5",
            "ECSDIAG_TEST_TOKEN": token,
            "ECSDIAG_MULTILINE": "a\nb\n\nc=d",
            "ECSDIAG_UNICODE": "héllo ✓ 日本",
            "ECSDIAG_EMPTY": "",
            "SYSLOG_IDENTIFIER": "ecsdiagd-tests",
        ]
        let fields = expected.keys.sorted().filter { $0 != "SYSLOG_IDENTIFIER" }.map {
            JournalField(name: $0, value: expected[$0]!)
        }
        try SystemdJournalWriter(syslogIdentifier: "ecsdiagd-tests").send(fields)

        // journald stores entries asynchronously: poll for up to ~5 s.
        let journalctl = try #require(TestSupport.executable("journalctl"), "journalctl is not installed")
        var found: [String: Any]?
        let deadline = ContinuousClock.now + .seconds(5)
        while found == nil && ContinuousClock.now < deadline {
            _ = try? TestSupport.run(journalctl, ["--sync"])
            let result = try TestSupport.run(journalctl, ["--no-pager", "-o", "json", "ECSDIAG_TEST_TOKEN=\(token)"])
            for line in result.output.split(separator: "\n") {
                if let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                    found = object
                }
            }
            if found == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        let json = try #require(found, "entry \(token) did not appear in journalctl -o json within 5 s")
        for (name, value) in expected {
            #expect(json[name].flatMap(Self.decodeJSONValue) == value, "journalctl field \(name)")
        }
        #expect(json["_PID"].flatMap(Self.decodeJSONValue) == "\(getpid())")

        // The same entry through sd_journal_open / sd_journal_enumerate_available_data.
        let reader = try JournalReader()
        try reader.addMatch(JournalField(name: "ECSDIAG_TEST_TOKEN", value: token))
        let entries = try reader.entries()
        try #require(entries.count == 1)
        for (name, value) in expected {
            #expect(entries[0][name] == value, "JournalReader field \(name)")
        }
        #expect(entries[0]["_TRANSPORT"] == "journal")
        #expect(!entries[0].cursor.isEmpty)
    }
}
