import Synchronization
import SystemdJournal
import Testing

struct BufferedJournalSinkTests {
    /// Collects the lines the sink writes to its fallback output (standard error in production).
    final class FallbackRecorder: Sendable {
        private let storage = Mutex<[String]>([])
        var lines: [String] { storage.withLock { $0 } }
        func record(_ line: String) { storage.withLock { $0.append(line) } }
    }

    private static let unavailable = JournalError.sendFailed(errno: 2)  // ENOENT: no journal socket

    private func entry(_ message: String) -> [JournalField] {
        [JournalField(name: "MESSAGE", value: message), JournalField(name: "MESSAGE_ID", value: "37afbe3def814795b97ecc35ca3ed520")]
    }

    private func messages(_ writer: InMemoryJournalWriter) -> [String] {
        writer.entries.map { fields in fields.first { $0.name == "MESSAGE" }?.value ?? "" }
    }

    private func makeSink(
        _ writer: InMemoryJournalWriter, capacity: Int = 100
    ) -> (BufferedJournalSink, FallbackRecorder) {
        let recorder = FallbackRecorder()
        let sink = BufferedJournalSink(writer: writer, capacity: capacity, fallback: { recorder.record($0) })
        return (sink, recorder)
    }

    @Test func sendsImmediatelyWhenTheJournalWorks() {
        let writer = InMemoryJournalWriter()
        let (sink, recorder) = makeSink(writer)
        #expect(sink.submit(entry("one")) == .sent)
        #expect(messages(writer) == ["one"])
        #expect(sink.statistics.sent == 1)
        #expect(sink.pendingCount == 0)
        #expect(recorder.lines.isEmpty)
    }

    @Test func queuesWhileTheJournalIsDownAndEchoesEachMessageOnce() {
        let writer = InMemoryJournalWriter(failure: Self.unavailable)
        let (sink, recorder) = makeSink(writer)
        #expect(sink.submit(entry("first")) == .queued)
        #expect(sink.submit(entry("second")) == .queued)
        #expect(sink.flush() == 0)
        #expect(sink.flush() == 0)
        #expect(sink.pendingCount == 2)
        #expect(recorder.lines.count == 2)
        #expect(recorder.lines[0].hasSuffix(": first"))
        #expect(recorder.lines[0].contains("journal unavailable"))
        #expect(recorder.lines[1].hasSuffix(": second"))

        writer.failure = nil
        #expect(sink.flush() == 2)
        #expect(messages(writer) == ["first", "second"])
        #expect(sink.pendingCount == 0)
        #expect(recorder.lines.count == 2, "recovery must not echo again")
        let statistics = sink.statistics
        #expect(statistics.sent == 2 && statistics.deferred == 2 && statistics.dropped == 0)
        #expect(statistics.rejected == 0 && statistics.pending == 0 && statistics.lastError == Self.unavailable)
    }

    @Test func keepsSubmissionOrderAcrossAnOutage() {
        let writer = InMemoryJournalWriter()
        let (sink, _) = makeSink(writer)
        sink.submit(entry("A"))
        writer.failure = Self.unavailable
        sink.submit(entry("B"))
        sink.submit(entry("C"))
        writer.failure = nil
        // The next submission first drains the queue, so D lands after B and C.
        #expect(sink.submit(entry("D")) == .sent)
        #expect(messages(writer) == ["A", "B", "C", "D"])
    }

    @Test func dropsTheOldestEntriesWhenFull() {
        let writer = InMemoryJournalWriter(failure: Self.unavailable)
        let (sink, recorder) = makeSink(writer, capacity: 3)
        for index in 1...5 { sink.submit(entry("m\(index)")) }
        #expect(sink.pendingCount == 3)
        #expect(sink.statistics.dropped == 2)
        #expect(recorder.lines.count == 5, "every message reached stderr even though two were dropped")
        writer.failure = nil
        sink.flush()
        #expect(messages(writer) == ["m3", "m4", "m5"])
    }

    /// A writer that accepts a scripted number of entries, then fails until given a new allowance.
    final class AllowanceWriter: JournalWriter {
        private let state = Mutex<(allowance: Int, delivered: [String])>((0, []))
        var delivered: [String] { state.withLock { $0.delivered } }
        func allow(_ count: Int) { state.withLock { $0.allowance = count } }
        func send(_ fields: [JournalField]) throws(JournalError) {
            let accepted = state.withLock { state -> Bool in
                guard state.allowance > 0 else { return false }
                state.allowance -= 1
                state.delivered.append(fields.first { $0.name == "MESSAGE" }?.value ?? "")
                return true
            }
            if !accepted { throw JournalError.sendFailed(errno: 111) }
        }
    }

    @Test func matchesAReferenceQueueUnderRandomOutages() {
        // Partial drains make the ring buffer wrap; a plain array model gives the expected order.
        let capacity = 5
        let writer = AllowanceWriter()
        let sink = BufferedJournalSink(writer: writer, capacity: capacity, fallback: { _ in })
        var generator = SplitMix64(seed: 42)
        var modelQueue: [String] = []
        var modelDelivered: [String] = []
        var modelAllowance = 0
        var modelDropped = 0
        func modelDrain() {
            while !modelQueue.isEmpty && modelAllowance > 0 {
                modelDelivered.append(modelQueue.removeFirst())
                modelAllowance -= 1
            }
        }
        for step in 0..<3_000 {
            switch generator.next() % 3 {
            case 0:
                let allowance = Int(generator.next() % 4)
                writer.allow(allowance)
                modelAllowance = allowance
            case 1:
                sink.flush()
                modelDrain()
            default:
                let message = "m\(step)"
                sink.submit([JournalField(name: "MESSAGE", value: message)])
                modelDrain()
                if modelQueue.isEmpty && modelAllowance > 0 {
                    modelDelivered.append(message)
                    modelAllowance -= 1
                } else {
                    if modelQueue.count == capacity {
                        modelQueue.removeFirst()
                        modelDropped += 1
                    }
                    modelQueue.append(message)
                }
            }
            #expect(sink.pendingCount == modelQueue.count)
        }
        #expect(writer.delivered == modelDelivered)
        #expect(sink.statistics.dropped == modelDropped)
        writer.allow(Int.max)
        sink.flush()
        #expect(writer.delivered == modelDelivered + modelQueue)
    }

    @Test func makesOneAttemptPerCallWhileDown() {
        let writer = InMemoryJournalWriter(failure: Self.unavailable)
        let (sink, _) = makeSink(writer, capacity: 1_000)
        for index in 0..<100 { sink.submit(entry("m\(index)")) }
        #expect(writer.attempts == 100, "a long queue must not be retried in full on every submission")
    }

    @Test func rejectsInvalidEntriesWithoutQueueingThem() {
        let writer = InMemoryJournalWriter()
        let (sink, recorder) = makeSink(writer)
        let bad = [JournalField(name: "MESSAGE", value: "hello"), JournalField(name: "_PID", value: "1")]
        #expect(sink.submit(bad) == .rejected(.invalidFieldName("_PID")))
        #expect(sink.pendingCount == 0)
        #expect(sink.statistics.rejected == 1)
        #expect(recorder.lines.count == 1)
        #expect(recorder.lines[0].hasSuffix(": hello"))
    }

    @Test func sanitizesValuesBeforeWriting() {
        let writer = InMemoryJournalWriter()
        let (sink, _) = makeSink(writer)
        sink.submit(entry("evil \u{1B}[2J line\nsecond line"))
        #expect(messages(writer) == ["evil \\x1B[2J line\nsecond line"])
    }

    @Test func fallbackLineIsOneSanitizedLine() {
        let writer = InMemoryJournalWriter(failure: Self.unavailable)
        let (sink, recorder) = makeSink(writer)
        sink.submit(entry("line one\nline two"))
        #expect(recorder.lines.count == 1)
        #expect(!recorder.lines[0].contains("\n"))
        #expect(recorder.lines[0].hasSuffix("line one\\x0Aline two"))
    }

    @Test func concurrentSubmissionsAreAllDelivered() async {
        let writer = InMemoryJournalWriter()
        let (sink, _) = makeSink(writer)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<250 { sink.submit(self.entry("t\(task)-\(index)")) }
                }
            }
        }
        #expect(writer.entries.count == 2_000)
        #expect(Set(messages(writer)).count == 2_000)
    }
}
