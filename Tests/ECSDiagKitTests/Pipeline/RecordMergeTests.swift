import DiagnosisRules
import LogDecoding
import Testing
@testable import ECSDiagKit

@Suite("RecordMerge")
struct RecordMergeTests {
    /// One CloudWatch event line at `second` past 09:00:00 UTC whose message is an IAM denial: each is a
    /// signal, so the order of `onSignal` calls is the order records were processed in (unlike service events,
    /// which the reader itself puts in time order).
    private static func line(_ second: Int, _ service: String) -> String {
        let ms = 1_795_165_200_000 + Int64(second) * 1000
        return #"{"timestamp":\#(ms),"message":"User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k","logStreamName":"ecs/\#(service)/0123456789abcdef0123456789abcdef"}"# + "\n"
    }

    /// Runs the merge over inputs given as (second, service) lists; returns (input, line, second) per signal.
    private static func merge(_ inputs: [[(Int, String)]]) -> [(input: Int32, line: Int64, second: Int)] {
        let merged = inputs.enumerated().map { i, lines in
            let text = lines.map { line($0.0, $0.1) }.joined()
            let reader = RecordReader(source: MemoryByteSource(text: text), input: Int32(i))
            return RecordMerge.Input(reader: reader, path: "in\(i).txt")
        }
        var processor = RecordProcessor(engine: DiagnosisEngine())
        var order: [(input: Int32, line: Int64, second: Int)] = []
        let base = Int64(1_795_165_200_000)  // 2026-11-20T09:00:00Z
        RecordMerge.run(merged, processor: &processor, onSignal: { signal in
            order.append((signal.source.input, signal.source.line, Int((signal.time.milliseconds - base) / 1000)))
        }, emit: { $0.removeAll() })
        return order
    }

    @Test("records come out by (time, input order): ties across inputs go to the earlier input")
    func timeThenInputOrder() {
        let out = Self.merge([
            [(1, "a"), (3, "a"), (3, "a"), (8, "a")],
            [(2, "b"), (3, "b"), (4, "b")],
            [(0, "c"), (3, "c"), (9, "c")],
        ])
        #expect(out.map(\.second) == [0, 1, 2, 3, 3, 3, 3, 4, 8, 9])
        #expect(out.map(\.input) == [2, 0, 1, 0, 0, 1, 2, 1, 0, 2])
        #expect(out.filter { $0.input == 0 }.map(\.line) == [1, 2, 3, 4])
    }

    @Test("a long run of one input is taken without interleaving, then the others follow")
    func runs() {
        let out = Self.merge([
            (0..<50).map { ($0, "a") },
            [(49, "b"), (50, "b")],
        ])
        #expect(out.count == 52)
        #expect(out.prefix(50).allSatisfy { $0.input == 0 })
        #expect(out.suffix(2).map(\.input) == [1, 1])
    }

    @Test("a record earlier than its predecessor comes out where the heap would put it")
    func outOfOrderWithinAnInput() {
        let out = Self.merge([
            [(10, "a"), (30, "a"), (20, "a")],
            [(25, "b")],
        ])
        #expect(out.map(\.second) == [10, 25, 30, 20], "\(out)")
        #expect(out.map(\.input) == [0, 1, 0, 0])
    }
}
