import LogDecoding

/// The complete lines one poll read from one followed file, decoded as a unit.
///
/// Following delivers lines, not records: each poll's lines of a file become one in-memory input for the
/// decoders (so multi-line records inside a batch decode normally), with line numbers offset to the file's.
struct LiveBatch {
    let path: String
    let input: Int32
    private(set) var bytes: [UInt8] = []
    private(set) var firstLine: Int64 = 0
    private(set) var lines = 0

    init(path: String, input: Int32) {
        self.path = path
        self.input = input
    }

    mutating func append(_ line: UnsafeRawBufferPointer, lineNumber: Int64) {
        if lines == 0 { firstLine = lineNumber }
        bytes.append(contentsOf: line)
        bytes.append(10)
        lines += 1
    }

    /// The line number the next line must have to belong to this batch.
    var nextLineNumber: Int64 { firstLine + Int64(lines) }

    /// The batch as a merge input.
    func mergeInput() -> RecordMerge.Input {
        let reader = RecordReader(
            source: MemoryByteSource(bytes), input: input, pathHint: path,
            options: DecoderOptions(readBufferSize: max(4096, min(bytes.count + 1, 1 << 20)))
        )
        return RecordMerge.Input(reader: reader, path: path, lineOffset: firstLine - 1)
    }
}
