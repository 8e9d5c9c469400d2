import PropertyBased
import Testing
@testable import DiagnosisRules

@Suite struct LogFoldTests {
    static let minute: Int64 = 60_000

    /// Folds `counts` both ways from the same starting stores and compares everything they hold.
    static func expectSame(
        _ counts: [LogFold.Count], _ keys: ServiceInterner, timeline: TimelineStore, logs: TaskLogTable,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var t1 = timeline, l1 = logs, t2 = timeline, l2 = logs
        LogFold.applyInOrder(counts, keys: keys, timeline: &t1, logs: &l1)
        LogFold.apply(counts, keys: keys, timeline: &t2, logs: &l2)
        #expect(t2.timelines == t1.timelines, sourceLocation: sourceLocation)
        #expect(l2.serviceFirstLog == l1.serviceFirstLog, sourceLocation: sourceLocation)
        #expect(l2.earliestServiceLog == l1.earliestServiceLog, sourceLocation: sourceLocation)
    }

    @Test func sumsPerServiceAndMinuteAndKeepsTheLastClusterNamed() {
        var keys = ServiceInterner()
        let bare = keys.id(of: ServiceKey(cluster: nil, service: "orders"))
        let prod = keys.id(of: ServiceKey(cluster: "prod", service: "orders"))
        let staging = keys.id(of: ServiceKey(cluster: "staging", service: "orders"))
        let cart = keys.id(of: ServiceKey(cluster: nil, service: "cart"))
        let counts = [
            LogFold.Count(key: bare, minute: 0, count: 2, first: 10),
            LogFold.Count(key: staging, minute: Self.minute, count: 1, first: 70_000),
            LogFold.Count(key: cart, minute: 0, count: 5, first: 5),
            LogFold.Count(key: prod, minute: 0, count: 3, first: 3),
            LogFold.Count(key: bare, minute: Self.minute, count: 4, first: 61_000),
        ]
        var timeline = TimelineStore()
        var logs = TaskLogTable()
        LogFold.apply(counts, keys: keys, timeline: &timeline, logs: &logs)
        let orders = timeline.timelines.first { $0.service == "orders" }!
        #expect(orders.cluster == "prod")
        #expect(orders.minutes.map(\.logRecords) == [5, 5])
        #expect(timeline.timelines.first { $0.service == "cart" }!.minutes.map(\.logRecords) == [5])
        #expect(logs.serviceFirstLog == ["orders": 3, "cart": 5])
        #expect(logs.earliestServiceLog == 3)
        Self.expectSame(counts, keys, timeline: TimelineStore(), logs: TaskLogTable())
    }

    @Test func minutesBeyondTheRetentionFoldInOrder() {
        var keys = ServiceInterner()
        let orders = keys.id(of: ServiceKey(cluster: nil, service: "orders"))
        let day = TimelineStore.retentionMinutes * Self.minute
        // In order, the old minute is kept (the newer one comes later and prunes it) or dropped: order matters.
        let counts = [
            LogFold.Count(key: orders, minute: 0, count: 1, first: 0),
            LogFold.Count(key: orders, minute: day + Self.minute, count: 1, first: day + Self.minute),
            LogFold.Count(key: orders, minute: Self.minute, count: 1, first: Self.minute),
        ]
        Self.expectSame(counts, keys, timeline: TimelineStore(), logs: TaskLogTable())
        Self.expectSame(counts.reversed(), keys, timeline: TimelineStore(), logs: TaskLogTable())
    }

    @Test func nearTheCapsEverythingFoldsInOrder() {
        var keys = ServiceInterner()
        var timeline = TimelineStore()
        for i in 0..<(TimelineStore.maxServices - 1) {
            timeline.update(ServiceKey(cluster: nil, service: "old-\(i)"), at: Int64(i) * Self.minute) { $0.logRecords += 1 }
        }
        let counts = (0..<4).map { i in
            LogFold.Count(
                key: keys.id(of: ServiceKey(cluster: nil, service: "new-\(i)")), minute: 3000 * Self.minute, count: 1, first: 0)
        }
        Self.expectSame(counts, keys, timeline: timeline, logs: TaskLogTable())
        var logs = TaskLogTable()
        for i in 0..<(IdentityDirectory.maxServices - 1) { logs.noteServiceLogged("old-\(i)", at: Int64(i)) }
        Self.expectSame(counts, keys, timeline: TimelineStore(), logs: logs)
    }

    /// Random folds (a few services and clusters, counts mostly in two adjacent minutes, some far away, on stores
    /// already holding minutes) give what folding count by count gives.
    @Test func matchesFoldingInOrder() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            var keys = ServiceInterner()
            let clusters: [String?] = [nil, "prod", "staging"]
            var ids: [Int32] = []
            for s in 0..<Int.random(in: 1...6, using: &rng) {
                for c in clusters where Bool.random(using: &rng) || c == nil {
                    ids.append(keys.id(of: ServiceKey(cluster: c, service: "svc-\(s)")))
                }
            }
            let base = Int64.random(in: 0...100_000, using: &rng) * Self.minute
            let day = TimelineStore.retentionMinutes * Self.minute
            func minute() -> Int64 {
                switch Int.random(in: 0..<20, using: &rng) {
                case 0: base - day - Int64.random(in: 0...3, using: &rng) * Self.minute
                case 1: base + day + Int64.random(in: 0...3, using: &rng) * Self.minute
                case 2..<6: base + Int64.random(in: -5...5, using: &rng) * Self.minute
                default: base + Int64.random(in: 0...1, using: &rng) * Self.minute
                }
            }
            var timeline = TimelineStore()
            var logs = TaskLogTable()
            for key in keys.keys where Bool.random(using: &rng) {
                let m = minute()
                timeline.update(key, at: m) { $0.logRecords += 7 }
                logs.noteServiceLogged(key.service, at: m + 5)
            }
            let counts = (0..<Int.random(in: 0...200, using: &rng)).map { _ in
                let m = minute()
                return LogFold.Count(
                    key: ids.randomElement(using: &rng)!, minute: m, count: Int.random(in: 1...9, using: &rng),
                    first: m + Int64.random(in: 0..<Self.minute, using: &rng))
            }
            Self.expectSame(counts, keys, timeline: timeline, logs: logs)
        }
    }
}
