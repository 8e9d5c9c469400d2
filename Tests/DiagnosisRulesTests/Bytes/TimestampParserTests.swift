import DiagnosisRules
import Testing

struct TimestampParserTests {
    private func iso(_ s: String) -> EventTime? {
        Array(s.utf8).withUnsafeBytes { TimestampParser.parseISO($0)?.time }
    }

    private func any(_ s: String) -> EventTime? {
        Array(s.utf8).withUnsafeBytes { TimestampParser.parseAny($0) }
    }

    @Test(arguments: [
        // CLI v2 describe-services: local offset and microseconds.
        ("2023-08-23T18:27:56.436000-07:00", "2023-08-24T01:27:56.436Z"),
        ("2017-03-31T14:17:26.154000-04:00", "2017-03-31T18:17:26.154Z"),
        // aws logs tail detailed / short.
        ("2018-01-01T00:29:43.079060+00:00", "2018-01-01T00:29:43.079Z"),
        ("2018-01-01T00:29:43", "2018-01-01T00:29:43.000Z"),
        // ALB and EventBridge.
        ("2018-07-02T22:23:00.186641Z", "2018-07-02T22:23:00.186Z"),
        ("2020-06-05T12:17:11Z", "2020-06-05T12:17:11.000Z"),
        // Deploy-tool slash form and compact offsets.
        ("2017/12/26 23:46:45", "2017-12-26T23:46:45.000Z"),
        ("2021-03-08 07:30:43 +0000 UTC", "2021-03-08T07:30:43.000Z"),
        ("2021-03-08T07:30:43+0530", "2021-03-08T02:00:43.000Z"),
        ("2000-02-29T23:59:59.999Z", "2000-02-29T23:59:59.999Z"),
    ])
    func parsesISOForms(input: String, expected: String) {
        #expect(iso(input)?.rfc3339 == expected)
    }

    @Test(arguments: [
        ("1556717034.08", "2019-05-01T13:23:54.080Z"),
        ("1.619952106055E9", "2021-05-02T10:41:46.055Z"),
        ("1712567843827", "2024-04-08T09:17:23.827Z"),
        ("1623963900000", "2021-06-17T21:05:00.000Z"),
    ])
    func parsesEpochForms(input: String, expected: String) {
        #expect(any(input)?.rfc3339 == expected)
    }

    @Test(arguments: [
        "", "2023-13-01T00:00:00Z", "2023-08-23 18:27", "hello world, not a time", "12ab", "1e", "-", "2023-08-23T18:27:56.",
        // Numbers beyond an Int64 of milliseconds (they used to trap): not times.
        "17125678438270000000", "9223372036854775808", "1e300", "-1795000000000",
    ])
    func rejectsNonTimes(input: String) {
        #expect(any(input) == nil)
    }

    @Test func reportsConsumedLength() {
        let line = Array("2018-01-01T00:29:43.079060+00:00 stream message".utf8)
        let parsed = line.withUnsafeBytes { TimestampParser.parseISO($0) }
        #expect(parsed?.length == 32)
    }

    @Test func roundTripsThroughCivilTime() {
        for ms in stride(from: Int64(-86_400_000 * 400), through: 86_400_000 * 40_000, by: 86_400_000 * 37 + 12_345) {
            let t = EventTime(milliseconds: ms)
            #expect(iso(t.rfc3339) == t)
        }
    }
}
