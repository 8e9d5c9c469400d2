import Foundation
import PropertyBased
import Testing
@testable import DiagnosisRules

@Suite struct TaskMapTests {
    static func id(_ n: Int, dashed: Bool = false) -> TaskID {
        TaskID(high: UInt64(n) &* 0x9E37_79B9_7F4A_7C15, low: UInt64(n), dashed: dashed)
    }

    @Test func insertsLooksUpUpdatesAndRemoves() {
        var map = TaskMap<Int>()
        #expect(map.isEmpty)
        #expect(map[Self.id(1)] == nil)
        map[Self.id(1)] = 10
        map[Self.id(2)] = 20
        #expect(map.count == 2)
        #expect(map[Self.id(1)] == 10)
        map[Self.id(1)] = 11
        #expect(map[Self.id(1)] == 11)
        #expect(map.count == 2)
        #expect(map.removeValue(forKey: Self.id(1)) == 11)
        #expect(map.removeValue(forKey: Self.id(1)) == nil)
        map[Self.id(2)] = nil
        #expect(map.isEmpty)
        #expect(map[Self.id(2)] == nil)
    }

    @Test func keysDifferingInOneHalfAreDistinct() {
        var map = TaskMap<Int>()
        map[TaskID(high: 1, low: 2)] = 1
        map[TaskID(high: 2, low: 1)] = 2
        map[TaskID(high: 1, low: 3)] = 3
        map[TaskID(high: 0, low: 0)] = 4
        #expect(map.count == 4)
        #expect(map[TaskID(high: 1, low: 2)] == 1)
        #expect(map[TaskID(high: 2, low: 1)] == 2)
        #expect(map[TaskID(high: 1, low: 3)] == 3)
        #expect(map[TaskID(high: 0, low: 0)] == 4)
    }

    @Test func keepsTheFirstSpellingOfAKeyLikeDictionary() {
        var map = TaskMap<Int>()
        map[Self.id(5, dashed: true)] = 1
        map[Self.id(5, dashed: false)] = 2
        #expect(map.count == 1)
        let entries = Array(map)
        #expect(entries.first?.key.dashed == true)
        #expect(entries.first?.value == 2)
    }

    @Test func growsAndKeepsEveryEntry() {
        var map = TaskMap<Int>()
        for n in 0..<50_000 { map.insertNew(Self.id(n), n) }
        #expect(map.count == 50_000)
        for n in 0..<50_000 { #expect(map[Self.id(n)] == n) }
        #expect(map[Self.id(50_000)] == nil)
        #expect(map.storage!.count <= map.storage!.maxLoad)
        #expect(Set(map.map(\.value)) == Set(0..<50_000))
    }

    @Test func removingFromDenseRunsKeepsTheRestReachable() {
        // A small table filled to its load limit and emptied in a scrambled order exercises the backward shift
        // across runs and across the wrap-around.
        var rng = SplitMix(seed: 3)
        for _ in 0..<50 {
            var map = TaskMap<Int>()
            let n = 12  // 3/4 of 16 slots
            for i in 0..<n { map[Self.id(i)] = i }
            var order = Array(0..<n)
            order.shuffle(using: &rng)
            for (k, i) in order.enumerated() {
                #expect(map.removeValue(forKey: Self.id(i)) == i)
                for j in order[(k + 1)...] { #expect(map[Self.id(j)] == j) }
                #expect(map.count == n - k - 1)
            }
        }
    }

    @Test func evictionKeepsWhatThePredicateSpares() {
        var map = TaskMap<Int>()
        for n in 0..<1000 { map[Self.id(n)] = n }
        map.removeAll { _, v in v % 3 == 0 }
        #expect(map.count == 666)
        for n in 0..<1000 { #expect(map[Self.id(n)] == (n % 3 == 0 ? nil : n)) }
        map.removeAll { _, _ in false }
        #expect(map.count == 666)
        map.removeAll { _, _ in true }
        #expect(map.isEmpty)
        map[Self.id(7)] = 7
        #expect(map[Self.id(7)] == 7)
    }

    @Test func copiesAreIndependent() {
        var a = TaskMap<Int>()
        for n in 0..<100 { a[Self.id(n)] = n }
        var b = a
        b[Self.id(1)] = -1
        if let i = b.slot(of: Self.id(2)) { b[slot: i] = -2 }
        b.removeValue(forKey: Self.id(3))
        b.insertNew(Self.id(1000), 1000)
        let c = a
        a.removeAll { _, v in v >= 50 }
        #expect(a.count == 50)
        #expect(b.count == 100)
        #expect(c.count == 100)
        #expect(b[Self.id(1)] == -1 && b[Self.id(2)] == -2 && b[Self.id(3)] == nil && b[Self.id(1000)] == 1000)
        for n in 0..<100 { #expect(c[Self.id(n)] == n) }
        #expect(a[Self.id(1)] == 1 && a[Self.id(2)] == 2 && a[Self.id(3)] == 3 && a[Self.id(1000)] == nil)
    }

    @Test func releasesEveryValue() {
        final class Counter { var alive = 0 }
        final class Tracked {
            let counter: Counter
            init(_ counter: Counter) {
                self.counter = counter
                counter.alive += 1
            }
            deinit { counter.alive -= 1 }
        }
        let counter = Counter()
        do {
            var map = TaskMap<Tracked>()
            for n in 0..<500 { map[Self.id(n)] = Tracked(counter) }
            let snapshot = map
            for n in 0..<100 { map.removeValue(forKey: Self.id(n)) }
            map[Self.id(201)] = Tracked(counter)  // replaces a value the snapshot keeps
            map.removeAll { id, _ in id.low % 2 == 0 }
            #expect(snapshot.count == 500)
            #expect(counter.alive == 501)
        }
        #expect(counter.alive == 0)
    }

    @Test func encodesExactlyAsADictionary() throws {
        var dictionary: [TaskID: Int] = [:]
        for n in 0..<20 { dictionary[Self.id(n, dashed: n % 2 == 0)] = n }
        let map = TaskMap(dictionary)
        let fromMap = try JSONDecoder().decode([TaskID: Int].self, from: JSONEncoder().encode(map))
        #expect(fromMap == dictionary)
        #expect(fromMap.keys.filter(\.dashed).count == 10)
        let fromDictionary = try JSONDecoder().decode(TaskMap<Int>.self, from: JSONEncoder().encode(dictionary))
        #expect(Dictionary(uniqueKeysWithValues: fromDictionary.map { ($0.key, $0.value) }) == dictionary)
        #expect(fromDictionary.filter(\.key.dashed).count == 10)
    }

    /// Random inserts, updates, removals, in-place updates and evictions give the same contents as `Dictionary`.
    @Test func behavesLikeADictionary() async {
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            var map = TaskMap<Int>()
            var reference: [TaskID: Int] = [:]
            let pool = Int.random(in: 4...600, using: &rng)
            for step in 0..<3000 {
                let key = Self.id(Int.random(in: 0..<pool, using: &rng))
                switch Int.random(in: 0..<100, using: &rng) {
                case 0..<45:
                    map[key] = step
                    reference[key] = step
                case 45..<70:
                    #expect(map.removeValue(forKey: key) == reference.removeValue(forKey: key))
                case 70..<85:
                    if let i = map.slot(of: key) {
                        map[slot: i] += 1
                        reference[key]! += 1
                    } else {
                        #expect(reference[key] == nil)
                    }
                case 85..<86:
                    let cut = Int.random(in: 0...3000, using: &rng)
                    map.removeAll { _, v in v < cut }
                    reference = reference.filter { $0.value >= cut }
                case 86..<88:
                    let copy = map
                    map[key] = -step
                    #expect(copy[key] == reference[key])
                    reference[key] = -step
                default:
                    #expect(map[key] == reference[key])
                }
                #expect(map.count == reference.count)
            }
            #expect(Dictionary(uniqueKeysWithValues: map.map { ($0.key, $0.value) }) == reference)
        }
    }
}
