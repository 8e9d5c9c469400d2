/// Limits and buffer sizes of a ``RecordReader``.
public struct DecoderOptions: Sendable, Equatable {
    /// Size of the read buffer and of each read from the source (default 1 MiB).
    public var readBufferSize: Int
    /// The largest record kept (a line, a JSON object, one element of a document; default 1 MiB).
    ///
    /// A longer text line is skipped up to its newline, a longer JSON value up to its end, and counted as
    /// ``MalformedReport/Reason/recordTooLong``. Documents larger than this are fine: they are streamed
    /// element by element.
    public var maxRecordBytes: Int
    /// How many examples the ``MalformedReport`` keeps per reason (default 3).
    public var maxExamplesPerReason: Int
    /// The largest decompressed size of one embedded payload (a Kinesis record, a Lambda envelope; default 64 MiB).
    public var maxEmbeddedPayloadBytes: Int
    /// How many consecutive line-oriented service events are buffered to put them in time order (default 10 000).
    ///
    /// Consoles and `--output text` list service events newest first; a run of them is re-ordered oldest first.
    public var maxServiceEventRun: Int

    /// Creates options; every parameter has the documented default.
    public init(
        readBufferSize: Int = 1 << 20, maxRecordBytes: Int = 1 << 20, maxExamplesPerReason: Int = 3,
        maxEmbeddedPayloadBytes: Int = 64 << 20, maxServiceEventRun: Int = 10_000
    ) {
        self.readBufferSize = max(readBufferSize, 64)
        self.maxRecordBytes = max(maxRecordBytes, 64)
        self.maxExamplesPerReason = max(maxExamplesPerReason, 0)
        self.maxEmbeddedPayloadBytes = max(maxEmbeddedPayloadBytes, 1024)
        self.maxServiceEventRun = max(maxServiceEventRun, 1)
    }
}
