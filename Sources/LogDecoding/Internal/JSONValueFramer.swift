#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the end of one JSON value in a byte stream that arrives in pieces, checking its syntax on the way.
///
/// The framer is resumable and position-free: call `scan` with successive byte ranges (the caller keeps
/// positions), and it reports `.needMore`, `.complete(end)` or `.error(at)`. Strings are skipped with
/// `memchr`; a raw newline inside a string is an error, which is what separates "a document continues on
/// the next line" from "this line is broken JSON". Nesting is limited to 128 levels.
struct JSONValueFramer {
    enum Outcome: Equatable {
        /// All bytes up to `to` belong to the value; give me more.
        case needMore
        /// The value ends just before this index.
        case complete(Int)
        /// Invalid JSON at this index.
        case error(Int)
    }

    private enum Phase: UInt8 {
        case value, valueOrClose, keyOrClose, key, colon, commaOrClose, string, number, literal
    }

    private var phase: Phase = .value
    private var stringIsKey = false
    private var escapePending = false
    private var depth = 0
    private var stackLow: UInt64 = 0
    private var stackHigh: UInt64 = 0
    /// Whether any non-whitespace byte has been consumed.
    private(set) var started = false

    /// Whether the last `needMore` stopped inside a string literal.
    var isInString: Bool { phase == .string }

    mutating func reset() { self = JSONValueFramer() }

    @inline(__always) private var topIsObject: Bool {
        let d = depth - 1
        return d < 64 ? (stackLow >> UInt64(d)) & 1 == 1 : (stackHigh >> UInt64(d - 64)) & 1 == 1
    }

    @inline(__always) private mutating func push(object: Bool) -> Bool {
        guard depth < 128 else { return false }
        let bit: UInt64 = object ? 1 : 0
        if depth < 64 {
            stackLow = (stackLow & ~(1 << UInt64(depth))) | (bit << UInt64(depth))
        } else {
            let d = UInt64(depth - 64)
            stackHigh = (stackHigh & ~(1 << d)) | (bit << d)
        }
        depth += 1
        return true
    }

    @inline(__always) private static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 10 || c == 13 || c == 9 }
    @inline(__always) private static func isNumberByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || c == 45 || c == 43 || c == 46 || c == 101 || c == 69
    }

    /// Scans `base[from..<to]`.
    mutating func scan(_ base: UnsafeRawPointer, from: Int, to: Int) -> Outcome {
        var i = from
        while i < to {
            switch phase {
            case .string:
                if escapePending {
                    if base.load(fromByteOffset: i, as: UInt8.self) == 10 { return .error(i) }
                    escapePending = false
                    i += 1
                    continue
                }
                let q = memchr(base + i, 34, to - i).map { base.distance(to: UnsafeRawPointer($0)) }
                let segEnd = q ?? to
                if let nl = memchr(base + i, 10, segEnd - i) { return .error(base.distance(to: UnsafeRawPointer(nl))) }
                var b = segEnd - 1
                while b >= i, base.load(fromByteOffset: b, as: UInt8.self) == 92 { b -= 1 }
                let oddBackslashes = (segEnd - 1 - b) & 1 == 1
                guard let quote = q else {
                    escapePending = oddBackslashes
                    return .needMore
                }
                i = quote + 1
                if oddBackslashes { continue }
                if stringIsKey {
                    phase = .colon
                } else if depth == 0 {
                    return .complete(i)
                } else {
                    phase = .commaOrClose
                }
            case .number, .literal:
                let isNumber = phase == .number
                while i < to {
                    let c = base.load(fromByteOffset: i, as: UInt8.self)
                    if isNumber ? JSONValueFramer.isNumberByte(c) : (c >= 97 && c <= 122) { i += 1 } else { break }
                }
                if i == to { return .needMore }
                if depth == 0 { return .complete(i) }
                phase = .commaOrClose
            default:
                let c = base.load(fromByteOffset: i, as: UInt8.self)
                if JSONValueFramer.isSpace(c) { i += 1; continue }
                started = true
                switch phase {
                case .value, .valueOrClose:
                    if c == 93, phase == .valueOrClose {
                        depth -= 1
                        i += 1
                        if depth == 0 { return .complete(i) }
                        phase = .commaOrClose
                        continue
                    }
                    switch c {
                    case 123:
                        guard push(object: true) else { return .error(i) }
                        phase = .keyOrClose
                    case 91:
                        guard push(object: false) else { return .error(i) }
                        phase = .valueOrClose
                    case 34:
                        phase = .string
                        stringIsKey = false
                    case 45, 48...57:
                        phase = .number
                        continue
                    case 116, 102, 110:
                        phase = .literal
                        continue
                    default:
                        return .error(i)
                    }
                    i += 1
                case .keyOrClose, .key:
                    if c == 125, phase == .keyOrClose {
                        depth -= 1
                        i += 1
                        if depth == 0 { return .complete(i) }
                        phase = .commaOrClose
                        continue
                    }
                    guard c == 34 else { return .error(i) }
                    phase = .string
                    stringIsKey = true
                    i += 1
                case .colon:
                    guard c == 58 else { return .error(i) }
                    phase = .value
                    i += 1
                case .commaOrClose:
                    let object = topIsObject
                    if c == 44 {
                        phase = object ? .key : .value
                        i += 1
                    } else if (c == 125 && object) || (c == 93 && !object) {
                        depth -= 1
                        i += 1
                        if depth == 0 { return .complete(i) }
                    } else {
                        return .error(i)
                    }
                default:
                    return .error(i)
                }
            }
        }
        return .needMore
    }
}
