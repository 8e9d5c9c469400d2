import Testing
@testable import DiagnosisRules

@Suite struct ServiceTimelineTests {
    static let minute: Int64 = 60_000
    static let retention = TimelineStore.retentionMinutes * minute

    @Test func updatesWithinTheRetentionOfTheLatestMinuteCommute() {
        var store = TimelineStore()
        let key = ServiceKey(cluster: "prod", service: "orders")
        #expect(store.acceptsInAnyOrder(service: "orders", from: 0, through: Self.retention))
        #expect(!store.acceptsInAnyOrder(service: "orders", from: 0, through: Self.retention + Self.minute))
        store.update(key, at: 10 * Self.retention) { $0.logRecords += 1 }
        // The stored latest minute counts too.
        #expect(store.acceptsInAnyOrder(service: "orders", from: 9 * Self.retention, through: 9 * Self.retention))
        #expect(!store.acceptsInAnyOrder(service: "orders", from: 9 * Self.retention - Self.minute, through: 9 * Self.retention))
        #expect(store.acceptsInAnyOrder(service: "cart", from: 0, through: 0))
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
