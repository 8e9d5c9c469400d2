import CZlib

/// A ``ByteSource`` that inflates gzip (or zlib) data read from another source.
///
/// It handles concatenated gzip members (as `cat a.gz b.gz` and many log shippers produce) and ignores
/// zero padding between or after members. When the input ends inside a member, every byte decoded so far
/// is returned first and the following `read` throws ``ByteSourceError/Code/truncatedGzip``; damaged deflate
/// data or trailing garbage throws ``ByteSourceError/Code/corruptGzip`` the same way.
///
/// - Important: The inflater state lives in a reference-counted box; copies of a `GzipByteSource` share it.
public struct GzipByteSource<Base: ByteSource>: ByteSource {
    private var base: Base
    private let state: InflateState

    /// Creates an inflating source over `base`.
    ///
    /// - Parameters:
    ///   - base: The compressed bytes.
    ///   - inputBufferSize: How many compressed bytes to read from `base` at a time.
    public init(base: Base, inputBufferSize: Int = 64 << 10) {
        self.base = base
        self.state = InflateState(inputBufferSize: max(16, inputBufferSize))
    }

    public mutating func read(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let outBase = out.baseAddress, out.count > 0 else { return 0 }
        let s = state
        if s.finished {
            if let e = s.pendingError { s.pendingError = nil; throw e }
            return 0
        }
        let strm = s.stream
        while true {
            if strm.pointee.avail_in == 0 && !s.baseEOF {
                let n = try base.read(into: s.input)
                if n == 0 {
                    s.baseEOF = true
                } else {
                    strm.pointee.next_in = s.input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    strm.pointee.avail_in = uInt(n)
                }
                continue
            }
            if s.betweenMembers {
                while strm.pointee.avail_in > 0 && strm.pointee.next_in.pointee == 0 {
                    strm.pointee.next_in += 1
                    strm.pointee.avail_in -= 1
                }
                if strm.pointee.avail_in == 0 {
                    if s.baseEOF { s.finished = true; return 0 }
                    continue
                }
                guard strm.pointee.next_in.pointee == 0x1F else {
                    s.finished = true
                    throw ByteSourceError(code: .corruptGzip, message: "trailing data after the last gzip member")
                }
                inflateReset(strm)
                s.betweenMembers = false
            }
            if strm.pointee.avail_in == 0 && s.baseEOF && !s.memberStarted {
                s.finished = true
                return 0
            }
            s.memberStarted = true
            let inBefore = strm.pointee.avail_in
            strm.pointee.next_out = outBase.assumingMemoryBound(to: Bytef.self)
            strm.pointee.avail_out = uInt(min(out.count, Int(UInt32.max)))
            let availOutBefore = strm.pointee.avail_out
            let ret = inflate(strm, Z_NO_FLUSH)
            let produced = Int(availOutBefore - strm.pointee.avail_out)
            let consumed = inBefore - strm.pointee.avail_in
            switch ret {
            case Z_STREAM_END:
                s.betweenMembers = true
                s.memberStarted = false
                if produced > 0 { return produced }
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return produced }
                if strm.pointee.avail_in == 0 && s.baseEOF {
                    s.finished = true
                    throw ByteSourceError(code: .truncatedGzip, message: "input ends inside a gzip member")
                }
                if consumed == 0 && strm.pointee.avail_in > 0 {
                    s.finished = true
                    throw ByteSourceError(code: .corruptGzip, message: "inflate made no progress")
                }
            default:
                s.finished = true
                let text = strm.pointee.msg.map { String(cString: $0) } ?? "inflate error \(ret)"
                let error = ByteSourceError(code: .corruptGzip, message: text)
                if produced > 0 { s.pendingError = error; return produced }
                throw error
            }
        }
    }
}

/// zlib state at a stable address (zlib keeps a back pointer to the `z_stream`).
final class InflateState {
    let stream: UnsafeMutablePointer<z_stream>
    let input: UnsafeMutableRawBufferPointer
    var baseEOF = false
    var betweenMembers = false
    var memberStarted = false
    var finished = false
    var pendingError: ByteSourceError?

    init(inputBufferSize: Int) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: inputBufferSize, alignment: 16)
        // 15 + 32: maximum window, automatic gzip/zlib header detection.
        let rc = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            finished = true; pendingError = ByteSourceError(code: .corruptGzip, message: "inflateInit failed")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }
}

/// Inflates a whole in-memory gzip payload (subscription records, Lambda envelopes).
enum GzipPayload {
    /// Whether `bytes` starts with the gzip magic.
    @inline(__always) static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates `bytes` into `out` (appending), up to `limit` bytes of output.
    /// - Returns: `nil` on success, or the error that stopped it (`out` then holds what was decoded).
    static func inflate(_ bytes: UnsafeRawBufferPointer, into out: GrowableBytes, limit: Int) -> ByteSourceError? {
        var source = GzipByteSource(
            base: RawBufferByteSource(bytes: bytes), inputBufferSize: min(max(bytes.count, 16), 256 << 10))
        while true {
            if out.count >= limit {
                return ByteSourceError(code: .corruptGzip, message: "decompressed payload exceeds \(limit) bytes")
            }
            out.reserve(min(max(out.count, 64 << 10), limit - out.count))
            do {
                let n = try source.read(into: out.spare)
                if n == 0 { return nil }
                out.count += n
            } catch let e as ByteSourceError {
                return e
            } catch {
                return ByteSourceError(code: .corruptGzip, message: "\(error)")
            }
        }
    }
}
