import LogDecoding
import Testing

@Suite struct MalformedReportTests {
    @Test func countsAndExamplesPerReason() {
        var report = MalformedReport()
        #expect(report.isEmpty)
        for line in 1...5 { report.record(.brokenJSON, line: Int64(line), detail: "d\(line)") }
        report.record(.binaryData, line: 9, detail: "b")
        #expect(report.count(.brokenJSON) == 5)
        #expect(report.count(.binaryData) == 1)
        #expect(report.count(.recordTooLong) == 0)
        #expect(report.total == 6)
        #expect(report.examples(.brokenJSON).map(\.line) == [1, 2, 3])
        #expect(report.examples.map(\.reason) == [.brokenJSON, .brokenJSON, .brokenJSON, .binaryData])
        #expect(report.description == "broken JSON: 5 (e.g. line 1, 2, 3); binary data: 1 (e.g. line 9)")
    }

    @Test func reasonAndFormatNames() {
        #expect(
            MalformedReport.Reason.allCases.map(\.description) == [
                "broken JSON", "truncated gzip", "invalid UTF-8", "binary data", "record too long",
                "unknown JSON document",
                "read error",
            ])
        #expect(InputFormat.tailDetailed.name == "aws logs tail (detailed)")
        #expect(InputFormat.cloudWatchFilterLogEvents.name == "CloudWatch filter-log-events")
        #expect(Set(InputFormat.allCases.map(\.name)).count == InputFormat.allCases.count)
    }
}
