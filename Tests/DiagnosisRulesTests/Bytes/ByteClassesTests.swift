import CByteScan
import Testing

/// `cbs_byte_classes` (non-ASCII and control bytes of a span) at every level against a byte-by-byte reference.
struct ByteClassesTests {
    static let levels = [Int32(CBS_LEVEL_SCALAR), Int32(CBS_LEVEL_SSE), Int32(CBS_LEVEL_AVX2)]

    static func reference(_ bytes: [UInt8]) -> UInt32 {
        (bytes.contains { $0 >= 0x80 } ? CBS_CLASS_HIGH : 0) | (bytes.contains { $0 < 0x20 } ? CBS_CLASS_CONTROL : 0)
    }

    static func expectAllLevels(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = reference(bytes)
        bytes.withUnsafeBytes { p in
            #expect(cbs_byte_classes(p.baseAddress, p.count) == expected, sourceLocation: sourceLocation)
            for level in levels {
                #expect(cbs_byte_classes_level(p.baseAddress, p.count, level) == expected, "level \(level)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    @Test("one special byte at every position of spans up to 70 bytes, for every boundary byte value")
    func singleByteEverywhere() {
        for special: UInt8 in [0x00, 0x09, 0x0A, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xC3, 0xFF] {
            for length in 1...70 {
                for position in 0..<length {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = special
                    Self.expectAllLevels(bytes)
                }
            }
        }
    }

    @Test("empty and plain ASCII spans have no class; random spans agree with the reference")
    func randomSpans() {
        Self.expectAllLevels([])
        Self.expectAllLevels(Array("plain ASCII text with spaces and punctuation: {\"a\":1}".utf8))
        var rng = SplitMix(seed: 42)
        for _ in 0..<2_000 {
            let length = Int(rng.next() % 200)
            // Mostly printable ASCII, sometimes a control or high byte.
            let bytes = (0..<length).map { _ -> UInt8 in
                let r = rng.next() % 100
                return r < 97 ? UInt8(0x20 + rng.next() % 0x5F) : UInt8(truncatingIfNeeded: rng.next())
            }
            Self.expectAllLevels(bytes)
        }
    }
}
