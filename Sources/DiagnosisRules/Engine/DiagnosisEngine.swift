/// The streaming diagnosis engine: signals and record/request notes in, alert transitions out, on event time.
///
/// - **Event time and the watermark.** Every note and signal advances the largest event time seen; the watermark is
///   that minus `allowedLatenessSeconds`. Signals wait in a reorder buffer and reach the rules only when the
///   watermark passes them, in the total order (time, input, line, kind, …), so any interleaving within the lateness
///   gives the same alerts. A signal older than the released watermark is late: counted (`lateSignals`) and dropped.
/// - **Timers** (absence deadlines, window expiry, clear conditions, minute closes) fire at their own due times,
///   interleaved with the signals, never at "now": `drain` and `finish` at any cadence give the same transitions.
/// - **Rules** are value-type state machines returning `RuleAction`s; `AlertLifecycle` turns them into firing and
///   resolved transitions (one firing per key, hysteresis, minimum firing time).
/// - **Bounded state**: tasks and services idle for `idleEvictionSeconds` are evicted, task tables are capped at
///   `maxTrackedTasks`, services at `maxTrackedServices`, timelines at 24 h.
///
/// The whole engine is a `Codable` value, so the daemon can checkpoint it and SIGHUP can swap settings and context
/// (`update(settings:context:)`) without losing correlation state.
public struct DiagnosisEngine: Sendable, Codable {
    /// Most services tracked per rule.
    public static let maxTrackedServices = 10_000
    /// Most signals waiting in the reorder buffer; beyond it the oldest are released early (`forcedReleases`).
    public static let maxBufferedSignals = 100_000

    public private(set) var settings: RuleSettings
    public private(set) var context: ServiceContext

    /// Largest and smallest event time seen (ms).
    var maxSeen: Int64?
    var minSeen: Int64?
    /// Target groups named by cluster-less service events, waiting for the service's resolved key.
    var pendingBindings: [String: [String]] = [:]
    /// Every signal strictly before this time has been released and every timer before it evaluated.
    var frontier: Int64 = .min
    var nextSweep: Int64 = .min

    var buffer = ReorderBuffer()
    var identity = IdentityDirectory()
    var logs = TaskLogTable()
    var requests = RequestTracker()
    var timeline = TimelineStore()
    var lifecycle: AlertLifecycle
    var bindings: [UInt64: ServiceKey] = [:]

    var accessDenied = AccessDeniedRule()
    var restartLoop = RestartLoopRule()
    var saturation = SaturationRule()
    var missingLogs = MissingLogsRule()

    /// Signals that arrived after the watermark had passed their time (dropped).
    public private(set) var lateSignals = 0
    /// ALB requests that arrived after the watermark (dropped).
    public private(set) var lateRequests = 0
    /// Log records that arrived after the watermark (still counted for presence).
    public private(set) var lateRecords = 0
    /// Signals released before the watermark because the reorder buffer was full.
    public private(set) var forcedReleases = 0
    /// Signals released to the rules so far.
    public private(set) var releasedSignals = 0

    /// Creates an engine.
    public init(settings: RuleSettings = RuleSettings(), context: ServiceContext = ServiceContext()) {
        self.settings = settings
        self.context = context
        self.lifecycle = AlertLifecycle(minimumFiringSeconds: settings.engine.minimumFiringSeconds)
        bindContextTargetGroups()
    }

    /// Swaps settings and context (SIGHUP), keeping every window, timer and firing alert.
    public mutating func update(settings: RuleSettings, context: ServiceContext) {
        self.settings = settings
        self.context = context
        lifecycle.minimumFiringMilliseconds = Int64((settings.engine.minimumFiringSeconds * 1000).rounded())
        bindContextTargetGroups()
    }

    private mutating func bindContextTargetGroups() {
        for s in context.services {
            // The context knows each service's cluster from the start: records that do not name it
            // (service events, ALB logs) then join the same alert key as those that do.
            if let cluster = s.cluster, !cluster.isEmpty { identity.learnCluster(cluster, of: s.name) }
            for arn in s.targetGroupArns { bind(arn, ServiceKey(cluster: s.cluster, service: s.name), at: nil) }
        }
    }

    // MARK: Watermark

    private var latenessMs: Int64 { settings.engine.allowedLatenessSeconds.engineMilliseconds }

    @inline(__always) private mutating func observe(_ t: Int64) {
        if let m = maxSeen { if t > m { maxSeen = t } } else { maxSeen = t }
        if let m = minSeen { if t < m { minSeen = t } } else { minSeen = t }
    }

    /// The released watermark: every signal before it has reached the rules (nil before the first drain).
    public var watermark: EventTime? { frontier == .min ? nil : EventTime(milliseconds: frontier) }
    /// Largest event time seen.
    public var latestEventTime: EventTime? { maxSeen.map(EventTime.init(milliseconds:)) }

    // MARK: Records and requests (hot path)

    /// Notes any record: advances the watermark; application log records also count toward their task's log
    /// presence and the service timeline. `logGroup` need only be passed for the first record of a stream.
    public mutating func noteRecord(time: EventTime, isApplicationLog: Bool, task: TaskID?, logGroup: String? = nil) {
        if isApplicationLog {
            if let task, let logGroup { noteStream(task: task, logGroup: logGroup, logStream: nil, time: time) }
            noteLogRecord(time: time, task: task)
        } else {
            observe(time.milliseconds)
        }
    }

    /// Notes an application log record (the common case: no allocation for a known task).
    public mutating func noteLogRecord(time: EventTime, task: TaskID?) {
        let t = time.milliseconds
        observe(t)
        if t < frontier { lateRecords &+= 1 }
        if logs.note(time: t, task: task), logs.count > settings.engine.maxTrackedTasks {
            logs.evict(before: .min, cap: settings.engine.maxTrackedTasks)
        }
    }

    /// Notes an application log record as `noteLogRecord(time:task:)` does, first learning the task's log group and
    /// awslogs stream from the record's UTF-8 bytes (`noteStream(task:logGroupBytes:logStreamBytes:time:)`) when
    /// any are given and the task's are not known yet. Returns whether it learned them.
    ///
    /// The pipeline's per-record call: one mutating call, so the engine is never copied to ask `knowsStream(of:)`.
    @discardableResult
    public mutating func noteLogRecord(
        time: EventTime, task: TaskID?, logGroupBytes: UnsafeRawBufferPointer, logStreamBytes: UnsafeRawBufferPointer
    ) -> Bool {
        var learned = false
        if let task, !(logGroupBytes.isEmpty && logStreamBytes.isEmpty), !identity.knowsStream(of: task) {
            noteStream(task: task, logGroupBytes: logGroupBytes, logStreamBytes: logStreamBytes, time: time)
            learned = true
        }
        noteLogRecord(time: time, task: task)
        return learned
    }

    /// Notes a task's log group and awslogs stream (once per stream): identity fallback for its signals.
    public mutating func noteStream(task: TaskID, logGroup: String?, logStream: String?, time: EventTime) {
        identity.learnStream(task: task, logGroup: logGroup, logStream: logStream, at: time.milliseconds)
        capIdentity()
    }

    /// `noteStream(task:logGroup:logStream:time:)` from the record's UTF-8 bytes (empty: absent), for the
    /// pipeline: builds neither the stream's name nor, when seen lately, the group's.
    public mutating func noteStream(
        task: TaskID, logGroupBytes: UnsafeRawBufferPointer, logStreamBytes: UnsafeRawBufferPointer, time: EventTime
    ) {
        identity.learnStream(task: task, logGroupBytes: logGroupBytes, logStreamBytes: logStreamBytes, at: time.milliseconds)
        capIdentity()
    }

    private mutating func capIdentity() {
        if identity.count > settings.engine.maxTrackedTasks {
            identity.evict(before: .min, cap: settings.engine.maxTrackedTasks)
        }
    }

    /// Whether the task's log group or stream is already known (so the caller can skip building the strings
    /// for `noteStream` on every record of an interleaved export).
    public func knowsStream(of task: TaskID) -> Bool { identity.knowsStream(of: task) }

    /// Notes one ALB request of a target group (FNV-1a hash of its ARN): `slow` when its target processing time
    /// is at or above the saturation latency threshold.
    public mutating func noteRequest(time: EventTime, targetGroupHash: UInt64, slow: Bool) {
        let t = time.milliseconds
        observe(t)
        if t < frontier {
            lateRequests &+= 1
            return
        }
        requests.note(time: t, targetGroupHash: targetGroupHash, slow: slow)
    }

    /// Binds a target group ARN to a service (from service events, or the caller's knowledge).
    ///
    /// Without a cluster (service events do not name it) the binding waits for the next released signal of that
    /// service and takes that signal's resolved key, so ALB requests join the same alert key as the service's
    /// other evidence instead of a cluster-less twin.
    public mutating func bindTargetGroup(_ arn: String, toService service: String, cluster: String?) {
        if cluster == nil {
            if let known = identity.serviceClusters[service] {
                bind(arn, ServiceKey(cluster: known, service: service), at: nil)
            } else if !(pendingBindings[service]?.contains(arn) ?? false) {
                if pendingBindings.count >= RequestTracker.maxGroups { pendingBindings.removeAll() }
                pendingBindings[service, default: []].append(arn)
            }
            return
        }
        bind(arn, ServiceKey(cluster: cluster, service: service), at: nil)
    }

    private mutating func bind(_ arn: String, _ key: ServiceKey, at time: Int64?) {
        guard !key.service.isEmpty, !arn.isEmpty else { return }
        let hash = ByteHash.fnv1a(arn)
        if bindings[hash] == key { return }
        // A target group serves one service: the newest binding wins (a service bound before its cluster was
        // known is bound again with it; counting its requests under both keys made a cluster-less twin alert).
        if let old = bindings[hash] { saturation.unbind(targetGroupHash: hash, from: old) }
        if bindings.count >= RequestTracker.maxGroups { bindings.removeAll() }
        bindings[hash] = key
        saturation.bind(targetGroupHash: hash, arn: arn, to: key, at: time)
    }

    // MARK: Signals

    /// Buffers a signal until the watermark passes it.
    public mutating func ingest(_ signal: Signal) {
        let t = signal.time.milliseconds
        observe(t)
        if t < frontier {
            lateSignals += 1
            return
        }
        buffer.push(signal)
    }

    /// Releases the signals before the watermark and evaluates the timers due before it.
    public mutating func drain(into out: inout [AlertTransition]) {
        guard let maxSeen else { return }
        let target = maxSeen &- latenessMs
        guard target > frontier || buffer.count > Self.maxBufferedSignals else { return }
        if let m = minSeen { saturation.noteEarliest(m) }
        let next = min(buffer.earliest?.milliseconds ?? .max, nextTimerDue)
        if next >= target, buffer.count <= Self.maxBufferedSignals {
            // Nothing to release and no timer due: only the frontier moves (the per-record fast path).
            let crossesMinute = frontier == .min || target / 60_000 != frontier / 60_000
            frontier = target
            if crossesMinute { flushLogs() }
            if frontier >= nextSweep {
                sweep()
                nextSweep = frontier &+ 60_000
            }
            return
        }
        release(before: max(target, frontier), advanceTo: max(target, frontier) &- 1, into: &out)
    }

    /// A region named by the context documents' ARNs (target groups), for snippets.
    private var contextRegion: String? {
        for arn in context.targetGroups.map(\.arn) + context.services.flatMap(\.targetGroupArns) {
            if let r = AWSNames.region(ofArn: arn) { return r }
        }
        return nil
    }

    /// The earliest due time of any timer (lifecycle or rule).
    private var nextTimerDue: Int64 {
        min(lifecycle.nextDue ?? .max, accessDenied.nextDue ?? .max, restartLoop.nextDue ?? .max,
            saturation.nextDue ?? .max, missingLogs.nextDue ?? .max)
    }

    /// End of input (replay): releases everything and evaluates timers at the largest event time seen, never
    /// beyond — the end of a file is not evidence of silence after its last record.
    public mutating func finish(into out: inout [AlertTransition]) {
        guard let maxSeen else { return }
        release(before: maxSeen &+ 1, advanceTo: maxSeen, into: &out)
    }

    private mutating func release(before limit: Int64, advanceTo end: Int64, into out: inout [AlertTransition]) {
        // Per-task log counts are folded into the per-minute timelines when a minute boundary is crossed, and
        // before a missing-logs judgement (the only rule reading the folded per-service first-log times; see
        // advanceAll) — not on every release: folding costs a service lookup and a timeline update per task.
        if frontier == .min || max(limit, end) / 60_000 != frontier / 60_000 { flushLogs() }
        if let m = minSeen { saturation.noteEarliest(m) }
        var env = RuleEnvironment(
            settings: settings, context: context, logs: logs, requests: requests, region: identity.region ?? contextRegion)
        var local: [AlertTransition] = []
        while let s = buffer.pop(before: limit) { process(s, env: &env, into: &local) }
        while buffer.count > Self.maxBufferedSignals, let s = buffer.popEarliest() {
            forcedReleases += 1
            process(s, env: &env, into: &local)
        }
        advanceAll(to: frontier == .min ? end : max(end, frontier - 1), env: &env, into: &local)
        frontier = max(frontier, limit, end &+ 1)
        if frontier >= nextSweep {
            sweep()
            nextSweep = frontier &+ 60_000
        }
        let indexed = local.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.at != y.at { return x.at < y.at }
            if x.rule != y.rule { return x.rule < y.rule }
            if (x.cluster ?? "") != (y.cluster ?? "") { return (x.cluster ?? "") < (y.cluster ?? "") }
            if (x.service ?? "") != (y.service ?? "") { return (x.service ?? "") < (y.service ?? "") }
            if x.cause != y.cause { return x.cause < y.cause }
            return a.offset < b.offset
        }
        out.append(contentsOf: indexed.map(\.element))
    }

    private mutating func process(_ s: Signal, env: inout RuleEnvironment, into local: inout [AlertTransition]) {
        let t = s.time.milliseconds
        releasedSignals += 1
        advanceAll(to: t, env: &env, into: &local)
        identity.learn(from: s)
        if env.region == nil, let r = identity.region { env.region = r }
        var res = identity.resolve(s)
        if res.service.service.isEmpty, let tg = s.detail.targetGroup, let bound = bindings[ByteHash.fnv1a(tg)] {
            // ALB records name only their target group.
            res = IdentityDirectory.Resolution(service: bound, inferredFrom: nil)
        }
        let key = res.service
        if let tg = s.detail.targetGroup, tg.contains("targetgroup/") { bind(tg, key, at: t) }
        if !key.service.isEmpty, let arns = pendingBindings.removeValue(forKey: key.service) {
            for arn in arns { bind(arn, key, at: t) }
        }
        let input = RuleInput(s, service: key, inferredFrom: res.inferredFrom)

        if !key.service.isEmpty {
            switch s.kind {
            case .accessDenied, .noCredentials, .executionRoleDenied:
                timeline.update(key, at: t) { $0.denials += 1 }
            case .httpError where (s.detail.status ?? 0) >= 500:
                timeline.update(key, at: t) { $0.http5xx += 1 }
            case .resourceUsage:
                if let c = s.detail.cpuPercent { timeline.update(key, at: t) { $0.maxCPUPercent = max($0.maxCPUPercent ?? c, c) } }
            default:
                break
            }
        }
        apply(accessDenied.on(input, env: env), into: &local)
        let counted = restartLoop.countedFailures
        apply(restartLoop.on(input, env: env), into: &local)
        if restartLoop.countedFailures > counted, !key.service.isEmpty {
            let n = restartLoop.countedFailures - counted
            timeline.update(key, at: t) { $0.taskFailures += n }
        }
        apply(saturation.on(input, env: env), into: &local)
        apply(missingLogs.on(input, env: env), into: &local)

        let cap = settings.engine.maxTrackedTasks
        if restartLoop.trackedTasks > cap || missingLogs.trackedTasks > cap {
            restartLoop.evict(before: .min, maxTasks: cap, maxServices: Self.maxTrackedServices)
            missingLogs.evict(before: .min, maxTasks: cap, maxServices: Self.maxTrackedServices)
        }
        if identity.count > cap { identity.evict(before: .min, cap: cap) }
    }

    /// Runs every timer (lifecycle and rules) due at or before `time`, in due order; lifecycle resolutions first
    /// when due at the same time.
    private mutating func advanceAll(to time: Int64, env: inout RuleEnvironment, into local: inout [AlertTransition]) {
        while true {
            let dl = lifecycle.nextDue ?? .max
            let da = accessDenied.nextDue ?? .max
            let dr = restartLoop.nextDue ?? .max
            let ds = saturation.nextDue ?? .max
            let dm = missingLogs.nextDue ?? .max
            let d = min(dl, da, dr, ds, dm)
            guard d <= time else { return }
            if dl == d {
                for tr in lifecycle.advance(to: EventTime(milliseconds: d)) {
                    local.append(tr)
                    didResolve(tr)
                }
                continue
            }
            if da == d { apply(accessDenied.advance(to: d, env: env), into: &local) }
            if dr == d { apply(restartLoop.advance(to: d, env: env), into: &local) }
            if ds == d { apply(saturation.advance(to: d, env: env), into: &local) }
            if dm == d {
                if logs.hasPending {
                    env.logs = TaskLogTable()  // drop the snapshot's reference first: no copy-on-write of the table
                    flushLogs()
                    env.logs = logs
                }
                apply(missingLogs.advance(to: d, env: env), into: &local)
            }
        }
    }

    private mutating func apply(_ actions: [RuleAction], into local: inout [AlertTransition]) {
        for a in actions {
            guard let tr = lifecycle.apply(a) else { continue }
            local.append(tr)
            if tr.status == .resolved { didResolve(tr) }
        }
    }

    private mutating func didResolve(_ tr: AlertTransition) {
        let key = AlertKey(rule: tr.rule, service: ServiceKey(cluster: tr.cluster, service: tr.service ?? ""), cause: tr.cause)
        switch key.rule {
        case .accessDenied: accessDenied.didResolve(key)
        case .restartLoop: restartLoop.didResolve(key)
        case .saturation: saturation.didResolve(key)
        case .missingLogs: missingLogs.didResolve(key)
        }
    }

    // MARK: Timelines and eviction

    /// Folds the tasks' pending log counts into the service timelines and per-service first-log times.
    private mutating func flushLogs() {
        var pending: [(TaskID, Int64, Int, Int64)] = []
        pending.reserveCapacity(logs.dirty.count + logs.overflow.count)
        logs.takePending { pending.append(($0, $1, $2, $3)) }
        guard !pending.isEmpty else { return }
        identity.beginResolving()
        var counts: [LogFold.Count] = []
        counts.reserveCapacity(pending.count)
        for (task, minute, count, first) in pending {
            guard let key = identity.serviceKeyID(ofTask: task) else {
                // The task's identity may arrive with a later signal: retry for ten minutes of event time.
                if frontier == .min || minute >= frontier - 600_000 { logs.requeue(task: task, minute: minute, count: count) }
                continue
            }
            counts.append(LogFold.Count(key: key, minute: minute, count: count, first: first))
        }
        LogFold.apply(counts, keys: identity.interned, timeline: &timeline, logs: &logs)
    }

    private mutating func sweep() {
        let idle = settings.engine.idleEvictionSeconds.engineMilliseconds
        let cutoff = frontier &- idle
        let cap = settings.engine.maxTrackedTasks
        identity.evict(before: cutoff, cap: cap)
        logs.evict(before: cutoff, cap: cap)
        requests.evict(before: cutoff)
        accessDenied.evict(before: cutoff, maxServices: Self.maxTrackedServices)
        restartLoop.evict(before: cutoff, maxTasks: cap, maxServices: Self.maxTrackedServices)
        saturation.evict(before: cutoff, maxServices: Self.maxTrackedServices)
        missingLogs.evict(before: cutoff, maxTasks: cap, maxServices: Self.maxTrackedServices)
    }

    // MARK: Read-outs

    /// Per service, per minute counts over the last 24 h (denials, 5xx, task failures, max CPU %, log records),
    /// including records not yet folded in.
    public var timelines: [ServiceTimeline] {
        var copy = self
        copy.flushLogs()
        return copy.timeline.timelines
    }

    /// Every firing alert with its latest count, evidence and figures.
    public var firingAlerts: [AlertTransition] { lifecycle.snapshot }

    /// What the engine holds, for bounds checks and status lines.
    public struct Stats: Sendable, Equatable {
        public var bufferedSignals: Int
        public var identityTasks: Int
        public var logTasks: Int
        public var restartLoopTasks: Int
        public var missingLogsTasks: Int
        public var services: Int
        public var targetGroups: Int
        public var timelineServices: Int
        public var firingAlerts: Int

        /// The largest per-task table.
        public var maxTaskTable: Int { max(identityTasks, logTasks, restartLoopTasks, missingLogsTasks) }
    }

    /// Current sizes of every table.
    public var stats: Stats {
        Stats(
            bufferedSignals: buffer.count, identityTasks: identity.count, logTasks: logs.count,
            restartLoopTasks: restartLoop.trackedTasks, missingLogsTasks: missingLogs.trackedTasks,
            services: max(accessDenied.trackedServices, restartLoop.trackedServices, saturation.trackedServices,
                          missingLogs.trackedServices),
            targetGroups: requests.count, timelineServices: timeline.count, firingAlerts: lifecycle.firing.count)
    }
}
