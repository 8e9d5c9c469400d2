import CZlib
import DiagnosisRules
import Foundation
import LogDecoding
import Testing

/// An owned copy of a `RecordView`, for assertions.
struct Decoded: Equatable, CustomStringConvertible {
    var time: String?
    var line: Int64
    var kind: RecordKind
    var payload: String
    var escaped: Bool
    var group: String
    var stream: String
    var task: String?
    var input: Int32

    init(_ r: RecordView) {
        time = r.time?.rfc3339
        line = r.source.line
        kind = r.kind
        payload = String(decoding: r.payload, as: UTF8.self)
        escaped = r.payloadIsJSONEscaped
        group = String(decoding: r.logGroup, as: UTF8.self)
        stream = String(decoding: r.logStream, as: UTF8.self)
        task = r.task?.description
        input = r.source.input
    }

    var description: String {
        "[\(line)] \(kind) \(time ?? "-") g=\(group) s=\(stream) t=\(task ?? "-") \(escaped ? "esc " : "")\(payload.prefix(80))"
    }
}

/// The result of decoding a whole input.
struct Decoding {
    var records: [Decoded]
    var report: MalformedReport
    var formats: Set<InputFormat>
    var containsLogRecords: Bool
    var bytesRead: Int
    var decodedBytes: Int
    var recordsDecoded: Int

    var kinds: [RecordKind] { records.map(\.kind) }
    var times: [String?] { records.map(\.time) }
    var lines: [Int64] { records.map(\.line) }
    var payloads: [String] { records.map(\.payload) }
}

func decode(
    _ bytes: [UInt8], readSizes: [Int] = [], pathHint: String? = nil, input: Int32 = 0,
    options: DecoderOptions = DecoderOptions()
) -> Decoding {
    let reader = RecordReader(
        source: MemoryByteSource(bytes, readSizes: readSizes), input: input, pathHint: pathHint,
        options: options)
    var out: [Decoded] = []
    while let r = reader.next() { out.append(Decoded(r)) }
    #expect(reader.next() == nil)
    #expect(reader.isFinished)
    return Decoding(
        records: out, report: reader.report, formats: reader.detectedFormats,
        containsLogRecords: reader.containsLogRecords, bytesRead: reader.bytesRead,
        decodedBytes: reader.decodedBytes, recordsDecoded: reader.recordsDecoded)
}

func decode(
    _ text: String, readSizes: [Int] = [], pathHint: String? = nil, options: DecoderOptions = DecoderOptions()
) -> Decoding {
    decode(Array(text.utf8), readSizes: readSizes, pathHint: pathHint, options: options)
}

/// The bytes of a fixture under `Fixtures/`.
func fixture(_ name: String) throws -> [UInt8] {
    let base = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures")
    let url = base.appendingPathComponent(name)
    return try [UInt8](Data(contentsOf: url))
}

/// Whether a fixture exists (another helper fills the directory; tests skip missing ones).
func fixtureExists(_ name: String) -> Bool {
    guard let base = Bundle.module.resourceURL?.appendingPathComponent("Fixtures") else { return false }
    return FileManager.default.fileExists(atPath: base.appendingPathComponent(name).path)
}

func decodeFixture(_ name: String, readSizes: [Int] = [], pathHint: String? = nil) throws -> Decoding {
    decode(try fixture(name), readSizes: readSizes, pathHint: pathHint)
}

/// Milliseconds of an ISO time, for readable expectations.
func ms(_ iso: String) -> Int64 {
    var copy = iso
    return copy.withUTF8 { TimestampParser.parseISO(UnsafeRawBufferPointer($0))!.time.milliseconds }
}

/// gzip-compresses `bytes` (one member) with zlib.
func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
    var strm = z_stream()
    precondition(
        deflateInit2_(
            &strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&strm) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&strm, uLong(bytes.count))) + 64)
    var input = bytes
    let produced: Int = input.withUnsafeMutableBytes { inp in
        out.withUnsafeMutableBytes { outp in
            strm.next_in = inp.baseAddress?.assumingMemoryBound(to: Bytef.self)
            strm.avail_in = uInt(inp.count)
            strm.next_out = outp.baseAddress!.assumingMemoryBound(to: Bytef.self)
            strm.avail_out = uInt(outp.count)
            let rc = deflate(&strm, Z_FINISH)
            precondition(rc == Z_STREAM_END)
            return outp.count - Int(strm.avail_out)
        }
    }
    return Array(out[0..<produced])
}

func gzip(_ text: String) -> [UInt8] { gzip(Array(text.utf8)) }

/// Base64 (standard alphabet, padded).
func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
