import DiagnosisRules

/// Deterministic CloudWatch event lines (`{"timestamp":…,"message":"…","logStreamName":"ecs/<svc>/<task>",…}`), the
/// shape of ~90 % of scripts/corpus.py's output, built from the same message templates as its healthy noise.
///
/// Everything derives from a seed (SplitMix64), so every run measures the same bytes. The bytes live for the whole
/// process: record views built from them stay valid.
public struct Fixtures: @unchecked Sendable {
    /// What a line's message is.
    public enum Category: String, Sendable, CaseIterable {
        /// Healthy noise that contains none of the prefilter's literals (most records).
        case benignNoLiteral
        /// Healthy noise that contains a literal (`duration`, `:50` of a port or an id, …): the prefilter hits and
        /// the allocation-free request check rejects it (a fast 2xx, no status).
        case benignRequestLiteral
        /// Hard negatives: text with a literal whose parser rejects it (`403 Forbidden` of the app's own admin page,
        /// a Spring `AccessDeniedException`). Not signals, but they take the parsers' slow path.
        case hardNegative
    }

    /// One record: the whole line, and the ranges the decoder would hand out.
    public struct Line: Sendable {
        public var line: Range<Int>
        public var message: Range<Int>
        public var stream: Range<Int>
        public var group: Range<Int>
        public var task: TaskID
        public var time: Int64
        public var category: Category
    }

    /// All lines, `\n`-terminated, back to back.
    public let bytes: [UInt8]
    /// The same bytes at a stable address (never freed).
    public let base: UnsafeRawPointer
    public let lines: [Line]
    /// The distinct task ids, in order of creation.
    public let tasks: [TaskID]

    /// Builds `count` lines over `tasks` distinct tasks; `hardNegativeEvery` > 0 puts one hard negative every that
    /// many lines (0: none).
    public init(count: Int, tasks: Int = 1000, seed: UInt64 = 1, hardNegativeEvery: Int = 0) {
        var rng = SplitMix64(seed: seed)
        let services = ["orders-api", "payments-api", "catalog-sync", "checkout-api", "invoice-renderer",
                        "report-exporter", "search-api", "cart-api"]
        var taskIDs: [String] = []
        var taskService: [Int] = []
        for _ in 0..<tasks {
            taskIDs.append(hex(rng.next()) + hex(rng.next()))
            taskService.append(Int(rng.next() % UInt64(services.count)))
        }
        var out: [UInt8] = []
        var lines: [Line] = []
        var time: Int64 = 1_795_132_800_000
        let prefilter = LiteralPrefilter(literals: SignalMatcher.prefilterLiterals)
        for i in 0..<count {
            time += Int64(rng.next() % 3)
            let t = Int(rng.next() % UInt64(tasks))
            let svc = services[taskService[t]]
            var category: Category
            let message: String
            if hardNegativeEvery > 0, i % hardNegativeEvery == hardNegativeEvery - 1 {
                category = .hardNegative
                message = Fixtures.hardNegative(&rng)
            } else {
                (category, message) = Fixtures.healthy(&rng)
            }
            let start = out.count
            func put(_ s: String) { out.append(contentsOf: s.utf8) }
            put("{\"timestamp\":\(time - Int64(rng.next() % 5000)),\"message\":\"")
            let m0 = out.count
            put(message)
            let m1 = out.count
            put("\",\"logStreamName\":\"")
            let s0 = out.count
            put("ecs/\(svc)/\(taskIDs[t])")
            let s1 = out.count
            put("\",\"logGroupName\":\"")
            let g0 = out.count
            put("/ecs/\(svc)")
            let g1 = out.count
            put("\",\"ingestionTime\":\(time + 400 + Int64(i % 1400)),\"eventId\":\"\(time)\(String(repeating: "0", count: 30))\(i)\"}")
            let end = out.count
            out.append(10)
            if category != .hardNegative {
                let hit = out.withUnsafeBytes { prefilter.matches(in: UnsafeRawBufferPointer(rebasing: $0[m0..<m1])) } != 0
                category = hit ? .benignRequestLiteral : .benignNoLiteral
            }
            let id = taskIDs[t].utf8.withContiguousStorageIfAvailable { TaskID(bytes: UnsafeRawBufferPointer($0)) }!!
            lines.append(Line(line: start..<end, message: m0..<m1, stream: s0..<s1, group: g0..<g1, task: id,
                              time: time, category: category))
        }
        bytes = out
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(out.count, 1), alignment: 64)
        out.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        base = UnsafeRawPointer(p)
        self.lines = lines
        self.tasks = taskIDs.map { id in id.utf8.withContiguousStorageIfAvailable { TaskID(bytes: UnsafeRawBufferPointer($0)) }!! }
    }

    /// The bytes of `range` at the stable address.
    public func view(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// The record view the decoder hands out for line `i` (an application log record, escaped message).
    public func record(_ i: Int) -> RecordView {
        let l = lines[i]
        return RecordView(
            time: EventTime(milliseconds: l.time), source: SourceRef(input: 0, line: Int64(i + 1)), kind: .applicationLog,
            payload: view(l.message), payloadIsJSONEscaped: true, logGroup: view(l.group), logStream: view(l.stream),
            task: l.task)
    }

    /// Indices of the lines of one category.
    public func indices(of category: Category) -> [Int] { lines.indices.filter { lines[$0].category == category } }

    /// The lines `indices`, concatenated (each `\n`-terminated).
    public func concatenated(_ indices: [Int]) -> [UInt8] {
        var out: [UInt8] = []
        for i in indices {
            out.append(contentsOf: bytes[lines[i].line])
            out.append(10)
        }
        return out
    }

    // MARK: Messages (JSON-escaped, as inside a CloudWatch "message" string)

    static let paths = ["/orders/%n", "/orders/%n/status", "/cart/%n", "/payments/pay_%h", "/catalog/items/%n",
                        "/search?q=shoes&page=%p", "/healthz", "/healthz", "/healthz"]
    static let phrases: [(Int, String)] = [(200, "OK"), (201, "Created"), (204, "No Content"), (304, "Not Modified"),
                                           (404, "Not Found"), (400, "Bad Request"), (409, "Conflict")]

    static func healthy(_ rng: inout SplitMix64) -> (Category, String) {
        let r = rng.unit()
        let n = 10000 + Int(rng.next() % 89999)
        let p = 1 + Int(rng.next() % 49)
        let path = paths[Int(rng.next() % UInt64(paths.count))]
            .replacingAll("%n", "\(n)").replacingAll("%h", String(hex(rng.next()).prefix(12))).replacingAll("%p", "\(p)")
        let node = rng.next() & 1 == 0 ? "10.0.0.142" : "10.0.1.87"
        if r < 0.30 {
            let (code, phrase) = rng.next() % 6 == 0 ? phrases[Int(rng.next() % UInt64(phrases.count))] : (200, "OK")
            let method = rng.next() % 5 == 0 ? "POST" : "GET"
            return (.benignNoLiteral,
                    "INFO:     \(node):\(30000 + rng.next() % 35000) - \\\"\(method) \(path) HTTP/1.1\\\" \(code) \(phrase)")
        }
        if r < 0.50 {
            let events = ["order fetched", "cart updated", "payment authorised", "price computed", "stock reserved",
                          "session refreshed"]
            let ms = Double(8 + rng.next() % 1192) / 10
            return (.benignRequestLiteral,
                    "{\\\"event\\\": \\\"\(events[Int(rng.next() % 6)])\\\", \\\"id\\\": \(n), \\\"duration_ms\\\": \(ms), "
                        + "\\\"logger\\\": \\\"app.api\\\", \\\"level\\\": \\\"info\\\", \\\"request_id\\\": \\\"\(hex(rng.next()))\(hex(rng.next()))\\\"}")
        }
        if r < 0.65 {
            return (.benignNoLiteral,
                    "{\\\"level\\\":30,\\\"pid\\\":1,\\\"req\\\":{\\\"method\\\":\\\"GET\\\",\\\"url\\\":\\\"\(path)\\\"},"
                        + "\\\"res\\\":{\\\"statusCode\\\":200},\\\"responseTime\\\":\(1 + rng.next() % 89),\\\"msg\\\":\\\"request completed\\\"}")
        }
        if r < 0.80 {
            let thread = "nio-8080-exec-\(1 + rng.next() % 10)"
            let padded = String(repeating: " ", count: max(0, 15 - thread.count)) + thread
            return (.benignNoLiteral,
                    " INFO [\(padded)] c.e.app.web.RequestLogFilter             : GET \(path) -> "
                        + "\(rng.next() % 10 == 0 ? 404 : 200) in \(2 + rng.next() % 88) ms")
        }
        if r < 0.90 {
            let cache = ["prices", "catalog", "fx"][Int(rng.next() % 3)]
            return (.benignNoLiteral,
                    "level=info msg=\\\"cache refreshed\\\" cache=\(cache) entries=\(100 + rng.next() % 89900) took=\(rng.next() % 3).\(100 + rng.next() % 899)s")
        }
        switch rng.next() % 4 {
        case 0: return (.benignNoLiteral, "Processed batch \(n) with \(1 + rng.next() % 499) records")
        case 1: return (.benignNoLiteral, "Scheduled job export-\(p) finished in \(rng.next() % 30).\(rng.next() % 10)s")
        case 2: return (.benignNoLiteral, "Connection pool stats: active=\(rng.next() % 10) idle=\(rng.next() % 10) waiting=0")
        default: return (.benignNoLiteral, "Published \(1 + rng.next() % 49) events to topic orders.v1")
        }
    }

    static func hardNegative(_ rng: inout SplitMix64) -> String {
        switch rng.next() % 3 {
        case 0:
            return "Access denied for POST /admin/orders/refund: org.springframework.security.access.AccessDeniedException: Access is denied"
        case 1:
            return "INFO:     10.0.0.142:\(30000 + rng.next() % 35000) - \\\"GET /admin/reports HTTP/1.1\\\" 403 Forbidden"
        default:
            return "HikariPool-2 - Failed to create/setup connection: Access denied for user 'app'@'10.0.1.5' (using password: YES)"
        }
    }
}

/// SplitMix64: a tiny deterministic generator (no Foundation, same numbers everywhere).
public struct SplitMix64: Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

func hex(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
