import Foundation
import PropertyBased
import Testing
@testable import DiagnosisRules

@Suite struct TaskLogTableTests {
    /// The table's definition over a `Dictionary`: first/last per task, one pending minute per task (an earlier
    /// minute spills), pending counts taken in order of first count, idle tasks with nothing pending evicted.
    struct Model {
        var tasks: [TaskID: TaskLogTable.Entry] = [:]
        var dirty: [TaskID] = []
        var overflow: [(TaskID, Int64, Int)] = []
        var unattributed = 0
        var firstApplicationLog: Int64?

        mutating func note(time: Int64, task: TaskID?) -> Bool {
            firstApplicationLog = min(firstApplicationLog ?? time, time)
            guard let task else {
                unattributed += 1
                return false
            }
            let minute = time - ((time % 60_000) + 60_000) % 60_000
            guard var e = tasks[task] else {
                tasks[task] = TaskLogTable.Entry(first: time, last: time, pendingMinute: minute, pendingCount: 1)
                dirty.append(task)
                return true
            }
            e.first = min(e.first, time)
            e.last = max(e.last, time)
            if e.pendingCount == 0 {
                (e.pendingMinute, e.pendingCount) = (minute, 1)
                dirty.append(task)
            } else if e.pendingMinute == minute {
                e.pendingCount += 1
            } else {
                overflow.append((task, e.pendingMinute, Int(e.pendingCount)))
                (e.pendingMinute, e.pendingCount) = (minute, 1)
            }
            tasks[task] = e
            return false
        }

        mutating func takePending() -> [String] {
            var out = overflow.map { "\($0.0) \($0.1) \($0.2) \(tasks[$0.0]?.first ?? $0.1)" }
            overflow = []
            for t in dirty {
                guard var e = tasks[t], e.pendingCount > 0 else { continue }
                out.append("\(t) \(e.pendingMinute) \(e.pendingCount) \(e.first)")
                e.pendingCount = 0
                tasks[t] = e
            }
            dirty = []
            return out
        }

        mutating func evict(before cutoff: Int64) {
            tasks = tasks.filter { $0.value.last >= cutoff || $0.value.pendingCount > 0 }
        }
    }

    static func contents(_ t: TaskLogTable) -> [TaskID: TaskLogTable.Entry] {
        Dictionary(uniqueKeysWithValues: t.tasks.map { ($0.key, $0.value) })
    }

    @Test func countsFirstLastAndPendingMinutesPerTask() {
        var t = TaskLogTable()
        let a = Scenario.task(1)
        let new = [t.note(time: 61_000, task: a), t.note(time: 59_000, task: a), t.note(time: 30_000, task: nil)]
        #expect(new == [true, false, false])
        #expect(t.firstLogTime(a, notAfter: 60_000) == 59_000)
        #expect(t.firstLogTime(a, notAfter: 50_000) == nil)
        #expect(t.unattributedRecords == 1)
        #expect(t.applicationLogsPresent(notAfter: 30_000))
        var taken: [(TaskID, Int64, Int, Int64)] = []
        t.takePending { taken.append(($0, $1, $2, $3)) }
        #expect(taken.map(\.1) == [60_000, 0])
        #expect(taken.map(\.2) == [1, 1])
        #expect(!t.hasPending)
    }

    @Test func sweepsSkipOnlyWhenNothingIsIdle() {
        var t = TaskLogTable()
        for i in 0..<100 { t.note(time: Int64(i) * 1000, task: Scenario.task(i)) }
        t.takePending { _, _, _, _ in }
        t.evict(before: 0, cap: 1000)
        #expect(t.count == 100)
        t.evict(before: 50_000, cap: 1000)
        #expect(t.count == 50)
        // A late record of a new task lowers the floor: the next sweep must see it.
        t.note(time: 10_000, task: Scenario.task(500))
        t.takePending { _, _, _, _ in }
        t.evict(before: 50_000, cap: 1000)
        #expect(t.count == 50)
        #expect(t.tasks[Scenario.task(500)] == nil)
        t.evict(before: .min, cap: 20)
        #expect(t.count == 15)
    }

    @Test func evictionAtTheCapKeepsTheNewestAndBreaksTiesByTaskID() {
        var t = TaskLogTable()
        // 40 tasks seen at the same time, 10 later: the cap keeps 15 (cap − cap/4 of 20): the 10 later ones,
        // then the 5 highest task ids among the tied ones, whatever the table's order.
        for i in 0..<40 { t.note(time: 1_000, task: Scenario.task(i)) }
        for i in 40..<50 { t.note(time: 2_000, task: Scenario.task(i)) }
        t.takePending { _, _, _, _ in }
        t.evict(before: .min, cap: 20)
        let tied = (0..<40).map(Scenario.task).sorted(by: >).prefix(5)
        let expected = Set((40..<50).map(Scenario.task) + tied)
        #expect(Set(t.tasks.map(\.key)) == expected)
    }

    @Test func checkpointsCarryNoFloor() throws {
        var t = TaskLogTable()
        t.note(time: 5, task: Scenario.task(1))
        t.evict(before: 0, cap: 10)
        let json = String(decoding: try JSONEncoder().encode(t), as: UTF8.self)
        #expect(!json.contains("Floor"))
        var restored = try JSONDecoder().decode(TaskLogTable.self, from: Data(json.utf8))
        #expect(Self.contents(restored) == Self.contents(t))
        restored.takePending { _, _, _, _ in }
        restored.evict(before: 10, cap: 10)
        #expect(restored.count == 0)
    }

    /// Random records (late ones included), folds and idle sweeps: the table holds what the model holds and
    /// hands out the same pending counts in the same order.
    @Test func matchesTheModel() async {
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            var t = TaskLogTable()
            var m = Model()
            var now: Int64 = 0
            for _ in 0..<2000 {
                switch Int.random(in: 0..<100, using: &rng) {
                case 0..<85:
                    now += Int64.random(in: 0...3000, using: &rng)
                    let time = now - Int64.random(in: 0...(Bool.random(using: &rng) ? 1000 : 200_000), using: &rng)
                    let task = Int.random(in: 0..<30, using: &rng) == 0 ? nil : Scenario.task(Int.random(in: 0..<60, using: &rng))
                    let isNew = t.note(time: time, task: task)
                    #expect(isNew == m.note(time: time, task: task))
                case 85..<95:
                    var taken: [String] = []
                    t.takePending { taken.append("\($0) \($1) \($2) \($3)") }
                    #expect(taken == m.takePending())
                default:
                    let cutoff = now - Int64.random(in: 0...300_000, using: &rng)
                    t.evict(before: cutoff, cap: 1000)
                    m.evict(before: cutoff)
                }
                #expect(t.count == m.tasks.count)
            }
            #expect(Self.contents(t) == m.tasks)
            #expect(t.unattributedRecords == m.unattributed)
            #expect(t.firstApplicationLog == m.firstApplicationLog)
        }
    }
}
