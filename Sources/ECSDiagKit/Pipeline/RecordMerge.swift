import DiagnosisRules
import HeapModule
import LogDecoding

/// A k-way merge of record readers by event time, feeding a `RecordProcessor`.
///
/// Each reader is one input whose records are (mostly) in time order; the merge always processes the earliest
/// head, ties broken by input order. Records without a plausible timestamp take their input's previous time
/// (or the merge's current time); records before any time is known are skipped.
struct RecordMerge {
    /// One input of the merge.
    struct Input {
        var reader: RecordReader
        /// `PATH` printed in `PATH:LINE`.
        var path: String
        /// Added to the reader's line numbers (a daemon batch starts in the middle of a file).
        var lineOffset: Int64 = 0
    }

    /// Processes every record of `inputs` in merged order; `emit` receives due transitions as they come.
    /// - Returns: the number of records processed.
    @discardableResult
    static func run(
        _ inputs: [Input], processor: inout RecordProcessor, onSignal: ((Signal) -> Void)?,
        progress: ((Int, Int) -> Void)? = nil, emit: (inout [AlertTransition]) -> Void
    ) -> Int {
        var heads: [RecordView?] = Array(repeating: nil, count: inputs.count)
        var lastTime: [Int64] = Array(repeating: Int64.min, count: inputs.count)
        var heap = Heap<MergeCursor>()
        var mergeTime = Int64.min
        var processed = 0
        var transitions: [AlertTransition] = []

        func effectiveTime(_ view: RecordView, _ i: Int) -> Int64 {
            if let t = view.time, t.isPlausible { return t.milliseconds }
            return lastTime[i] != Int64.min ? lastTime[i] : mergeTime
        }
        for i in inputs.indices {
            if let view = inputs[i].reader.next() {
                heads[i] = view
                heap.insert(MergeCursor(time: effectiveTime(view, i), input: Int32(i)))
            }
        }
        while let cursor = heap.popMin() {
            let i = Int(cursor.input)
            guard var view = heads[i] else { continue }
            heads[i] = nil
            let reader = inputs[i].reader
            let path = inputs[i].path
            let lineOffset = inputs[i].lineOffset
            var time = cursor.time
            // Run of this input: keep taking its records while they would come out of the heap first anyway
            // (earlier than every other head, ties by input order), so the common case costs no heap operation.
            while true {
                view.time = time == Int64.min ? nil : EventTime(milliseconds: time)
                if view.time != nil {
                    mergeTime = max(mergeTime, time)
                    lastTime[i] = time
                    let line = view.source.line + lineOffset
                    view.source.line = line
                    processor.process(view, sourceText: { "\(path):\(line)" }, onSignal: onSignal, into: &transitions)
                    if !transitions.isEmpty { emit(&transitions) }
                }
                processed += 1
                if processed & 0xFFFF == 0, let progress {
                    progress(inputs.reduce(0) { $0 + $1.reader.bytesRead }, processed)
                }
                guard let next = reader.next() else { break }
                let nextCursor = MergeCursor(time: effectiveTime(next, i), input: cursor.input)
                if let other = heap.min, other < nextCursor {
                    heads[i] = next
                    heap.insert(nextCursor)
                    break
                }
                view = next
                time = nextCursor.time
            }
        }
        return processed
    }
}
