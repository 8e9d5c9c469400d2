import DiagnosisRules
import LogDecoding

/// The per-record step shared by `replay` and the daemon: record → engine bookkeeping → signal → engine.
///
/// Most records cost one `noteRecord` and one prefilter pass; only the rare selected ones become a `Signal`.
public struct RecordProcessor {
    /// The engine (value type; checkpointed by the daemon).
    public var engine: DiagnosisEngine
    /// The matcher built from the same settings.
    public private(set) var matcher: SignalMatcher
    private var latencySeconds: Double
    /// Signals recognised so far.
    public private(set) var signals = 0
    private var lastStreamTask: TaskID?

    /// Creates a processor around `engine`.
    public init(engine: DiagnosisEngine) {
        self.engine = engine
        self.matcher = SignalMatcher(settings: engine.settings)
        self.latencySeconds = engine.settings.saturation.latencySeconds
    }

    /// Applies new settings and context, keeping correlation state (SIGHUP).
    public mutating func update(settings: RuleSettings, context: ServiceContext) {
        engine.update(settings: settings, context: context)
        matcher = SignalMatcher(settings: settings)
        latencySeconds = settings.saturation.latencySeconds
    }

    /// Processes one record with a known event time; transitions that became due are appended to `out`.
    /// - Parameters:
    ///   - sourceText: `PATH:LINE` of the record, built only when a signal is produced.
    ///   - onSignal: receives each recognised signal (for `signals`).
    public mutating func process(
        _ view: RecordView, sourceText: () -> String, onSignal: ((Signal) -> Void)?, into out: inout [AlertTransition]
    ) {
        guard let time = view.time else { return }
        if view.isApplicationLog {
            // The engine learns the task's group/stream from the first record of a stream (rare); the bytes are
            // offered unless this task's were just noted.
            let offer = view.task != nil && view.task != lastStreamTask
            let none = UnsafeRawBufferPointer(start: nil, count: 0)
            if engine.noteLogRecord(
                time: time, task: view.task, logGroupBytes: offer ? view.logGroup : none,
                logStreamBytes: offer ? view.logStream : none)
            {
                lastStreamTask = view.task
            }
        } else {
            engine.noteRecord(time: time, isApplicationLog: false, task: view.task)
        }
        switch view.kind {
        case .albAccessLog:
            if let request = SignalMatcher.albRequest(view.payload), !request.targetGroup.isEmpty {
                let hash = ByteHash.fnv1a(UnsafeRawBufferPointer(rebasing: view.payload[request.targetGroup]))
                engine.noteRequest(time: time, targetGroupHash: hash, slow: (request.targetSeconds ?? 0) >= latencySeconds)
            }
        case .serviceEvent:
            if let binding = SignalMatcher.targetGroupBinding(view) {
                engine.bindTargetGroup(binding.targetGroup, toService: binding.service, cluster: nil)
            }
        default:
            break
        }
        let mask = matcher.candidateMask(view)
        if mask != 0, let signal = matcher.match(view, candidateMask: mask, sourceText: sourceText) {
            signals += 1
            onSignal?(signal)
            engine.ingest(signal)
        }
        engine.drain(into: &out)
    }
}
