import Testing
@testable import DiagnosisRules

/// Builds signals and feeds for engine and rule tests, with distinct source lines so ordering is total.
struct Scenario {
    /// 2026-11-20T09:00:00Z.
    static let base: Int64 = CivilTime.days(year: 2026, month: 11, day: 20) * 86_400_000 + 9 * 3_600_000

    static func at(_ seconds: Double) -> EventTime { EventTime(milliseconds: base + Int64((seconds * 1000).rounded())) }

    static func task(_ n: Int) -> TaskID { TaskID(high: 0xABCD_0000_0000_0000 | UInt64(n), low: UInt64(n) &* 0x9E37_79B9) }

    /// One input to the engine.
    enum Item {
        case signal(Signal)
        case log(EventTime, TaskID?)
        case stream(TaskID, String, String, EventTime)
        case request(EventTime, UInt64, Bool)

        var time: EventTime {
            switch self {
            case .signal(let s): s.time
            case .log(let t, _): t
            case .stream(_, _, _, let t): t
            case .request(let t, _, _): t
            }
        }
    }

    var items: [Item] = []
    var nextLine: Int64 = 1
    var service: String? = "orders-api"
    var cluster: String? = "prod"

    init(service: String? = "orders-api", cluster: String? = "prod") {
        self.service = service
        self.cluster = cluster
    }

    /// Makes a signal (not added).
    mutating func make(
        _ kind: SignalKind, at seconds: Double, task: TaskID? = nil, service: String?? = .none,
        cluster: String?? = .none, logGroup: String? = nil, logStream: String? = nil, line: String? = nil,
        _ detail: (inout SignalDetail) -> Void = { _ in }
    ) -> Signal {
        var d = SignalDetail()
        detail(&d)
        let l = nextLine
        nextLine += 1
        return Signal(
            time: Scenario.at(seconds), source: SourceRef(input: 0, line: l), sourceText: "story.log:\(l)", kind: kind,
            service: service ?? self.service, cluster: cluster ?? self.cluster, task: task, logGroup: logGroup,
            logStream: logStream, detail: d, line: line ?? "\(kind.rawValue) line \(l)")
    }

    /// Adds a signal.
    @discardableResult
    mutating func add(
        _ kind: SignalKind, at seconds: Double, task: TaskID? = nil, service: String?? = .none,
        cluster: String?? = .none, logGroup: String? = nil, logStream: String? = nil, line: String? = nil,
        _ detail: (inout SignalDetail) -> Void = { _ in }
    ) -> Signal {
        let s = make(kind, at: seconds, task: task, service: service, cluster: cluster, logGroup: logGroup,
                     logStream: logStream, line: line, detail)
        items.append(.signal(s))
        return s
    }

    /// Adds an application log record of a task.
    mutating func log(at seconds: Double, task: TaskID?) { items.append(.log(Scenario.at(seconds), task)) }

    /// Adds an ALB request.
    mutating func request(at seconds: Double, targetGroup: String, slow: Bool) {
        items.append(.request(Scenario.at(seconds), ByteHash.fnv1a(targetGroup), slow))
    }

    /// Adds a denial of `action` as `role`.
    mutating func denial(at seconds: Double, task: TaskID? = nil, action: String = "s3:GetObject",
                         role: String = "orders-task-role", session: String? = nil,
                         resource: String = "arn:aws:s3:::orders-invoices/2026/11/inv-1.pdf")
    {
        add(.accessDenied, at: seconds, task: task, line: "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied") {
            $0.action = action
            $0.role = role
            $0.session = session ?? task?.description ?? "2d84243e241b45a5a0b4dbee09e50d97"
            $0.errorCode = "AccessDenied"
            $0.resource = resource
        }
    }

    /// Items sorted by event time (stable).
    var sorted: [Item] {
        items.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// Runs items through an engine in the given order, draining after each item (or every `drainEvery`).
    static func run(
        _ items: [Item], settings: RuleSettings = RuleSettings(), context: ServiceContext = ServiceContext(),
        drainEvery: Int = 1, finish: Bool = true
    ) -> (transitions: [AlertTransition], engine: DiagnosisEngine) {
        var engine = DiagnosisEngine(settings: settings, context: context)
        var out: [AlertTransition] = []
        for (i, item) in items.enumerated() {
            feed(item, &engine)
            if drainEvery > 0, (i + 1) % drainEvery == 0 { engine.drain(into: &out) }
        }
        if finish { engine.finish(into: &out) }
        return (out, engine)
    }

    static func feed(_ item: Item, _ engine: inout DiagnosisEngine) {
        switch item {
        case .signal(let s): engine.ingest(s)
        case .log(let t, let task): engine.noteLogRecord(time: t, task: task)
        case .stream(let task, let g, let s, let t): engine.noteStream(task: task, logGroup: g, logStream: s, time: t)
        case .request(let t, let tg, let slow): engine.noteRequest(time: t, targetGroupHash: tg, slow: slow)
        }
    }

    /// Runs this scenario sorted by time.
    func run(settings: RuleSettings = RuleSettings(), context: ServiceContext = ServiceContext(), drainEvery: Int = 1)
        -> [AlertTransition]
    {
        Scenario.run(sorted, settings: settings, context: context, drainEvery: drainEvery).transitions
    }

    /// A within-lateness interleaving: each item arrives at its time plus a pseudo-random delay below `lateness`.
    func shuffled(seed: UInt64, latenessSeconds: Double = 30) -> [Item] {
        var rng = SplitMix(seed: seed)
        let maxDelay = Int64(latenessSeconds * 1000) - 1
        let keyed = items.enumerated().map { (i, item) -> (Int64, UInt64, Int) in
            (item.time.milliseconds + Int64(rng.next() % UInt64(maxDelay)), rng.next(), i)
        }
        return keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { items[$0.2] }
    }
}

extension [AlertTransition] {
    var firing: [AlertTransition] { filter { $0.status == .firing } }
    var resolved: [AlertTransition] { filter { $0.status == .resolved } }
    func of(_ rule: RuleID) -> [AlertTransition] { filter { $0.rule == rule } }
}

/// Settings with a short minimum firing time (lifecycle tests set it explicitly).
func settings(_ body: (inout RuleSettings) -> Void = { _ in }) -> RuleSettings {
    var s = RuleSettings()
    body(&s)
    return s
}

/// Runs `scenario` sorted and in several within-lateness interleavings and expects identical transitions.
func expectOrderIndependent(
    _ scenario: Scenario, seeds: ClosedRange<UInt64> = 1...5, context: ServiceContext = ServiceContext(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let expected = scenario.run(context: context)
    #expect(!expected.isEmpty, "the scenario should produce transitions", sourceLocation: sourceLocation)
    for seed in seeds {
        let got = Scenario.run(scenario.shuffled(seed: seed), context: context).transitions
        #expect(got == expected, "interleaving \(seed) differs", sourceLocation: sourceLocation)
    }
}
