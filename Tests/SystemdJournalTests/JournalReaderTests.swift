import Foundation
import SystemdJournal
import Testing

struct JournalReaderTests {
    private static func nowMicroseconds() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1_000_000)
    }

    @Test func findsNothingForAnUnknownValue() throws {
        let reader = try JournalReader()
        try reader.addMatch(JournalField(name: "ECSDIAG_TEST_TOKEN", value: SystemdJournalWriterTests.randomToken()))
        #expect(try reader.entries().isEmpty)
        #expect(try reader.next() == nil)
    }

    @Test func reportsAMissingDirectory() {
        #expect(throws: JournalError.self) {
            _ = try JournalReader(directory: "/nonexistent-ecsdiagd-journal-\(UUID().uuidString)")
        }
    }

    @Test func filtersByTimeRangeMatchesAndLimit() throws {
        guard TestSupport.journaldIsRunning else {
            Issue.record(Comment(rawValue: TestSupport.journaldMissingMessage))
            return
        }
        let token = SystemdJournalWriterTests.randomToken()
        let writer = SystemdJournalWriter(syslogIdentifier: "ecsdiagd-tests")
        var boundaries: [UInt64] = []
        for sequence in 1...3 {
            boundaries.append(Self.nowMicroseconds())
            try writer.send([
                JournalField(name: "MESSAGE", value: "reader test \(sequence)"),
                JournalField(name: "ECSDIAG_TEST_TOKEN", value: token),
                JournalField(name: "ECSDIAG_SEQUENCE", value: "\(sequence)"),
            ])
            Thread.sleep(forTimeInterval: 0.02)
        }
        let end = Self.nowMicroseconds()

        func read(since: UInt64? = nil, until: UInt64? = nil, limit: Int = 100) throws -> [String] {
            let reader = try JournalReader()
            try reader.addMatch(JournalField(name: "ECSDIAG_TEST_TOKEN", value: token))
            return try reader.entries(sinceMicroseconds: since, untilMicroseconds: until, limit: limit)
                .compactMap { $0["ECSDIAG_SEQUENCE"] }
        }
        var all: [String] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while all.count < 3 && ContinuousClock.now < deadline {
            all = try read()
            if all.count < 3 { Thread.sleep(forTimeInterval: 0.1) }
        }
        try #require(all == ["1", "2", "3"], "entries did not all appear within 5 s")

        #expect(try read(since: boundaries[1]) == ["2", "3"])
        #expect(try read(until: boundaries[2]) == ["1", "2"])
        #expect(try read(since: boundaries[1], until: boundaries[2]) == ["2"])
        #expect(try read(since: end + 60_000_000) == [])
        #expect(try read(limit: 2) == ["1", "2"])

        // Matching a second field ANDs it with the first.
        let reader = try JournalReader()
        try reader.addMatch(JournalField(name: "ECSDIAG_TEST_TOKEN", value: token))
        try reader.addMatch(JournalField(name: "ECSDIAG_SEQUENCE", value: "2"))
        #expect(try reader.entries().map(\.fields["MESSAGE"]) == ["reader test 2"])

        // Resuming after a cursor continues with the next entry.
        let first = try JournalReader()
        try first.addMatch(JournalField(name: "ECSDIAG_TEST_TOKEN", value: token))
        let cursor = try #require(try first.entries(limit: 1).first?.cursor)
        let resumed = try JournalReader()
        try resumed.addMatch(JournalField(name: "ECSDIAG_TEST_TOKEN", value: token))
        try resumed.seek(afterCursor: cursor)
        #expect(try resumed.next()?["ECSDIAG_SEQUENCE"] == "2")
    }
}
