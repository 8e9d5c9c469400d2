/// The evidence behind an alert: the first 3 and the last 2 records, plus how many there were.
public struct EvidenceLog: Sendable, Equatable, Codable {
    /// How many first records are kept.
    public static let firstKept = 3
    /// How many last records are kept.
    public static let lastKept = 2

    /// The first records, in order.
    public private(set) var first: [Evidence] = []
    /// The last records (only those after `first`), in order.
    public private(set) var last: [Evidence] = []
    /// All records appended.
    public private(set) var count: Int = 0

    /// An empty log.
    public init() {}

    /// Appends one record (records should arrive in event-time order).
    public mutating func append(_ e: Evidence) {
        count += 1
        if first.count < Self.firstKept {
            first.append(e)
            return
        }
        if last.count == Self.lastKept { last.removeFirst() }
        last.append(e)
    }

    /// Appends every record of `other` that it still holds (counting the ones it dropped).
    public mutating func append(contentsOf other: EvidenceLog) {
        let dropped = other.count - other.first.count - other.last.count
        for e in other.first { append(e) }
        if dropped > 0 {
            // The dropped records sit between other.first and other.last: they only move the count.
            count += dropped
            if first.count >= Self.firstKept { last.removeAll() }
        }
        for e in other.last { append(e) }
    }

    /// At most 5 lines: first 3 and last 2.
    public var lines: [Evidence] { first + last }

    /// Whether nothing was appended.
    public var isEmpty: Bool { count == 0 }
}
