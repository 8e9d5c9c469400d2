#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer to a file descriptor (`write(2)`), used for standard output and standard error.
///
/// Swift 6 treats the C `stdout`/`stderr` globals as shared mutable state; this type keeps its own buffer and
/// is used from one task at a time.
public final class FileOutput: @unchecked Sendable {
    /// Standard output.
    public static let standardOutput = FileOutput(fd: 1)
    /// Standard error (written through immediately).
    public static let standardError = FileOutput(fd: 2, bufferLimit: 0)

    private let fd: Int32
    private let bufferLimit: Int
    private var buffer: [UInt8] = []

    /// Writes to `fd`, flushing when `bufferLimit` bytes are pending.
    public init(fd: Int32, bufferLimit: Int = 64 * 1024) {
        self.fd = fd
        self.bufferLimit = bufferLimit
    }

    /// Whether the descriptor is a terminal.
    public var isTerminal: Bool { isatty(fd) == 1 }

    /// Appends text.
    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= bufferLimit { flush() }
    }

    /// Writes all pending bytes.
    public func flush() {
        var offset = 0
        buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; break }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}
