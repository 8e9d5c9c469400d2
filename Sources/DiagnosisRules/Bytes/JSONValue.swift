/// A JSON value located inside a byte buffer, by range, without decoding it.
public struct JSONValue: Sendable, Equatable {
    /// The JSON type of a value.
    public enum Kind: UInt8, Sendable {
        case string, number, object, array, bool, null
    }

    /// The value's type.
    public var kind: Kind
    /// For strings, the bytes between the quotes (still escaped); otherwise the whole value.
    public var range: Range<Int>
    /// For strings: whether the content contains a backslash escape.
    public var hasEscapes: Bool

    /// Creates a located value.
    public init(kind: Kind, range: Range<Int>, hasEscapes: Bool = false) {
        self.kind = kind
        self.range = range
        self.hasEscapes = hasEscapes
    }
}
