import DiagnosisRules

/// The position of one input in the k-way merge: the event time of its current record.
///
/// Ordered by (time, input index), so records with equal times come out in command-line order, whatever
/// order the inputs were read in: the merge is deterministic.
struct MergeCursor: Comparable {
    var time: Int64
    var input: Int32

    static func < (a: MergeCursor, b: MergeCursor) -> Bool { (a.time, a.input) < (b.time, b.input) }
}
