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

@Suite("ObjectMembers escapes")
struct ObjectMembersEscapeTests {
    @Test("escaped group and stream names are unescaped; plain ones are taken as they are", arguments: [
        (#"{"timestamp":1795165200000,"message":"m","logStreamName":"ecs\/web\/0123456789abcdef0123456789abcdef","logGroupName":"\/ecs\/web"}"#,
         "/ecs/web"),
        (#"{"timestamp":1795165200000,"message":"m","logStreamName":"ecs/web/0123456789abcdef0123456789abcdef","logGroupName":"/ecs/web"}"#,
         "/ecs/web"),
        // An escape after the first 16 bytes of a long value (the SIMD kernel, not the inline first block).
        (#"{"timestamp":1795165200000,"message":"m","logStreamName":"ecs/web/0123456789abcdef0123456789abcdef","logGroupName":"/ecs/web-with-a-long-name\/x"}"#,
         "/ecs/web-with-a-long-name/x"),
    ])
    func escapedNames(line: String, group: String) {
        let d = decode(line + "\n")
        #expect(d.records.count == 1)
        #expect(d.records.first?.stream == "ecs/web/0123456789abcdef0123456789abcdef")
        #expect(d.records.first?.group == group)
        #expect(d.records.first?.task == "0123456789abcdef0123456789abcdef")
    }
}
