#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pull source of raw input bytes: a file, a pipe, a decompressor or an in-memory buffer.
///
/// The decoder never opens files; the shell hands it a `ByteSource` per input. Sources are single-consumer
/// and used from one task at a time.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into the start of `buffer`.
    ///
    /// - Parameter buffer: Where to put the bytes; never empty when the decoder calls.
    /// - Returns: The number of bytes written. `0` means the end of the input.
    /// - Throws: A ``ByteSourceError`` for damaged input (a truncated gzip member), or any error of the
    ///   underlying I/O. A source that throws has already returned every byte it could decode.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// An error reported by a ``ByteSource`` about its input.
public struct ByteSourceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of damage.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable { case truncatedGzip, corruptGzip }
        private let value: Value

        /// The input ended inside a gzip member (a partial download, a file still being written).
        public static let truncatedGzip = Code(value: .truncatedGzip)
        /// The gzip data is not valid deflate data, or has trailing bytes that are not another member.
        public static let corruptGzip = Code(value: .corruptGzip)

        public var description: String {
            switch value {
            case .truncatedGzip: "truncated gzip"
            case .corruptGzip: "corrupt gzip"
            }
        }
    }

    /// The kind of damage.
    public let code: Code
    /// A human-readable explanation (zlib's message when it gave one).
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// A ``ByteSource`` over bytes in memory, for tests and for payloads already in hand.
///
/// `readSizes` lets tests force reads of awkward sizes (for example `[1, 7, 3]`, cycled) to prove that
/// framing does not depend on where reads split the input.
public struct MemoryByteSource: ByteSource, Sendable {
    private let bytes: [UInt8]
    private var offset = 0
    private let readSizes: [Int]
    private var readIndex = 0

    /// Creates a source that returns `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: The whole input.
    ///   - readSizes: The maximum size of successive reads, cycled; empty means "as much as fits".
    public init(_ bytes: some Sequence<UInt8>, readSizes: [Int] = []) {
        self.bytes = Array(bytes)
        self.readSizes = readSizes.filter { $0 > 0 }
    }

    /// Creates a source that returns the UTF-8 bytes of `text`.
    public init(text: String, readSizes: [Int] = []) {
        self.init(Array(text.utf8), readSizes: readSizes)
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var n = min(buffer.count, bytes.count - offset)
        if !readSizes.isEmpty {
            n = min(n, readSizes[readIndex % readSizes.count])
            readIndex &+= 1
        }
        guard n > 0, let dst = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { src in
            dst.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// A non-owning source over a raw buffer that outlives it (internal: nested payloads).
struct RawBufferByteSource: ByteSource {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0, let dst = buffer.baseAddress, let src = bytes.baseAddress else { return 0 }
        dst.copyMemory(from: src + offset, byteCount: n)
        offset += n
        return n
    }
}

/// Boxes an existential source so it can be a generic argument.
struct AnyByteSource: ByteSource {
    var base: any ByteSource

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try base.read(into: buffer)
    }
}

/// Replays bytes already sniffed from a source, then continues with the source.
struct PrefixedByteSource<Base: ByteSource>: ByteSource {
    var prefix: [UInt8]
    var prefixOffset = 0
    var base: Base

    init(prefix: [UInt8], base: Base) {
        self.prefix = prefix
        self.base = base
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if prefixOffset < prefix.count {
            let n = min(buffer.count, prefix.count - prefixOffset)
            prefix.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + prefixOffset, byteCount: n)
            }
            prefixOffset += n
            return n
        }
        return try base.read(into: buffer)
    }
}

/// Shared counter of raw bytes read (the reader reports it even when a decompressor sits in between).
final class ByteCounter {
    var value = 0
}

/// Counts the bytes a source returns.
struct CountingByteSource<Base: ByteSource>: ByteSource {
    var base: Base
    let counter: ByteCounter

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try base.read(into: buffer)
        counter.value += n
        return n
    }
}
