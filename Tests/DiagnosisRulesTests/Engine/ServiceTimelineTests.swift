import Testing
@testable import DiagnosisRules

@Suite struct ServiceTimelineTests {
    static let minute: Int64 = 60_000
    static let retention = TimelineStore.retentionMinutes * minute

    @Test func logRecordBatchesStartOnlyWithinTheRetentionOfTheLatestMinute() {
        var store = TimelineStore()
        let key = ServiceKey(cluster: "prod", service: "orders")
        #expect(store.beginLogRecords(of: key, from: 0, through: Self.retention + Self.minute) == nil)
        #expect(store.count == 0)
        let t = store.beginLogRecords(of: key, from: 0, through: Self.retention)
        #expect(t != nil)
        store.addLogRecords(2, at: Self.retention, to: t!)
        store.addLogRecords(3, at: 0, to: t!)
        store.addLogRecords(4, at: Self.retention, to: t!)
        #expect(store.timelines == [ServiceTimeline(cluster: "prod", service: "orders", minutes: [
            { var m = TimelineMinute(minute: EventTime(milliseconds: 0)); m.logRecords = 3; return m }(),
            { var m = TimelineMinute(minute: EventTime(milliseconds: Self.retention)); m.logRecords = 6; return m }(),
        ])])
        // The stored latest minute counts too.
        store.update(key, at: 10 * Self.retention) { $0.logRecords += 1 }
        #expect(store.beginLogRecords(of: key, from: 9 * Self.retention, through: 9 * Self.retention) != nil)
        #expect(store.beginLogRecords(of: key, from: 9 * Self.retention - Self.minute, through: 9 * Self.retention) == nil)
        // A key without a cluster keeps the stored one.
        let bare = store.beginLogRecords(of: ServiceKey(cluster: nil, service: "orders"), from: 10 * Self.retention, through: 10 * Self.retention)
        store.addLogRecords(1, at: 10 * Self.retention, to: bare!)
        #expect(store.timelines[0].cluster == "prod")
        #expect(store.timelines[0].minutes.last?.logRecords == 2)
    }

    @Test func aMinuteOlderThanTheRetentionIsDroppedOnlyAfterANewerOne() {
        let key = ServiceKey(cluster: nil, service: "orders")
        var newerFirst = TimelineStore()
        newerFirst.update(key, at: Self.retention + Self.minute) { $0.logRecords += 1 }
        newerFirst.update(key, at: 0) { $0.logRecords += 1 }
        var olderFirst = TimelineStore()
        olderFirst.update(key, at: 0) { $0.logRecords += 1 }
        olderFirst.update(key, at: Self.retention + Self.minute) { $0.logRecords += 1 }
        #expect(newerFirst.timelines[0].minutes.count == 1)
        #expect(olderFirst.timelines[0].minutes.count == 1)
        var inside = TimelineStore()
        inside.update(key, at: 0) { $0.logRecords += 1 }
        inside.update(key, at: Self.retention) { $0.logRecords += 1 }
        #expect(inside.timelines[0].minutes.count == 2)
    }
}
