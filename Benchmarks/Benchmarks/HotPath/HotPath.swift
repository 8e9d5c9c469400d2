import BenchFixtures
import Benchmark
import DiagnosisRules
import LogDecoding

// Micro-benchmarks of the per-record hot path. Every benchmark handles 1000 records per iteration
// (scalingFactor .kilo). Set-up (building readers, engines, warming the task tables) is excluded with
// startMeasurement(). `Malloc (total)` counts every malloc/calloc/realloc of the measured part.
//
//     swift package benchmark --no-progress           # per record (rows marked *; mallocs rounded to integers)
//     swift package benchmark --no-progress --scale   # per iteration = per 1000 records: exact malloc counts
//
// Per iteration the harness itself allocates 16 (sometimes 18–20) times: the "baseline" benchmark shows it. A
// benchmark whose count equals the baseline's allocates nothing per record. (`.instructions` needs hardware
// counters, which this VM lacks: the row is then absent.)

/// 4000 CloudWatch event lines over 1000 tasks: healthy noise only.
let benign = Fixtures(count: 4000, tasks: 1000, seed: 1)
/// Same shape with one hard negative (a literal whose parser rejects the line) every 10 lines.
let mixed = Fixtures(count: 4000, tasks: 1000, seed: 2, hardNegativeEvery: 10)

let benignAll = Array(benign.lines.indices)
let benignNoLiteral = benign.indices(of: .benignNoLiteral)
let benignRequest = benign.indices(of: .benignRequestLiteral)
let hardNegatives = mixed.indices(of: .hardNegative)

/// 1000 benign lines as one input, for the decoder; and 2000 (the first 1000 warm the engine up).
let benignInput = benign.concatenated(Array(0..<1000))
let benignInput2000 = benign.concatenated(Array(0..<2000))

let matcher = SignalMatcher()
let prefilter = LiteralPrefilter(literals: SignalMatcher.prefilterLiterals)

nonisolated(unsafe) let perRecord = Benchmark.Configuration(
    metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
    scalingFactor: .kilo,
    maxDuration: .seconds(2),
    maxIterations: 100_000
)

/// An engine that has seen every task of `f` and its log stream (steady state: the task tables no longer grow).
func warmEngine(_ f: Fixtures) -> DiagnosisEngine {
    var engine = DiagnosisEngine()
    let t0 = EventTime(milliseconds: f.lines[0].time - 60_000)
    var seen = Set<TaskID>()
    for l in f.lines where seen.insert(l.task).inserted {
        engine.noteStream(task: l.task, logGroup: String(decoding: f.view(l.group), as: UTF8.self),
                          logStream: String(decoding: f.view(l.stream), as: UTF8.self), time: t0)
    }
    for task in f.tasks { engine.noteRecord(time: t0, isApplicationLog: true, task: task) }
    var out: [AlertTransition] = []
    engine.drain(into: &out)
    return engine
}

let benchmarks: @Sendable () -> Void = {

    // Sanity: the benign fixtures produce no signal.
    for i in benignAll {
        let r = benign.record(i)
        precondition(matcher.match(r, sourceText: { "" }) == nil, "benign fixture \(i) produced a signal")
    }

    // 0. The harness's own mallocs per iteration (subtract from every `Malloc (total)` below).
    Benchmark("baseline: empty loop (harness overhead)", configuration: perRecord) { benchmark in
        for i in benchmark.scaledIterations { blackHole(i) }
    }

    // 1. Framing and decoding: RecordReader over a MemoryByteSource of CloudWatch JSON lines (memchr framing, the
    //    one-pass member scan, timestamp and task id parsing).
    Benchmark("framing: RecordReader.next, CloudWatch JSON lines", configuration: perRecord) { benchmark in
        let reader = RecordReader(source: MemoryByteSource(benignInput), input: 0)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(reader.next()) }
        benchmark.stopMeasurement()
        precondition(reader.recordsDecoded == 1000)
    }

    // 2. JSON field scanning with the public scanner: timestamp, message and logStreamName in one member pass.
    Benchmark("json: JSONScanner.forEachMember, 3 fields", configuration: perRecord) { benchmark in
        for i in benchmark.scaledIterations {
            let s = JSONScanner(benign.view(benign.lines[i].line))
            var found = 0
            s.forEachMember(ofObjectAt: 0) { key, value in
                if s.key(key, equals: "timestamp") || s.key(key, equals: "message")
                    || s.key(key, equals: "logStreamName") { found &+= value.range.count }
                return true
            }
            blackHole(found)
        }
    }

    // 3. The prefilter alone on benign messages (escaped, as matched).
    Benchmark("prefilter: LiteralPrefilter.matches, benign messages", configuration: perRecord) { benchmark in
        for i in benchmark.scaledIterations { blackHole(prefilter.matches(in: benign.view(benign.lines[i].message))) }
    }

    // 4. SignalMatcher.match on benign records: all healthy noise, then the two halves.
    Benchmark("match: SignalMatcher.match, benign records", configuration: perRecord) { benchmark in
        for i in benchmark.scaledIterations { blackHole(matcher.match(benign.record(i), sourceText: { "" })) }
    }
    Benchmark("match: benign, no literal", configuration: perRecord) { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(matcher.match(benign.record(benignNoLiteral[i % benignNoLiteral.count]), sourceText: { "" }))
        }
    }
    Benchmark("match: benign, request literal (fast 2xx)", configuration: perRecord) { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(matcher.match(benign.record(benignRequest[i % benignRequest.count]), sourceText: { "" }))
        }
    }
    Benchmark("match: hard negatives (literal, parser rejects)", configuration: perRecord) { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(matcher.match(mixed.record(hardNegatives[i % hardNegatives.count]), sourceText: { "" }))
        }
    }

    // 5. Rule update: the engine's per-record note (task log presence, watermark), on a warm task table.
    // Records 0..<1000 warm the engine up (task table, dirty list, watermark), 1000..<2000 are measured.
    Benchmark("engine: noteRecord, 1000 known tasks", configuration: perRecord) { benchmark in
        var engine = warmEngine(benign)
        for l in benign.lines[0..<1000] {
            engine.noteRecord(time: EventTime(milliseconds: l.time), isApplicationLog: true, task: l.task)
        }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let l = benign.lines[1000 + i]
            engine.noteRecord(time: EventTime(milliseconds: l.time), isApplicationLog: true, task: l.task)
        }
        benchmark.stopMeasurement()
        blackHole(engine.stats.logTasks)
    }
    Benchmark("engine: noteRecord + drain per record (as the pipeline)", configuration: perRecord) { benchmark in
        var engine = warmEngine(benign)
        var out: [AlertTransition] = []
        out.reserveCapacity(16)
        for l in benign.lines[0..<1000] {
            engine.noteRecord(time: EventTime(milliseconds: l.time), isApplicationLog: true, task: l.task)
            engine.drain(into: &out)
        }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let l = benign.lines[1000 + i]
            engine.noteRecord(time: EventTime(milliseconds: l.time), isApplicationLog: true, task: l.task)
            engine.drain(into: &out)
            out.removeAll(keepingCapacity: true)
        }
        benchmark.stopMeasurement()
        blackHole(engine.stats.logTasks)
    }

    // The first record of a task's stream (not steady state: once per task and stream): the engine learns the
    // task's log group and container, which costs String copies of both.
    Benchmark("engine: noteStream, first record of 1000 new tasks", configuration: perRecord) { benchmark in
        var engine = DiagnosisEngine()
        let firsts = Array(benign.tasks.indices.compactMap { t in benign.lines.first { $0.task == benign.tasks[t] } }.prefix(1000))
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let l = firsts[i % firsts.count]
            engine.noteStream(task: l.task, logGroup: String(decoding: benign.view(l.group), as: UTF8.self),
                              logStream: String(decoding: benign.view(l.stream), as: UTF8.self),
                              time: EventTime(milliseconds: l.time))
        }
        benchmark.stopMeasurement()
        blackHole(engine.stats.identityTasks)
    }

    // 6. The whole per-record path of `replay` and the daemon for one input (RecordProcessor.process), minus the
    //    k-way merge heap: decode → noteStream (first record of a task) / noteRecord → match → drain.
    Benchmark("hot path: next → noteStream/noteRecord → match → drain", configuration: perRecord) { benchmark in
        let reader = RecordReader(source: MemoryByteSource(benignInput2000), input: 0)
        var processor = Processor(engine: warmEngine(benign))
        var out: [AlertTransition] = []
        out.reserveCapacity(16)
        for _ in 0..<1000 {
            if let view = reader.next() { processor.process(view, into: &out) }
            out.removeAll(keepingCapacity: true)
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            if let view = reader.next() { processor.process(view, into: &out) }
            out.removeAll(keepingCapacity: true)
        }
        benchmark.stopMeasurement()
        precondition(reader.recordsDecoded == 2000)
    }
}

/// The per-record step of `replay` and the daemon, as ECSDiagKit.RecordProcessor.process does it (ECSDiagKit is not
/// a product of the package, so it is mirrored here; keep the two in step): the first record of a task's stream
/// tells the engine its log group and stream, every record is noted, matched, and the engine drained.
struct Processor {
    var engine: DiagnosisEngine
    let matcher = SignalMatcher()
    var lastStreamTask: TaskID?

    mutating func process(_ view: RecordView, into out: inout [AlertTransition]) {
        guard let time = view.time else { return }
        if view.isApplicationLog, let task = view.task, task != lastStreamTask, !engine.knowsStream(of: task),
           !(view.logGroup.isEmpty && view.logStream.isEmpty) {
            lastStreamTask = task
            engine.noteStream(
                task: task, logGroup: view.logGroup.isEmpty ? nil : String(decoding: view.logGroup, as: UTF8.self),
                logStream: view.logStream.isEmpty ? nil : String(decoding: view.logStream, as: UTF8.self), time: time)
        }
        engine.noteRecord(time: time, isApplicationLog: view.isApplicationLog, task: view.task)
        if let signal = matcher.match(view, sourceText: { "" }) { engine.ingest(signal) }
        engine.drain(into: &out)
    }
}
