/// Where a delivered line came from.
public struct LineInfo: Hashable, Sendable {
    /// 1-based number of the line in the file (counted from where following started when it did not start at the
    /// beginning of the file).
    public var lineNumber: UInt64
    /// Byte offset of the line's first byte in the file; with the file identity it is a stable key for deduplication.
    public var offset: UInt64
    /// `true` when the line is incomplete: it was cut at the maximum line length (the rest of the line is skipped),
    /// or it had no final newline when its file was rotated, truncated or deleted.
    public var isPartial: Bool

    /// Creates line information.
    ///
    /// - Parameters:
    ///   - lineNumber: 1-based line number.
    ///   - offset: Byte offset of the line's first byte.
    ///   - isPartial: Whether the line is incomplete.
    public init(lineNumber: UInt64, offset: UInt64, isPartial: Bool) {
        self.lineNumber = lineNumber
        self.offset = offset
        self.isPartial = isPartial
    }
}
