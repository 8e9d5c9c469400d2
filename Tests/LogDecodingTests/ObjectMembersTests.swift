import Testing
@testable import LogDecoding

@Suite("ObjectMembers")
struct ObjectMembersTests {
    static let keys: [StaticString] = [
        "a", "ts", "abc", "time", "Type", "detail", "message", "services", "timestamp", "@timestamp", "detail-type",
        "logGroupName", "logStreamName", "nextForwardToken", "CloudWatchMetrics", "searchedLogStreams",
    ]

    @Test("eq matches exactly the key's bytes: a difference at any position is seen", arguments: keys)
    func eqSeesEveryByte(_ key: StaticString) {
        let bytes = Array(UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        bytes.withUnsafeBytes { #expect(ObjectMembers.eq($0.baseAddress!, key)) }
        for position in bytes.indices {
            var changed = bytes
            changed[position] ^= 0x20
            changed.withUnsafeBytes { #expect(!ObjectMembers.eq($0.baseAddress!, key), "position \(position)") }
        }
    }
}
