#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor with `read(2)`, retrying on `EINTR`. Owns and closes the descriptor.
public final class FileReader {
    /// The descriptor being read.
    public let fd: Int32
    private let ownsDescriptor: Bool

    /// Opens `path` read-only (`-` is standard input).
    public init(path: String) throws(InputPathError) {
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            let d = open(path, O_RDONLY | O_CLOEXEC)
            guard d >= 0 else { throw InputPathError(path: path, reason: String(cString: strerror(errno))) }
            fd = d
            ownsDescriptor = true
            _ = posix_fadvise(d, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        }
    }

    /// Reads up to `buffer.count` bytes; 0 at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputPathError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw InputPathError(path: "fd \(fd)", reason: String(cString: strerror(errno)))
        }
    }

    deinit { if ownsDescriptor { close(fd) } }
}
