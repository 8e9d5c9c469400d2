import LogDecoding

/// Feeds a `FileReader` (read(2) on a file or standard input) to the decoders.
struct FileByteSource: ByteSource {
    let file: FileReader

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try file.read(into: buffer)
    }
}
