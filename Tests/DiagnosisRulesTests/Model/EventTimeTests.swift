import DiagnosisRules
import Testing

struct EventTimeTests {
    @Test func formatsRFC3339WithMilliseconds() {
        #expect(EventTime(milliseconds: 0).rfc3339 == "1970-01-01T00:00:00.000Z")
        #expect(EventTime(milliseconds: 1_763_630_043_120).rfc3339 == "2025-11-20T09:14:03.120Z")
        #expect(EventTime(milliseconds: -1).rfc3339 == "1969-12-31T23:59:59.999Z")
    }

    @Test func minuteFloorAndArithmetic() {
        let t = EventTime(milliseconds: 1_763_630_043_120)
        #expect(t.minuteFloor.rfc3339 == "2025-11-20T09:14:00.000Z")
        #expect(t.adding(seconds: 34.8).rfc3339 == "2025-11-20T09:14:37.920Z")
        #expect(t.seconds(until: t.adding(seconds: 26)) == 26)
    }
}
