import Testing
@testable import DiagnosisRules

@Suite struct ReorderBufferTests {
    @Test func releasesInTotalOrderWhateverThePushOrder() {
        var sc = Scenario()
        var signals: [Signal] = []
        for i in 0..<40 {
            var s = sc.make(i % 2 == 0 ? .httpError : .accessDenied, at: Double(i / 4))
            s.source = SourceRef(input: Int32(i % 3), line: Int64(100 - i))
            signals.append(s)
        }
        let expected = signals.sorted {
            ($0.time, $0.source.input, $0.source.line, $0.kind) < ($1.time, $1.source.input, $1.source.line, $1.kind)
        }
        var rng = SplitMix(seed: 7)
        for _ in 0..<20 {
            var buffer = ReorderBuffer()
            for s in signals.shuffled(using: &rng) { buffer.push(s) }
            var out: [Signal] = []
            while let s = buffer.popEarliest() { out.append(s) }
            #expect(out == expected)
        }
    }

    @Test func popBeforeRespectsTheFrontier() {
        var sc = Scenario()
        var buffer = ReorderBuffer()
        buffer.push(sc.make(.httpError, at: 10))
        buffer.push(sc.make(.httpError, at: 5))
        buffer.push(sc.make(.httpError, at: 20))
        #expect(buffer.pop(before: Scenario.at(5).milliseconds) == nil)
        #expect(buffer.pop(before: Scenario.at(10).milliseconds)?.time == Scenario.at(5))
        #expect(buffer.pop(before: Scenario.at(10).milliseconds) == nil)
        #expect(buffer.pop(before: Scenario.at(10.001).milliseconds)?.time == Scenario.at(10))
        #expect(buffer.count == 1)
        #expect(buffer.earliest == Scenario.at(20))
    }

    @Test func kindRankFollowsTheKindOrder() {
        let sorted = SignalKind.allCases.sorted()
        #expect(sorted.map(ReorderBuffer.rank) == Array(0..<UInt8(sorted.count)))
    }

    @Test func sameRecordSameKindTiesAreOrderedByTaskThenText() {
        var sc = Scenario()
        var a = sc.make(.taskStarted, at: 1, task: Scenario.task(2), line: "b")
        var b = sc.make(.taskStarted, at: 1, task: Scenario.task(1), line: "b")
        var c = sc.make(.taskStarted, at: 1, task: Scenario.task(1), line: "a")
        a.source = SourceRef(input: 0, line: 1)
        b.source = a.source
        c.source = a.source
        var x = ReorderBuffer()
        var y = ReorderBuffer()
        for s in [a, b, c] { x.push(s) }
        for s in [c, b, a] { y.push(s) }
        var ox: [Signal] = []
        var oy: [Signal] = []
        while let s = x.popEarliest() { ox.append(s) }
        while let s = y.popEarliest() { oy.append(s) }
        #expect(ox == oy)
        #expect(ox.last == a)
    }

    @Test func minHeapSortsAndCodes() throws {
        var h = MinHeap<Int>()
        var rng = SplitMix(seed: 3)
        let values = (0..<500).map { _ in Int(rng.next() % 1000) }
        for v in values { h.push(v) }
        var out: [Int] = []
        while let v = h.popMin() { out.append(v) }
        #expect(out == values.sorted())
    }
}
