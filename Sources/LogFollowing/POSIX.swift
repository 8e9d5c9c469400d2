import Glibc


/// Thin wrappers over the system calls the followers use, retrying `EINTR`.
enum POSIX {
    /// `stat(2)` (following symlinks); `nil` with `errno` set on failure.
    static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// `fstat(2)`; `nil` on failure.
    static func status(of descriptor: Int32) -> stat? {
        var info = stat()
        return fstat(descriptor, &info) == 0 ? info : nil
    }

    /// `open(2)` read-only, close-on-exec, non-blocking, retrying `EINTR`; returns -1 with `errno` set on failure.
    static func openReadOnly(_ path: String) -> Int32 {
        while true {
            let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
            if descriptor >= 0 || errno != EINTR { return descriptor }
        }
    }

    /// `read(2)` retrying `EINTR`.
    static func read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let result = Glibc.read(descriptor, buffer, count)
            if result >= 0 || errno != EINTR { return result }
        }
    }

    /// Reads up to `count` bytes at `offset` with `pread(2)`, looping over short reads; returns the bytes read.
    static func preadFully(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        var total = 0
        while total < buffer.count {
            let result = Glibc.pread(descriptor, buffer.baseAddress! + total, buffer.count - total, offset + total)
            if result < 0 && errno == EINTR { continue }
            if result <= 0 { break }
            total += result
        }
        return total
    }

    /// The offset just after the last `\n` in `buffer`, or `nil` when it has none.
    static func offsetAfterLastNewline(in buffer: UnsafeRawBufferPointer) -> Int? {
        var index = buffer.count
        while index > 0 {
            index -= 1
            if buffer[index] == 0x0A { return index + 1 }
        }
        return nil
    }

    /// Whether `info` describes a regular file.
    static func isRegularFile(_ info: stat) -> Bool {
        (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether `info` describes a directory.
    static func isDirectory(_ info: stat) -> Bool {
        (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The message for an `errno` value.
    static func describe(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "errno \(code)" }
        return String(cString: message)
    }
}
