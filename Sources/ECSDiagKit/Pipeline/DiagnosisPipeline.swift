import DiagnosisRules
import LogDecoding

/// Reads saved inputs, merges their records by event time (a k-way merge over per-input streams), turns
/// records into signals and signals into alert transitions. Used by `replay`, `signals` and `triage`.
///
/// The same inputs always give the same output: ties in event time are broken by input order and line.
public final class DiagnosisPipeline {
    /// What the pipeline reports as it goes.
    public struct Handlers {
        /// Called for each recognised signal, in merge order.
        public var signal: ((Signal) -> Void)?
        /// Called for each alert transition, in event-time order.
        public var transition: ((AlertTransition) -> Void)?
        /// Called now and then with (bytes read so far, records so far), for progress lines.
        public var progress: ((Int, Int) -> Void)?

        /// Creates handlers.
        public init(
            signal: ((Signal) -> Void)? = nil, transition: ((AlertTransition) -> Void)? = nil,
            progress: ((Int, Int) -> Void)? = nil
        ) {
            self.signal = signal
            self.transition = transition
            self.progress = progress
        }
    }

    /// The inputs, in command-line order (their index is `SourceRef.input`).
    public let inputs: [InputFile]
    /// The record step; its engine is available after `run` for reports (timelines, open alerts).
    private var processor: RecordProcessor

    /// The engine, after `run`: timelines and firing alerts for reports.
    public var engine: DiagnosisEngine { processor.engine }

    /// Creates a pipeline over `inputs` with the given rule settings and context documents.
    public init(inputs: [InputFile], settings: RuleSettings = .init(), context: ServiceContext = .init()) {
        self.inputs = inputs
        self.processor = RecordProcessor(engine: DiagnosisEngine(settings: settings, context: context))
    }

    /// Reads every input to its end and runs the engine; returns the run's report.
    /// - Throws: `InputPathError` when an input cannot be opened.
    public func run(_ handlers: Handlers) throws(InputPathError) -> PipelineReport {
        var readers: [RecordReader] = []
        readers.reserveCapacity(inputs.count)
        for (index, input) in inputs.enumerated() {
            let file = try FileReader(path: input.path)
            readers.append(
                RecordReader(source: FileByteSource(file: file), input: Int32(index), pathHint: input.path)
            )
        }

        var report = PipelineReport()
        let paths = inputs.map(\.path)
        let merged = zip(readers, paths).map { RecordMerge.Input(reader: $0, path: $1) }
        RecordMerge.run(
            merged, processor: &processor, onSignal: handlers.signal, progress: handlers.progress,
            emit: { emit(&$0, handlers) }
        )
        var transitions: [AlertTransition] = []
        processor.engine.finish(into: &transitions)
        emit(&transitions, handlers)

        for (i, reader) in readers.enumerated() {
            report.inputs.append(InputReport(reader: reader, path: paths[i]))
            if reader.containsLogRecords { report.sawApplicationLogs = true }
        }
        report.lateSignals = processor.engine.lateSignals
        report.signals = processor.signals
        return report
    }

    private func emit(_ transitions: inout [AlertTransition], _ handlers: Handlers) {
        guard !transitions.isEmpty else { return }
        if let sink = handlers.transition { transitions.forEach(sink) }
        transitions.removeAll(keepingCapacity: true)
    }
}
