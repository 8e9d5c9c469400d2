/// saturation (error): per service and minute, CPU or memory ≥ threshold % of reserved (max over its tasks), latency
/// p90 ≥ `latencySeconds` (≥ 10 % of the minute's ALB requests slow, an ALB metric datapoint, or ≥ 3 slow app
/// requests), or ≥ 3 ELB 502/503/504 — sustained: every minute of a run saturated and the run spanning
/// ≥ `sustainSeconds` of event time. A minute with data under every threshold breaks the run; so does a gap of more
/// than two minutes without data.
///
/// Cause: desired count unchanged over the run → `fixed-desired-count` (confirmed when the context lists no scalable
/// target); desired count rose (or tasks were added beyond replacements) but saturation persists →
/// `scaling-too-slow`; a scalable target whose max capacity equals the desired count → `scaling-at-max-capacity`.
/// Resolves after `clearSeconds` without a saturated observation.
public struct SaturationRule: Sendable, Codable {
    struct Minute: Sendable, Codable {
        var start: Int64 = .min
        var hasData = false
        var maxCPU: Double?
        var maxMem: Double?
        var slowCount = 0
        var slowFirst: Int64 = .max
        var slowLast: Int64 = .min
        var slowSeconds: [Double] = []
        var slowEvidence: Evidence?
        var elb5xx = 0
        var elbFirst: Int64 = .max
        var elbLast: Int64 = .min
        var elbEvidence: Evidence?
        /// A record of this minute was saturated on its own (CPU, memory, an ALB metric datapoint).
        var recordSaturated = false
    }

    struct Drivers: OptionSet, Sendable, Codable {
        let rawValue: UInt8
        static let cpu = Drivers(rawValue: 1)
        static let memory = Drivers(rawValue: 2)
        static let latency = Drivers(rawValue: 4)
        static let elb = Drivers(rawValue: 8)
    }

    struct Run: Sendable, Codable {
        var start: Int64
        var last: Int64
        var count = 0
        var evidence = EvidenceLog()
        var peakCPU: Double?
        var peakMemory: Double?
        var tasks: [TaskID] = []
        var slowSeconds: [Double] = []
        var requests: UInt64 = 0
        var slowRequests: UInt64 = 0
        var latencyMinutes = 0
        var elb5xx = 0
        var drivers = Drivers()
        var desiredAtStart: Int?
        var desiredMin: Int?
        var desiredMax: Int?
        var desiredUpdated = false
        var starts = 0
        var stops = 0
        var metricP90: Double?
    }

    struct ServiceState: Sendable, Codable {
        var minute = Minute()
        var run: Run?
        var core = RuleEpisode()
        var lastSaturated: Int64 = .min
        var desired: Int?
        var running: Int?
        var lastFailure: Int64 = .min
        var targetGroups: [UInt64] = []
        var targetGroupArns: [String] = []
        var lastNews: Int64 = 0
        var inferredFrom: String?
        /// Cause of the firing alert.
        var cause: Cause?
    }

    /// Slow app requests in one minute that make the minute slow when no ALB totals exist.
    public static let minimumSlowRequests = 3
    /// ELB 502/503/504 in one minute that make the minute saturated.
    public static let minimumELB5xx = 3
    static let gapMs: Int64 = 120_000
    static let sampleCap = 256
    static let purposeClear: UInt8 = 1

    var services: [ServiceKey: ServiceState] = [:]
    var timers = TimerQueue()
    /// Next minute boundary at which every service's minute is closed.
    var nextTick: Int64?
    var ticked = false

    /// An empty rule.
    public init() {}

    public var trackedServices: Int { services.count }
    /// Earliest timer or minute tick.
    public var nextDue: Int64? {
        switch (nextTick, timers.nextDue) {
        case let (a?, b?): min(a, b)
        case let (a?, nil): a
        case let (nil, b): b
        }
    }

    /// Tells the rule the earliest event time seen, so minute ticks start there (before the first tick only).
    public mutating func noteEarliest(_ time: Int64) {
        guard !ticked else { return }
        let tick = EventTime(milliseconds: time).minuteFloor.milliseconds + 60_000
        nextTick = min(nextTick ?? .max, tick)
    }

    /// Binds a target group (its FNV-1a hash and ARN) to a service, so its ALB request buckets count as the
    /// service's latency.
    /// Removes a target group from a service it was bound to (it now serves another key, e.g. the same service
    /// once its cluster is known), so that its requests count for one service only.
    public mutating func unbind(targetGroupHash: UInt64, from service: ServiceKey) {
        guard var st = services[service], let i = st.targetGroups.firstIndex(of: targetGroupHash) else { return }
        st.targetGroups.remove(at: i)
        st.targetGroupArns.remove(at: i)
        services[service] = st
    }

    public mutating func bind(targetGroupHash: UInt64, arn: String, to service: ServiceKey, at time: Int64?) {
        guard !service.service.isEmpty else { return }
        var st = services.removeValue(forKey: service) ?? ServiceState()
        if !st.targetGroups.contains(targetGroupHash) {
            st.targetGroups.append(targetGroupHash)
            st.targetGroupArns.append(arn)
        }
        if let time {
            st.lastNews = max(st.lastNews, time)
            if nextTick == nil { nextTick = EventTime(milliseconds: time).minuteFloor.milliseconds + 60_000 }
        }
        services[service] = st
    }

    // MARK: Signals

    /// Feeds one released signal.
    public mutating func on(_ input: RuleInput, env: RuleEnvironment) -> [RuleAction] {
        let s = input.signal
        let now = input.ms
        let set = env.settings.saturation
        switch s.kind {
        case .resourceUsage:
            var st = open(input)
            st.minute.hasData = true
            let cpu = s.detail.cpuPercent
            let mem = s.detail.memoryPercent
            if let c = cpu { st.minute.maxCPU = max(st.minute.maxCPU ?? c, c) }
            if let m = mem { st.minute.maxMem = max(st.minute.maxMem ?? m, m) }
            var drivers = Drivers()
            if let c = cpu, c >= set.cpuPercent { drivers.insert(.cpu) }
            if let m = mem, m >= set.memoryPercent { drivers.insert(.memory) }
            var actions: [RuleAction] = []
            if !drivers.isEmpty {
                st.minute.recordSaturated = true
                actions = observe(&st, input.service, at: now, decision: now, evidence: input.evidence, drivers: drivers, env: env) { run in
                    if let c = cpu { run.peakCPU = max(run.peakCPU ?? c, c) }
                    if let m = mem { run.peakMemory = max(run.peakMemory ?? m, m) }
                    if let t = s.task, run.tasks.count < 64, !run.tasks.contains(t) { run.tasks.append(t) }
                }
            }
            services[input.service] = st
            return actions
        case .slowRequest:
            let seconds = s.detail.seconds ?? set.latencySeconds
            var st = open(input)
            st.minute.hasData = true
            var actions: [RuleAction] = []
            if s.detail.origin == "alb-metric" {
                if seconds >= set.latencySeconds {
                    st.minute.recordSaturated = true
                    actions = observe(&st, input.service, at: now, decision: now, evidence: input.evidence, drivers: .latency, env: env) { run in
                        run.metricP90 = max(run.metricP90 ?? seconds, seconds)
                        run.latencyMinutes += 1
                    }
                }
            } else if seconds >= set.latencySeconds {
                st.minute.slowCount += 1
                st.minute.slowFirst = min(st.minute.slowFirst, now)
                st.minute.slowLast = max(st.minute.slowLast, now)
                if st.minute.slowSeconds.count < 64 { st.minute.slowSeconds.append(seconds) }
                if st.minute.slowEvidence == nil { st.minute.slowEvidence = input.evidence }
            }
            services[input.service] = st
            return actions
        case .httpError:
            guard let status = s.detail.status, (502...504).contains(status),
                let origin = s.detail.origin, origin == "alb" || origin == "elb" || origin == "alb-metric"
            else { return [] }
            var st = open(input)
            st.minute.hasData = true
            st.minute.elb5xx += origin == "alb-metric" ? Self.minimumELB5xx : 1
            st.minute.elbFirst = min(st.minute.elbFirst, now)
            st.minute.elbLast = max(st.minute.elbLast, now)
            if st.minute.elbEvidence == nil { st.minute.elbEvidence = input.evidence }
            services[input.service] = st
            return []
        case .serviceCounts:
            var st = services.removeValue(forKey: input.service) ?? ServiceState()
            st.lastNews = max(st.lastNews, now)
            if let d = s.detail.desiredCount {
                if st.run != nil {
                    st.run!.desiredMin = min(st.run!.desiredMin ?? d, d)
                    st.run!.desiredMax = max(st.run!.desiredMax ?? d, d)
                }
                st.desired = d
            }
            if let r = s.detail.runningCount { st.running = r }
            if EngineFormat.containsIgnoringCase(s.detail.reason ?? "", "DESIRED_COUNT_UPDATED") { st.run?.desiredUpdated = true }
            services[input.service] = st
            return []
        case .taskStarted:
            guard services[input.service]?.run != nil else { return [] }
            services[input.service]!.run!.starts += s.detail.taskCount ?? max(1, input.allTasks.count)
            return []
        case .taskStopped:
            guard var st = services[input.service] else { return [] }
            if st.run != nil { st.run!.stops += 1 }
            if s.detail.failureClass?.countsAsFailure == true { st.lastFailure = now }
            services[input.service] = st
            return []
        default:
            return []
        }
    }

    /// The service state with its current minute opened at the signal's minute.
    private mutating func open(_ input: RuleInput) -> ServiceState {
        var st = services.removeValue(forKey: input.service) ?? ServiceState()
        let minute = input.signal.time.minuteFloor.milliseconds
        if st.minute.start != minute { st.minute = Minute(start: minute) }
        st.lastNews = max(st.lastNews, input.ms)
        if st.inferredFrom == nil { st.inferredFrom = input.inferredFrom }
        if nextTick == nil { nextTick = minute + 60_000 }
        return st
    }

    /// One saturated observation at `time` (decided at `decision`).
    private mutating func observe(
        _ st: inout ServiceState, _ key: ServiceKey, at time: Int64, decision: Int64, evidence: Evidence?,
        drivers: Drivers, env: RuleEnvironment, _ extra: (inout Run) -> Void
    ) -> [RuleAction] {
        let set = env.settings.saturation
        if st.run == nil {
            st.run = Run(start: time, last: time, desiredAtStart: st.desired, desiredMin: st.desired, desiredMax: st.desired)
        }
        st.run!.start = min(st.run!.start, time)
        st.run!.last = max(st.run!.last, time)
        st.run!.count += 1
        if let evidence { st.run!.evidence.append(evidence) }
        st.run!.drivers.formUnion(drivers)
        extra(&st.run!)
        st.lastSaturated = max(st.lastSaturated, time)
        let at = EventTime(milliseconds: decision)
        if st.core.active, let cause = st.cause {
            st.core.count += 1
            st.core.lastSeen = max(st.core.lastSeen, time)
            let key = AlertKey(cause, key)
            if st.core.clearDue == nil {
                let due = st.lastSaturated + set.clearSeconds.engineMilliseconds
                st.core.clearDue = due
                timers.schedule(TimerKey(key.service, purpose: Self.purposeClear), at: due)
            }
            var ev = EvidenceLog()
            if let evidence { ev.append(evidence) }
            let refresh = st.core.takeRefresh(now: decision)
            return [.update(AlertUpdate(
                key: key, at: at, lastSeen: EventTime(milliseconds: time), evidence: ev,
                summary: refresh ? summary(st, key, env) : nil, remediation: refresh ? remediation(st, key, env) : nil,
                figures: refresh ? figures(st, key, env) : nil))]
        }
        guard let run = st.run, run.last - run.start >= set.sustainSeconds.engineMilliseconds else { return [] }
        let cause = Self.cause(st, key, env)
        let akey = AlertKey(cause, key)
        st.cause = cause
        st.core = RuleEpisode()
        st.core.active = true
        st.core.firedAt = decision
        st.core.firstSeen = run.start
        st.core.lastSeen = run.last
        st.core.count = run.count
        st.core.lastRefresh = decision
        for t in run.tasks { st.core.addTask(t) }
        let due = st.lastSaturated + set.clearSeconds.engineMilliseconds
        st.core.clearDue = due
        timers.schedule(TimerKey(key, purpose: Self.purposeClear), at: due)
        return [.fire(AlertUpdate(
            key: akey, at: at, firstSeen: EventTime(milliseconds: run.start), lastSeen: EventTime(milliseconds: run.last),
            evidence: run.evidence, taskIDs: run.tasks, summary: summary(st, akey, env),
            remediation: remediation(st, akey, env), figures: figures(st, akey, env)))]
    }

    // MARK: Timers

    /// Closes minutes at each minute boundary up to `time` and evaluates clear timers.
    public mutating func advance(to time: Int64, env: RuleEnvironment) -> [RuleAction] {
        var actions: [RuleAction] = []
        while true {
            let tick = nextTick ?? .max
            let timer = timers.nextDue ?? .max
            let due = min(tick, timer)
            guard due <= time else { break }
            if tick <= timer {
                ticked = true
                nextTick = tick + 60_000
                actions += closeMinute(tick - 60_000, env: env)
            } else if let entry = timers.popDue(notAfter: due) {
                actions += clearCheck(entry, env: env)
            }
        }
        if services.isEmpty { nextTick = nil }
        return actions
    }

    private mutating func clearCheck(_ entry: TimerQueue.Entry, env: RuleEnvironment) -> [RuleAction] {
        let service = entry.key.service
        guard var st = services[service], st.core.active, st.core.clearDue == entry.due, let cause = st.cause else { return [] }
        let clearMs = env.settings.saturation.clearSeconds.engineMilliseconds
        let due = st.lastSaturated + clearMs
        var actions: [RuleAction] = []
        if due <= entry.due {
            st.core.clearDue = nil
            let key = AlertKey(cause, service)
            actions.append(.clear(key, at: EventTime(milliseconds: entry.due), summary: clearSummary(st, key, env)))
        } else {
            st.core.clearDue = due
            timers.schedule(entry.key, at: due)
        }
        services[service] = st
        return actions
    }

    private mutating func closeMinute(_ minute: Int64, env: RuleEnvironment) -> [RuleAction] {
        let set = env.settings.saturation
        let decision = minute + 60_000
        var actions: [RuleAction] = []
        for key in services.keys.sorted() {
            guard var st = services[key] else { continue }
            let m = st.minute.start == minute ? st.minute : Minute(start: minute)
            if st.minute.start <= minute { st.minute = Minute() }
            let bucket = st.targetGroups.isEmpty ? nil : env.requests.bucket(targetGroups: st.targetGroups, minute: minute)
            let total = UInt64(bucket?.total ?? 0)
            let slow = UInt64(bucket?.slow ?? 0)
            guard m.hasData || total > 0 || st.run != nil else { continue }
            let latency = total > 0 ? (slow > 0 && slow * 10 >= total) : m.slowCount >= Self.minimumSlowRequests
            let elb = m.elb5xx >= Self.minimumELB5xx
                && (st.lastFailure == .min || minute - st.lastFailure > env.settings.restartLoop.windowSeconds.engineMilliseconds)
            let recordSaturated = m.recordSaturated || (m.maxCPU ?? 0) >= set.cpuPercent || (m.maxMem ?? 0) >= set.memoryPercent
            if latency || elb {
                var times: [Int64] = []
                if latency {
                    if total > 0, let b = bucket, b.slow > 0 { times += [b.firstSlow, b.lastSlow] } else { times += [m.slowFirst, m.slowLast] }
                }
                if elb { times += [m.elbFirst, m.elbLast] }
                let first = times.min() ?? minute
                let last = times.max() ?? minute
                var drivers = Drivers()
                if latency { drivers.insert(.latency) }
                if elb { drivers.insert(.elb) }
                let evidence = latency ? m.slowEvidence : m.elbEvidence
                actions += observe(&st, key, at: first, decision: decision, evidence: evidence, drivers: drivers, env: env) { run in
                    if latency {
                        run.requests += total
                        run.slowRequests += slow
                        run.latencyMinutes += 1
                        for x in m.slowSeconds where run.slowSeconds.count < Self.sampleCap { run.slowSeconds.append(x) }
                    }
                    if elb { run.elb5xx += m.elb5xx }
                }
                if last != first {
                    actions += observe(&st, key, at: last, decision: decision, evidence: nil, drivers: drivers, env: env) { _ in }
                }
            } else if recordSaturated {
                // Already observed record by record.
            } else if m.hasData || total > 0 {
                if !st.core.active { st.run = nil }
            } else if let run = st.run, !st.core.active, decision - run.last > Self.gapMs {
                st.run = nil
            }
            if total > 0 { st.lastNews = max(st.lastNews, decision) }
            services[key] = st
        }
        return actions
    }

    /// The lifecycle resolved `key`: the run is over.
    public mutating func didResolve(_ key: AlertKey) {
        guard var st = services[key.service] else { return }
        st.core = RuleEpisode()
        st.cause = nil
        st.run = nil
        services[key.service] = st
    }

    /// Evicts idle services (never one with a firing alert or an open run) and caps the count.
    public mutating func evict(before cutoff: Int64, maxServices: Int) {
        // Services bound to target groups stay (their ALB requests arrive without signals); bindings are bounded.
        services = services.filter { kv in
            kv.value.lastNews >= cutoff || kv.value.core.active || kv.value.run != nil || !kv.value.targetGroups.isEmpty
        }
        if services.count > maxServices {
            let order = services.filter { !$0.value.core.active }.map { ($0.value.lastNews, $0.key) }.sorted { $0 < $1 }
            for (_, k) in order.prefix(services.count - maxServices) { services[k] = nil }
        }
        if timers.count > 4 * (services.count + 16) {
            timers.compact { services[$0.key.service]?.core.clearDue == $0.due }
        }
    }

    // MARK: Causes and text

    static func cause(_ st: ServiceState, _ key: ServiceKey, _ env: RuleEnvironment) -> Cause {
        let run = st.run
        let svc = env.contextService(key)
        let target = key.service.isEmpty ? nil : env.context.scalableTarget(service: key.service, cluster: key.cluster ?? svc?.cluster)
        let desired = st.desired ?? svc?.desiredCount
        if let target, let d = desired, d >= target.maxCapacity { return .scalingAtMaxCapacity }
        if let run {
            let rose = run.desiredUpdated || ((run.desiredMax ?? 0) > (run.desiredAtStart ?? run.desiredMin ?? .max))
                || run.starts > run.stops
            if rose { return .scalingTooSlow }
        }
        if target != nil, env.context.scalingPolicies.contains(where: { $0.service == key.service }) { return .scalingTooSlow }
        return .fixedDesiredCount
    }

    func latencyP90(_ run: Run, threshold: Double) -> Double? {
        if let m = run.metricP90 { return m }
        guard !run.slowSeconds.isEmpty else { return nil }
        if run.requests > 0, run.slowRequests > 0 {
            let f = Double(run.slowRequests) / Double(run.requests)
            let q = min(max(1 - 0.1 / f, 0), 1)
            return EngineFormat.percentile(run.slowSeconds, q)
        }
        return EngineFormat.percentile(run.slowSeconds, 0.9)
    }

    func summary(_ st: ServiceState, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        guard let run = st.run else { return "saturated" }
        let set = env.settings.saturation
        let minutes = EngineFormat.duration(Double(run.last - run.start) / 1000)
        let desired = st.desired ?? env.contextService(key.service)?.desiredCount
        let taskCount = desired ?? (run.tasks.isEmpty ? nil : run.tasks.count)
        let onTasks = taskCount.map { " on \(EngineFormat.plural($0, "task"))" } ?? ""
        var parts: [String] = []
        var lead: [String] = []
        if run.drivers.contains(.cpu), let c = run.peakCPU { lead.append("CPU \(EngineFormat.percent(c))") }
        if run.drivers.contains(.memory), let m = run.peakMemory { lead.append("memory \(EngineFormat.percent(m))") }
        if !lead.isEmpty {
            parts.append("\(lead.joined(separator: " and ")) of reserved for \(minutes)\(onTasks)")
        } else {
            parts.append("saturated for \(minutes)\(onTasks)")
        }
        if run.drivers.contains(.latency) {
            if let p90 = latencyP90(run, threshold: set.latencySeconds) {
                parts.append("target p90 \(EngineFormat.seconds(p90))")
            } else if run.requests > 0 {
                let pct = Double(run.slowRequests) * 100 / Double(run.requests)
                parts.append("p90 ≥ \(EngineFormat.seconds(set.latencySeconds)) (\(EngineFormat.percent(pct)) of \(run.requests) requests slower)")
            } else {
                parts.append("requests slower than \(EngineFormat.seconds(set.latencySeconds))")
            }
        }
        if run.drivers.contains(.elb) { parts.append("\(run.elb5xx) ELB 502/503/504") }
        let resourceID = "service/\(env.clusterArgument(key.service))/\(env.serviceArgument(key.service))"
        switch key.cause {
        case .fixedDesiredCount:
            if let d = desired { parts.append("desired count \(d) unchanged") } else { parts.append("desired count unchanged") }
            if env.context.knowsScalableTargets { parts.append("no scalable target exists for \(resourceID)") }
        case .scalingTooSlow:
            if let a = run.desiredAtStart ?? run.desiredMin, let b = run.desiredMax, b > a {
                parts.append("desired count rose \(a) → \(b) but saturation persists")
            } else {
                parts.append("auto-scaling is not keeping up")
            }
        case .scalingAtMaxCapacity:
            if let t = env.context.scalableTarget(service: key.service.service, cluster: key.service.cluster) {
                parts.append("desired count is at the scalable target's max capacity \(t.maxCapacity) (\(resourceID))")
            }
        default:
            break
        }
        return parts.joined(separator: "; ")
    }

    func clearSummary(_ st: ServiceState, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        "Back under every saturation threshold for \(EngineFormat.duration(env.settings.saturation.clearSeconds)) after: \(summary(st, key, env))"
    }

    func figures(_ st: ServiceState, _ key: AlertKey, _ env: RuleEnvironment) -> [Figure] {
        guard let run = st.run else { return [] }
        var f = [Figure("sustained", EngineFormat.duration(Double(run.last - run.start) / 1000))]
        if let c = run.peakCPU { f.append(Figure("peak CPU % of reserved", EngineFormat.percent(c))) }
        if let m = run.peakMemory { f.append(Figure("peak memory % of reserved", EngineFormat.percent(m))) }
        if let p = latencyP90(run, threshold: env.settings.saturation.latencySeconds) {
            f.append(Figure("target p90", EngineFormat.seconds(p)))
        }
        if run.requests > 0 {
            f.append(Figure("requests", String(run.requests)))
            f.append(Figure("slow requests", String(run.slowRequests)))
        }
        if run.elb5xx > 0 { f.append(Figure("ELB 502/503/504", String(run.elb5xx))) }
        if let d = st.desired ?? env.contextService(key.service)?.desiredCount { f.append(Figure("desired count", String(d))) }
        if !run.tasks.isEmpty { f.append(Figure("tasks measured", String(run.tasks.count))) }
        if let i = st.inferredFrom { f.append(Figure("service inferred from", i)) }
        return f
    }

    func remediation(_ st: ServiceState, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        let cluster = env.clusterArgument(key.service)
        let service = env.serviceArgument(key.service)
        let resourceID = "service/\(cluster)/\(service)"
        let desired = max(st.desired ?? env.contextService(key.service)?.desiredCount ?? 2, 1)
        let run = st.run
        let drivers = run?.drivers ?? Drivers.cpu
        let base = "--service-namespace ecs --scalable-dimension ecs:service:DesiredCount --resource-id \(resourceID)"
        func register(_ lo: Int, _ hi: Int) -> String {
            "aws application-autoscaling register-scalable-target \(base) --min-capacity \(lo) --max-capacity \(hi)"
        }
        func policy(target: Double, outCooldown: Int) -> String {
            let name: String
            let spec: String
            var value = target
            if drivers.contains(.cpu) {
                name = "\(service)-cpu-target"
                spec = "{\"PredefinedMetricType\":\"ECSServiceAverageCPUUtilization\"}"
            } else if drivers.contains(.memory) {
                name = "\(service)-memory-target"
                spec = "{\"PredefinedMetricType\":\"ECSServiceAverageMemoryUtilization\"}"
            } else {
                name = "\(service)-requests-target"
                let label = "app/LOAD_BALANCER_NAME/LOAD_BALANCER_ID/" + AWSNames.targetGroupLabel(st.targetGroupArns.first ?? "targetgroup/TARGET_GROUP_NAME/TARGET_GROUP_ID")
                spec = "{\"PredefinedMetricType\":\"ALBRequestCountPerTarget\",\"ResourceLabel\":\(EngineFormat.jsonString(label))}"
                value = 1000
                if let run, run.requests > 0, run.latencyMinutes > 0 {
                    let perTargetPerMinute = Double(run.requests) / Double(run.latencyMinutes) / Double(desired)
                    value = max(1, (perTargetPerMinute * 0.6).rounded())
                }
            }
            let config = "{\"TargetValue\":\(EngineFormat.number(value, decimals: 1).contains(".") ? EngineFormat.number(value, decimals: 1) : EngineFormat.number(value) + ".0"),\"PredefinedMetricSpecification\":\(spec),\"ScaleOutCooldown\":\(outCooldown),\"ScaleInCooldown\":120}"
            return "aws application-autoscaling put-scaling-policy \(base) --policy-name \(name) --policy-type TargetTrackingScaling --target-tracking-scaling-policy-configuration '\(config)'"
        }
        switch key.cause {
        case .scalingAtMaxCapacity:
            let t = env.context.scalableTarget(service: key.service.service, cluster: key.service.cluster)
            let lo = t?.minCapacity ?? desired
            let hi = max((t?.maxCapacity ?? desired) * 2, lo + 2)
            return "Auto-scaling is capped: raise the scalable target's max capacity (and check the cluster/Fargate quota can run that many tasks): \(register(lo, hi))."
        case .scalingTooSlow:
            let hi = max((run?.desiredMax ?? desired) * 3, desired + 4)
            return "Scale out earlier and faster: track a lower target with a short scale-out cooldown, and raise the minimum ahead of known peaks: \(policy(target: 50, outCooldown: 30)); \(register(max(run?.desiredMax ?? desired, desired), hi))."
        default:
            let hi = max(desired * 5, desired + 4)
            return "Add target-tracking auto-scaling (the desired count is fixed at \(desired)): \(register(desired, hi)) && \(policy(target: 65, outCooldown: 60))."
        }
    }
}
