import LogDecoding
import Testing

/// Mutated inputs: no crash, no hang, and the same result whatever the read sizes and buffer sizes.
@Suite struct RecordReaderFuzzTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let sources = [
        "filter-log-events.json", "describe-services-cli-v2.json", "eventbridge-task-stopped-pretty.json",
        "subscription-data-message.json", "tail-json.txt", "broken-json.jsonl", "kinesis-base64-gzip.txt",
        "service-events-console.txt", "container-insights-task.json", "metric-stream.jsonl",
    ]

    @Test(arguments: sources)
    func mutatedInputsDecodeTheSameAtAnySplit(_ name: String) throws {
        let original = try fixture(name)
        var rng = SplitMix64(state: name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 })
        let specials: [UInt8] = [123, 125, 91, 93, 34, 92, 10, 13, 44, 58, 0, 0xFF, 32]
        for _ in 0..<40 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] = specials.randomElement(using: &rng)!
                case 1: bytes.remove(at: at)
                default: bytes.insert(specials.randomElement(using: &rng)!, at: at)
                }
            }
            let whole = decode(bytes)
            let split = decode(bytes, readSizes: [1, 2, 3, 4, 5, 6, 7])
            _ = decode(bytes, options: DecoderOptions(readBufferSize: 64, maxRecordBytes: 512))  // no crash, no hang
            #expect(split.records == whole.records)
            #expect(split.report == whole.report)
            #expect(whole.records.allSatisfy { $0.line >= 1 && $0.line <= Int64(bytes.filter { $0 == 10 }.count + 1) })
        }
    }

    @Test(arguments: ["firehose-object", "alb-access.log.gz", "eventbridge-task-stopped-pretty.json", "tail-json.txt"])
    func cutAtEveryByte(_ name: String) throws {
        let bytes = try fixture(name)
        let whole = decode(bytes)
        for n in 0..<bytes.count {
            let d = decode(Array(bytes.prefix(n)), readSizes: [3, 5])  // no crash, no hang
            #expect(d.records.allSatisfy { $0.line >= 1 })
        }
        #expect(decode(bytes, readSizes: [3, 5]).records == whole.records)
    }
}
