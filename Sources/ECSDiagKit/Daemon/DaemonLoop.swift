import DiagnosisRules
import LogDecoding
import LogFollowing
import SystemdJournal

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's processing loop: follow sources, decode, diagnose, journal, checkpoint — on one thread.
///
/// Ordering makes restarts exact: a batch's transitions are put in the outbox and appended to the outbox ledger
/// (`fdatasync`ed) *before* anything is sent to the journal; the checkpoint (file offsets + engine state + outbox,
/// written atomically at least every `checkpoint_interval_ms`) empties the ledger. Each journal entry carries a
/// stable `ECSDIAG_ALERT_ID`. After a crash the checkpoint is restored, the ledger's transitions go back to the
/// outbox, which is reconciled against the journal, and the input read since the checkpoint is read again: its
/// re-decided transitions that the ledger already holds are dropped. So no record is skipped (offsets only
/// advance with the engine state that consumed them) and no alert is written twice.
public final class DaemonLoop {
    /// What the loop talks to: swapped for in-memory versions in tests.
    public struct Dependencies {
        /// Where alert entries go.
        public var journal: any JournalWriter
        /// Looks up whether an entry with this `ECSDIAG_ALERT_ID` is already in the journal (nil: cannot tell).
        public var journalContains: (String) -> Bool?
        /// sd_notify; nil when not running under systemd.
        public var notifier: SystemdNotifier?
        /// Diagnostics (standard error).
        public var log: (String) -> Void

        /// Creates dependencies.
        public init(
            journal: any JournalWriter, journalContains: @escaping (String) -> Bool?, notifier: SystemdNotifier?,
            log: @escaping (String) -> Void
        ) {
            self.journal = journal
            self.journalContains = journalContains
            self.notifier = notifier
            self.log = log
        }

        /// The real journal, reader and notifier.
        public static func system() -> Dependencies {
            let notifier = SystemdNotifier()
            return Dependencies(
                journal: SystemdJournalWriter(syslogIdentifier: AlertJournalEntry.syslogIdentifier),
                journalContains: { id in
                    guard let reader = try? JournalReader() else { return nil }
                    do {
                        try reader.addMatch(JournalField(name: "ECSDIAG_ALERT_ID", value: id))
                        try reader.seekToHead()
                        return try reader.next() != nil
                    } catch { return nil }
                },
                notifier: notifier.isEnabled ? notifier : nil,
                log: { FileOutput.standardError.write("ecsdiagd: \(TerminalText.sanitize($0))\n") }
            )
        }
    }

    /// Maximum transitions waiting for the journal; the oldest are dropped (and counted) beyond it.
    public static let outboxCapacity = 10_000

    private let configPath: String
    private var configuration: Configuration
    private var deps: Dependencies
    private var processor: RecordProcessor
    private var watcher: SourceWatcher
    private let store: CheckpointStore
    private let ledger: OutboxLedger
    /// The generation of the last checkpoint (see ``OutboxLedger``).
    private var generation: UInt64 = 0
    /// Ids of the ledger's transitions restored after a crash: re-decided while the input since the checkpoint
    /// is read again, they are already in the outbox (or the journal) and are dropped once each.
    private var redecided: Set<String> = []
    /// Whether the last poll left data unread (the restart's re-reading is not over).
    private var catchingUp = true
    private var outbox: [OutboxEntry] = []
    private var reportedToStderr: Set<String> = []
    private var gzipRead: [String] = []
    private var inputs: [String] = []
    private var inputIndex: [String: Int32] = [:]
    private var stdinFramer: LineFramer?
    private var journaled = 0
    private var dropped = 0
    private var lastStatus: timespec = timespec()

    /// Sets up from `configuration`: restores the checkpoint when it is valid (a corrupt or foreign one is
    /// reported and ignored) and opens the sources.
    public init(configPath: String, configuration: Configuration, context: ServiceContext, dependencies: Dependencies) {
        self.configPath = configPath
        self.configuration = configuration
        self.deps = dependencies
        store = CheckpointStore(path: configuration.stateDirectory + "/checkpoint.json")
        ledger = OutboxLedger(path: configuration.stateDirectory + "/outbox-ledger.jsonl")
        var restored: DaemonState?
        do {
            if let state = try store.load(DaemonState.self) {
                if state.version != DaemonState.version {
                    dependencies.log("checkpoint \(store.path) has version \(state.version); ignored, starting from the configured position")
                } else if state.configPath != configPath {
                    dependencies.log("checkpoint \(store.path) belongs to \(state.configPath), not \(configPath); ignored")
                } else {
                    restored = state
                }
            }
        } catch {
            dependencies.log("checkpoint \(store.path) unusable (\(error)); ignored, starting from the configured position")
        }
        var engine = restored?.engine ?? DiagnosisEngine(settings: configuration.settings, context: context)
        if restored != nil { engine.update(settings: configuration.settings, context: context) }
        processor = RecordProcessor(engine: engine)
        watcher = DaemonLoop.makeWatcher(configuration, checkpoints: restored?.files)
        if let restored {
            outbox = restored.outbox
            gzipRead = restored.gzipRead
            inputs = restored.inputs
            generation = restored.generation ?? 0
            for (i, path) in inputs.enumerated() { inputIndex[path] = Int32(i) }
        }
        // Transitions decided after the checkpoint: expected again; those not known to be sent back to the outbox.
        let since = ledger.contents(generation: generation)
        outbox.removeAll { since.sent.contains($0.alertID) }
        for entry in since.entries {
            redecided.insert(entry.alertID)
            if !since.sent.contains(entry.alertID), !outbox.contains(where: { $0.alertID == entry.alertID }) {
                outbox.append(entry)
            }
        }
        if configuration.sources.contains("-") {
            _ = fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK)
            stdinFramer = LineFramer()
        }
        reconcileOutbox()
    }

    private static func makeWatcher(_ c: Configuration, checkpoints: [FileCheckpoint]?) -> SourceWatcher {
        var options = SourceWatcher.Options()
        options.rescanInterval = .milliseconds(c.pollIntervalMilliseconds)
        return SourceWatcher(
            sources: c.sources.filter { $0 != "-" },
            startPosition: StartPosition(rawValue: c.startPosition.rawValue) ?? .end,
            checkpoints: checkpoints, options: options
        )
    }

    /// The engine, for tests and status.
    public var engine: DiagnosisEngine { processor.engine }

    /// Runs until `control` asks to stop; then checkpoints and returns (the caller exits 0).
    public func run(control: DaemonControl) {
        flushOutbox()
        var moreData = step()  // open the sources (first scan) before READY=1
        _ = try? deps.notifier?.ready(status: statusLine())
        var first = true
        while !control.stopRequested {
            if control.takeReload() { reload() }
            if !first { moreData = step() }
            first = false
            finishTurn()
            pingWatchdog()
            updateStatus()
            if !moreData, !control.stopRequested {
                let changed = watcher.waitForChange(
                    timeout: .milliseconds(stdinFramer == nil ? configuration.pollIntervalMilliseconds : 100))
                // Let a burst of appends land, so it is read as one batch instead of one wake-up per line.
                if changed, configuration.coalesceMilliseconds > 0, !control.stopRequested {
                    var pause = timespec(
                        tv_sec: configuration.coalesceMilliseconds / 1000,
                        tv_nsec: (configuration.coalesceMilliseconds % 1000) * 1_000_000)
                    var left = timespec()
                    while nanosleep(&pause, &left) != 0, errno == EINTR { pause = left }
                }
            }
        }
        _ = try? deps.notifier?.stopping()
        saveCheckpoint()
        flushOutbox()
    }

    /// One turn of the loop without waiting: ``step()``, then retry the outbox and checkpoint when due.
    /// - Returns: whether more data is waiting.
    @discardableResult
    public func turn() -> Bool {
        let more = step()
        finishTurn()
        return more
    }

    private func finishTurn() {
        if !outbox.isEmpty { flushOutbox() }  // retries; what is sent is marked in the ledger
        saveCheckpointIfDue()
    }

    /// One poll: read what was appended, process it in event-time order, journal (the transitions are in the
    /// outbox ledger first).
    /// - Returns: whether more data is waiting.
    @discardableResult
    public func step() -> Bool {
        var batches: [String: LiveBatch] = [:]
        var order: [String] = []
        var finished: [LiveBatch] = []
        let report = watcher.poll { path, line, info in
            let number = Int64(info.lineNumber)
            if let open = batches[path], open.nextLineNumber != number {
                finished.append(open)  // rotation / truncation inside one poll: a new file, a new input
                batches[path] = nil
            }
            if batches[path] == nil {
                batches[path] = LiveBatch(path: path, input: index(of: path))
                if !order.contains(path) { order.append(path) }
            }
            batches[path]!.append(line, lineNumber: number)
        }
        for event in report.events {
            switch event.event {
            case .openFailed, .readFailed, .checkpointRejected, .truncated, .contentReplaced:
                deps.log("\(event)")
            default:
                break
            }
        }
        var moreStdin = false
        if let framer = stdinFramer {
            let result = framer.read(from: 0, maximumBytes: 8 << 20) { line, info in
                if batches["-"] == nil {
                    batches["-"] = LiveBatch(path: "-", input: index(of: "-"))
                    order.append("-")
                }
                batches["-"]!.append(line, lineNumber: Int64(info.lineNumber))
            }
            if result.reachedEnd, result.error == nil, result.bytesRead == 0 {
                // Standard input reached end-of-file: nothing more will come.
                stdinFramer = nil
            }
            moreStdin = result.bytesRead >= 8 << 20
        }
        var merged = finished.map { $0.mergeInput() } + order.compactMap { batches[$0]?.mergeInput() }
        for path in report.gzipFiles {
            guard let key = gzipKey(path), !gzipRead.contains(key), let file = try? FileReader(path: path) else { continue }
            gzipRead.append(key)
            if gzipRead.count > 100_000 { gzipRead.removeFirst(gzipRead.count - 100_000) }
            merged.append(RecordMerge.Input(
                reader: RecordReader(source: FileByteSource(file: file), input: index(of: path), pathHint: path), path: path))
        }
        var decided: [AlertTransition] = []
        if !merged.isEmpty {
            RecordMerge.run(merged, processor: &processor, onSignal: nil, emit: { t in
                decided.append(contentsOf: t)
                t.removeAll(keepingCapacity: true)
            })
            for input in merged where !input.reader.report.isEmpty {
                deps.log("\(input.path): \(input.reader.report)")
            }
        }
        if !merged.isEmpty || report.didWork {
            let entries = decided.compactMap { enqueue($0) }
            // A decided transition must be on disk before it is sent: in the ledger (a few hundred bytes), not a
            // whole checkpoint (the engine state: encoding it for every alert cost most of the daemon's CPU).
            if !entries.isEmpty {
                do { try ledger.append(entries, generation: generation) } catch {
                    deps.log("cannot write the outbox ledger (\(error)); writing a checkpoint instead")
                    saveCheckpoint()
                }
            }
            checkpointDirty = true
            flushOutbox()
        }
        catchingUp = report.hasMoreData || moreStdin
        return catchingUp
    }

    private func index(of path: String) -> Int32 {
        if let i = inputIndex[path] { return i }
        if inputs.count >= 50_000 {
            // Indices only order ties between inputs; a host that saw 50 000 files starts the table afresh
            // instead of growing the checkpoint forever.
            inputs.removeAll(keepingCapacity: true)
            inputIndex.removeAll(keepingCapacity: true)
        }
        let i = Int32(inputs.count)
        inputs.append(path)
        inputIndex[path] = i
        return i
    }

    private func gzipKey(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return "\(path)@\(st.st_dev):\(st.st_ino):\(st.st_size)"
    }

    /// Puts a decided transition in the outbox; returns the entry, or nil when the ledger already had it.
    @discardableResult
    private func enqueue(_ t: AlertTransition) -> OutboxEntry? {
        let entry = OutboxEntry(alertID: AlertIdentity.id(of: t), transition: t)
        if !redecided.isEmpty, redecided.remove(entry.alertID) != nil { return nil }
        outbox.append(entry)
        if outbox.count > DaemonLoop.outboxCapacity {
            let excess = outbox.count - DaemonLoop.outboxCapacity
            dropped += excess
            deps.log("journal unavailable: \(excess) alert transition(s) dropped from the full queue")
            outbox.removeFirst(excess)
        }
        return entry
    }

    /// Drops outbox entries the journal already has (written just before a crash).
    private func reconcileOutbox() {
        guard !outbox.isEmpty else { return }
        outbox.removeAll { entry in deps.journalContains(entry.alertID) == true }
    }

    /// Sends the outbox in order; on failure keeps the rest for the next round and copies each entry's
    /// message to standard error once.
    private func flushOutbox() {
        var sent = 0
        for entry in outbox {
            do {
                try deps.journal.send(AlertJournalEntry.fields(of: entry.transition))
                sent += 1
            } catch {
                if reportedToStderr.insert(entry.alertID).inserted {
                    deps.log("journal unavailable (\(error)); alert kept for retry: \(AlertJournalEntry.message(of: entry.transition))")
                }
                break
            }
        }
        if sent > 0 {
            do { try ledger.markSent(outbox.prefix(sent).map(\.alertID), generation: generation) } catch {
                deps.log("cannot write the outbox ledger: \(error)")
            }
            checkpointDirty = true  // the checkpoint's outbox is stale until the next one
            for entry in outbox.prefix(sent) { reportedToStderr.remove(entry.alertID) }
            outbox.removeFirst(sent)
            journaled += sent
        }
    }

    private var lastCheckpoint = timespec()
    private var checkpointDirty = false

    /// Writes the checkpoint when processed records wait for it and the interval has passed (called every loop
    /// turn, which comes at least every poll interval).
    private func saveCheckpointIfDue() {
        guard checkpointDirty else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let elapsed = (Int64(now.tv_sec) - Int64(lastCheckpoint.tv_sec)) * 1000
            + (Int64(now.tv_nsec) - Int64(lastCheckpoint.tv_nsec)) / 1_000_000
        if elapsed >= Int64(configuration.checkpointIntervalMilliseconds) { saveCheckpoint() }
    }

    private func saveCheckpoint() {
        clock_gettime(CLOCK_MONOTONIC, &lastCheckpoint)
        checkpointDirty = false
        let state = DaemonState(
            configPath: configPath, files: watcher.checkpoints(), engine: processor.engine, gzipRead: gzipRead,
            outbox: outbox, inputs: inputs, generation: generation &+ 1
        )
        do {
            try store.save(state)
        } catch {
            deps.log("cannot write checkpoint \(store.path): \(error)")
            return
        }
        // The checkpoint covers the ledger's transitions (sent, or in its outbox): start a new generation.
        generation &+= 1
        do { try ledger.reset() } catch { deps.log("cannot empty the outbox ledger: \(error)") }
        // Once the input read again after a restart has been consumed, whatever was re-decided has been.
        if !catchingUp { redecided.removeAll() }
    }

    /// SIGHUP: validates the configuration again; on success swaps it keeping correlation state, otherwise
    /// keeps the running one and says why.
    private func reload() {
        _ = try? deps.notifier?.reloading()
        defer { _ = try? deps.notifier?.ready(status: statusLine()) }
        let next: Configuration
        do {
            next = try ConfigurationLoader.load(path: configPath)
        } catch {
            deps.log("reload rejected, keeping the running configuration: \(error)")
            return
        }
        let context = ContextDocumentReader.load(paths: next.contextPaths)
        for problem in context.problems { deps.log("context \(problem.path): \(problem.message)") }
        processor.update(settings: next.settings, context: context.context)
        if next.sources != configuration.sources || next.startPosition != configuration.startPosition
            || next.pollIntervalMilliseconds != configuration.pollIntervalMilliseconds {
            let files = watcher.checkpoints()
            watcher = DaemonLoop.makeWatcher(next, checkpoints: files)
        }
        configuration = next
        deps.log("configuration reloaded from \(configPath)")
    }

    private func statusLine() -> String {
        let firing = processor.engine.firingAlerts.count
        var lag = ""
        if let latest = processor.engine.latestEventTime {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            let seconds = (Int64(now.tv_sec) * 1000 - latest.milliseconds) / 1000
            lag = seconds >= 0 ? ", event-time lag \(seconds) s" : ""
        }
        return "following \(watcher.followedPaths.count) file(s)\(lag), \(firing) alert(s) firing, \(journaled) journaled"
            + (outbox.isEmpty ? "" : ", \(outbox.count) waiting for the journal")
    }

    private var lastWatchdog = timespec()

    /// WATCHDOG=1 from the processing loop itself, every quarter of `WatchdogSec` and at most once a second
    /// (the loop turns far more often under load, and a flood of datagrams could fill the notification socket).
    private func pingWatchdog() {
        // Only when the unit sets WatchdogSec=: nobody reads pings otherwise, and sd_notify blocks once the
        // notification socket's queue is full.
        guard let notifier = deps.notifier, notifier.watchdogInterval != nil else { return }
        let quarter = notifier.watchdogInterval.map { Int64($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) / 4 }
        let every = min(1000, max(50, quarter ?? 1000))
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let elapsed = (Int64(now.tv_sec) - Int64(lastWatchdog.tv_sec)) * 1000
            + (Int64(now.tv_nsec) - Int64(lastWatchdog.tv_nsec)) / 1_000_000
        guard elapsed >= every else { return }
        lastWatchdog = now
        _ = try? notifier.watchdog()
    }

    private func updateStatus() {
        guard let notifier = deps.notifier else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        guard now.tv_sec - lastStatus.tv_sec >= 5 else { return }
        lastStatus = now
        _ = try? notifier.status(statusLine())
    }
}
