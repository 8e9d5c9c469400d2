/// Where a record came from: an input (by index into the caller's source table) and a 1-based line.
///
/// The engine keeps this compact form; the shell resolves `input` to a path when printing `PATH:LINE`.
public struct SourceRef: Hashable, Comparable, Sendable, Codable {
    /// Index of the input in the caller's source table.
    public var input: Int32
    /// 1-based line number of the record's first line in that input (for gzip inputs, in the decompressed text).
    public var line: Int64

    /// Creates a source reference.
    public init(input: Int32, line: Int64) {
        self.input = input
        self.line = line
    }

    public static func < (a: SourceRef, b: SourceRef) -> Bool { (a.input, a.line) < (b.input, b.line) }
}
