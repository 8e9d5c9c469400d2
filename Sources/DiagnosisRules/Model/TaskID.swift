/// An ECS task id, stored inline in 16 bytes so the hot path can key maps by it without allocating.
///
/// Two spellings exist: the new ARN format's 32 hex digits (`26feeb2c30cf4d7cb3ae44fd0e17719b`)
/// and the old format's UUID (`b3c69762-5472-4d27-b6a4-8cf9492fc1f7`). Both normalise to the same
/// 128-bit value; `dashed` remembers the spelling for display.
public struct TaskID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// High 64 bits of the id.
    public let high: UInt64
    /// Low 64 bits of the id.
    public let low: UInt64
    /// Whether the id was written as a dashed UUID.
    public let dashed: Bool

    /// Creates an id from its two halves.
    public init(high: UInt64, low: UInt64, dashed: Bool = false) {
        self.high = high
        self.low = low
        self.dashed = dashed
    }

    public static func == (a: TaskID, b: TaskID) -> Bool { a.high == b.high && a.low == b.low }
    public func hash(into hasher: inout Hasher) { hasher.combine(high); hasher.combine(low) }
    public static func < (a: TaskID, b: TaskID) -> Bool { (a.high, a.low) < (b.high, b.low) }

    /// Parses exactly 32 hex digits or a 36-character UUID (lowercase or uppercase hex).
    public init?(bytes: UnsafeRawBufferPointer) {
        var hi: UInt64 = 0
        var lo: UInt64 = 0
        var nibbles = 0
        let dashedForm: Bool
        switch bytes.count {
        case 32: dashedForm = false
        case 36: dashedForm = true
        default: return nil
        }
        for (i, c) in bytes.enumerated() {
            if dashedForm, i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == 45 else { return nil }
                continue
            }
            let v: UInt64
            switch c {
            case 48...57: v = UInt64(c - 48)
            case 97...102: v = UInt64(c - 87)
            case 65...70: v = UInt64(c - 55)
            default: return nil
            }
            if nibbles < 16 { hi = hi << 4 | v } else { lo = lo << 4 | v }
            nibbles += 1
        }
        self.init(high: hi, low: lo, dashed: dashedForm)
    }

    /// Parses a task id from a string (32 hex digits or a UUID).
    public init?(_ text: String) {
        var copy = text
        guard let id = copy.withUTF8({ TaskID(bytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = id
    }

    /// Finds the task id at the end of an awslogs stream name (`prefix/container/taskId`),
    /// a task ARN (`…:task/CLUSTER/ID` or `…:task/ID`) or any `/`-separated path.
    public static func suffix(of bytes: UnsafeRawBufferPointer) -> TaskID? {
        guard !bytes.isEmpty else { return nil }
        var start = bytes.count
        while start > 0, bytes[start - 1] != 47, bytes[start - 1] != 58 { start -= 1 }
        return TaskID(bytes: UnsafeRawBufferPointer(rebasing: bytes[start...]))
    }

    /// Lowercase hex, dashed when the id came as a UUID.
    public var description: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for i in 0..<32 {
            if dashed, i == 8 || i == 12 || i == 16 || i == 20 { out.append(45) }
            let word = i < 16 ? high : low
            let shift = UInt64((15 - i % 16) * 4)
            out.append(digits[Int((word >> shift) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
