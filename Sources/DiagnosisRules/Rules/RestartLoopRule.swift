/// restart-loop (critical): ≥ `threshold` task failures of one class for one service within `windowSeconds`.
///
/// Failures come from `task-stopped` (and `oom`, `image-pull-error`, `start-failure`, `container-exit` signals that
/// carry a counting `failureClass`), at most one per task. A stop without a class (service events' `has stopped`)
/// is an ELB kill when the task was reported `unhealthy in (target-group …)` before. Not counted: benign stops
/// (deployment replacements, scale-in, user stops, Spot), completed batch tasks and `family:` groups, logger
/// failures (missing-logs) and execution-role denials (access-denied).
///
/// Per task it measures startup (RUNNING → first readiness line, or the app's stated startup) and the time to the
/// kill (RUNNING → unhealthy, else → stopped), which turn an ELB loop into a grace period to set.
/// Resolves on steady state with no new failure of the class for `clearSeconds`.
public struct RestartLoopRule: Sendable, Codable {
    struct TaskLife: Sendable, Codable {
        var service: ServiceKey
        var runningAt: Int64?
        var scheduledAt: Int64?
        var startedAt: Int64?
        var readyAt: Int64?
        var unhealthyAt: Int64?
        var unhealthyClass: TaskFailureClass?
        var counted = false
        var lastNews: Int64
    }

    struct Episode: Sendable, Codable {
        var core = RuleEpisode()
        var lastFailure: Int64 = 0
        var reason: String?
        var exitCodes: [Int] = []
        var container: String?
        var inferredFrom: String?
    }

    struct ServiceState: Sendable, Codable {
        var windows: [TaskFailureClass: CrossingWindow] = [:]
        var episodes: [Cause: Episode] = [:]
        /// Measured startup seconds (last 64).
        var startups: [Double] = []
        /// Seconds from RUNNING to the ELB kill (last 64).
        var kills: [Double] = []
        /// Tasks killed by ELB checks that never became ready.
        var killedBeforeReady = 0
        var steadyAt: Int64?
        var lastUnhealthyWithoutTask: Int64?
        var targetGroup: String?
        var lastNews: Int64 = 0
    }

    static let sampleCap = 64
    /// A stop without a class counts as an ELB kill when the task was unhealthy at most this long before.
    static let unhealthyMemoryMs: Int64 = 15 * 60_000
    /// …or the service had a task-less unhealthy event at most this long before.
    static let serviceUnhealthyMemoryMs: Int64 = 3 * 60_000

    var tasks: [TaskID: TaskLife] = [:]
    var services: [ServiceKey: ServiceState] = [:]
    var timers = TimerQueue()
    /// Failures counted so far (for the timelines).
    public private(set) var countedFailures = 0

    /// An empty rule.
    public init() {}

    public var trackedTasks: Int { tasks.count }
    public var trackedServices: Int { services.count }
    public var nextDue: Int64? { timers.nextDue }

    /// The cause a counting failure class leads to.
    public static func cause(of cls: TaskFailureClass) -> Cause? {
        switch cls {
        case .elbHealthCheck: .healthCheckGracePeriod
        case .containerHealthCheck: .containerHealthCheck
        case .crash: .crash
        case .oom: .oom
        case .startFailure: .startFailure
        case .loggerFailure, .executionRoleDenied, .benign, .completed: nil
        }
    }

    // MARK: Signals

    /// Feeds one released signal.
    public mutating func on(_ input: RuleInput, env: RuleEnvironment) -> [RuleAction] {
        let s = input.signal
        let now = input.ms
        switch s.kind {
        case .taskRunning:
            for t in input.allTasks {
                update(t, input) { life in
                    let at = s.detail.startedAt?.milliseconds ?? now
                    if life.runningAt == nil { life.runningAt = at }
                    if life.startedAt == nil { life.startedAt = at }
                }
            }
            return []
        case .taskStarted:
            for t in input.allTasks { update(t, input) { if $0.scheduledAt == nil { $0.scheduledAt = now } } }
            return []
        case .appReady:
            ready(input, env: env)
            return []
        case .healthCheckFailed:
            unhealthy(input)
            return []
        case .steadyState:
            return steady(input, env: env)
        case .taskStopped, .oom, .imagePullError, .startFailure, .containerExit:
            return stopped(input, env: env)
        default:
            return []
        }
    }

    private mutating func update(_ task: TaskID, _ input: RuleInput, _ body: (inout TaskLife) -> Void) {
        var life = tasks.removeValue(forKey: task) ?? TaskLife(service: input.service, lastNews: input.ms)
        if !input.service.service.isEmpty { life.service = input.service }
        life.lastNews = max(life.lastNews, input.ms)
        body(&life)
        tasks[task] = life
    }

    private mutating func touch(_ key: ServiceKey, _ now: Int64, _ body: (inout ServiceState) -> Void) {
        var st = services.removeValue(forKey: key) ?? ServiceState()
        st.lastNews = max(st.lastNews, now)
        body(&st)
        services[key] = st
    }

    private mutating func ready(_ input: RuleInput, env: RuleEnvironment) {
        let s = input.signal
        let now = input.ms
        var sample = s.detail.startupSeconds
        if let t = s.task {
            let life = tasks[t]
            guard life?.readyAt == nil else { return }
            let origin = life?.runningAt ?? s.detail.startedAt?.milliseconds
                ?? env.logs.firstLogTime(t, notAfter: now) ?? life?.scheduledAt
            if sample == nil, let origin, now >= origin { sample = Double(now - origin) / 1000 }
            update(t, input) { $0.readyAt = now }
        }
        guard let sample, sample >= 0, sample < 3600 else { return }
        touch(input.service, now) { st in
            st.startups.append(sample)
            if st.startups.count > Self.sampleCap { st.startups.removeFirst() }
        }
    }

    private mutating func unhealthy(_ input: RuleInput) {
        let s = input.signal
        let now = input.ms
        let cls: TaskFailureClass = s.detail.failureClass
            ?? (s.detail.targetGroup == nil && EngineFormat.containsIgnoringCase(s.detail.reason ?? s.line, "container health")
                ? .containerHealthCheck : .elbHealthCheck)
        let tasksNamed = input.allTasks
        for t in tasksNamed {
            update(t, input) { life in
                if life.unhealthyAt == nil { life.unhealthyAt = now }
                life.unhealthyClass = cls
            }
        }
        touch(input.service, now) { st in
            if tasksNamed.isEmpty { st.lastUnhealthyWithoutTask = now }
            if let tg = s.detail.targetGroup { st.targetGroup = tg }
        }
    }

    private mutating func steady(_ input: RuleInput, env: RuleEnvironment) -> [RuleAction] {
        let now = input.ms
        let clearMs = env.settings.restartLoop.clearSeconds.engineMilliseconds
        var actions: [RuleAction] = []
        var st = services.removeValue(forKey: input.service) ?? ServiceState()
        st.lastNews = max(st.lastNews, now)
        st.steadyAt = now
        for cause in st.episodes.keys.sorted() {
            guard var ep = st.episodes[cause], ep.core.active, ep.core.clearDue == nil, now - ep.lastFailure >= clearMs
            else { continue }
            ep.core.clearDue = now
            st.episodes[cause] = ep
            let key = AlertKey(cause, input.service)
            actions.append(.clear(key, at: input.signal.time, summary: clearSummary(ep, key, env)))
        }
        services[input.service] = st
        return actions
    }

    private mutating func stopped(_ input: RuleInput, env: RuleEnvironment) -> [RuleAction] {
        let s = input.signal
        if let group = s.detail.group, group.hasPrefix("family:") { return [] }
        if s.kind == .containerExit, (s.detail.exitCode ?? 0) == 0 { return [] }
        let named = input.allTasks
        // A service event can stop several tasks at once: each is one failure (or none).
        if named.count <= 1 { return stopped(input, task: s.task, env: env) }
        var actions: [RuleAction] = []
        for t in named { actions += stopped(input, task: t, env: env) }
        return actions
    }

    private mutating func stopped(_ input: RuleInput, task: TaskID?, env: RuleEnvironment) -> [RuleAction] {
        let s = input.signal
        let now = input.ms
        var life = task.flatMap { tasks[$0] }
        var cls = s.detail.failureClass
        if cls == nil, s.kind == .taskStopped {
            if let life, let at = life.unhealthyAt, let uc = life.unhealthyClass, now - at <= Self.unhealthyMemoryMs {
                cls = uc
            } else if let at = services[input.service]?.lastUnhealthyWithoutTask, now - at <= Self.serviceUnhealthyMemoryMs {
                cls = .elbHealthCheck
            }
        }
        if let t = task {
            update(t, input) { l in
                if l.startedAt == nil, let st = s.detail.startedAt { l.startedAt = st.milliseconds }
            }
            life = tasks[t]
        }
        guard let cls, cls.countsAsFailure, let cause = Self.cause(of: cls) else { return [] }
        if let t = task {
            if life?.counted == true { return [] }
            tasks[t]?.counted = true
        }
        countedFailures += 1

        let settings = env.settings.restartLoop
        let key = AlertKey(cause, input.service)
        var st = services.removeValue(forKey: input.service) ?? ServiceState()
        st.lastNews = max(st.lastNews, now)
        if cls == .elbHealthCheck, let life {
            let start = life.runningAt ?? life.startedAt ?? task.flatMap { env.logs.firstLogTime($0, notAfter: now) }
                ?? life.scheduledAt
            let end = life.unhealthyAt ?? s.detail.stoppedAt?.milliseconds ?? now
            if let start, end >= start {
                st.kills.append(Double(end - start) / 1000)
                if st.kills.count > Self.sampleCap { st.kills.removeFirst() }
            }
            if life.readyAt == nil { st.killedBeforeReady += 1 }
        }
        var ep = st.episodes[cause] ?? Episode()
        var window = st.windows[cls] ?? CrossingWindow()
        let item = WindowItem(time: now, evidence: input.evidence, task: task)
        var actions: [RuleAction] = []
        if !ep.core.active {
            window.prune(now: now, length: settings.windowSeconds.engineMilliseconds)
            if window.isEmpty { ep = Episode() }
            _ = window.add(item, length: settings.windowSeconds.engineMilliseconds, cap: settings.threshold)
        }
        ep.lastFailure = now
        ep.core.lastSeen = now
        if ep.reason == nil { ep.reason = s.detail.reason }
        if let c = s.detail.exitCode, ep.exitCodes.count < 4, !ep.exitCodes.contains(c) { ep.exitCodes.append(c) }
        if ep.container == nil { ep.container = s.detail.container }
        if ep.inferredFrom == nil { ep.inferredFrom = input.inferredFrom }
        if !ep.core.active {
            if window.count >= max(settings.threshold, 1) {
                ep.core.active = true
                ep.core.firedAt = now
                ep.core.firstSeen = window.firstTime ?? now
                ep.core.count = window.count
                ep.core.lastRefresh = now
                for t in window.tasks { ep.core.addTask(t) }
                let due = now + settings.clearSeconds.engineMilliseconds
                ep.core.clearDue = due
                timers.schedule(TimerKey(key), at: due)
                actions.append(.fire(AlertUpdate(
                    key: key, at: s.time, firstSeen: EventTime(milliseconds: ep.core.firstSeen), lastSeen: s.time,
                    evidence: window.evidence, taskIDs: window.tasks, summary: summary(ep, st, key, env),
                    remediation: remediation(ep, st, key, env), figures: figures(ep, st, key, env))))
                window.removeAll()
            }
        } else {
            ep.core.count += 1
            ep.core.addTask(task)
            if ep.core.clearDue == nil || ep.core.clearDue! <= now {
                let due = now + settings.clearSeconds.engineMilliseconds
                ep.core.clearDue = due
                timers.schedule(TimerKey(key), at: due)
            }
            var ev = EvidenceLog()
            ev.append(input.evidence)
            let refresh = ep.core.takeRefresh(now: now)
            actions.append(.update(AlertUpdate(
                key: key, at: s.time, lastSeen: s.time, evidence: ev, taskIDs: task.map { [$0] } ?? [],
                summary: refresh ? summary(ep, st, key, env) : nil, remediation: refresh ? remediation(ep, st, key, env) : nil,
                figures: refresh ? figures(ep, st, key, env) : nil)))
        }
        st.windows[cls] = window
        st.episodes[cause] = ep
        services[input.service] = st
        return actions
    }

    // MARK: Timers

    /// Evaluates clear timers due at or before `time`: no failure of the class for `clearSeconds` and the service
    /// reached a steady state since the last failure (or never reported steady states at all).
    public mutating func advance(to time: Int64, env: RuleEnvironment) -> [RuleAction] {
        var actions: [RuleAction] = []
        let clearMs = env.settings.restartLoop.clearSeconds.engineMilliseconds
        while let entry = timers.popDue(notAfter: time) {
            guard let key = entry.key.alertKey, var st = services[key.service], var ep = st.episodes[key.cause], ep.core.active,
                ep.core.clearDue == entry.due
            else { continue }
            let due = ep.lastFailure + clearMs
            if due > entry.due {
                ep.core.clearDue = due
                timers.schedule(TimerKey(key), at: due)
            } else if st.steadyAt == nil || st.steadyAt! > ep.lastFailure {
                ep.core.clearDue = entry.due
                actions.append(.clear(key, at: EventTime(milliseconds: entry.due), summary: clearSummary(ep, key, env)))
            } else {
                // Waiting for a steady state: the steady-state signal clears it.
                ep.core.clearDue = nil
            }
            st.episodes[key.cause] = ep
            services[key.service] = st
        }
        return actions
    }

    /// The lifecycle resolved `key`.
    public mutating func didResolve(_ key: AlertKey) {
        guard var st = services[key.service] else { return }
        st.episodes[key.cause] = nil
        for cls in TaskFailureClass.allCases where Self.cause(of: cls) == key.cause { st.windows[cls] = nil }
        services[key.service] = st
    }

    /// Evicts idle tasks and services (never a service with a firing episode), and caps both.
    public mutating func evict(before cutoff: Int64, maxTasks: Int, maxServices: Int) {
        if tasks.contains(where: { $0.value.lastNews < cutoff }) { tasks = tasks.filter { $0.value.lastNews >= cutoff } }
        if tasks.count > maxTasks {
            let keep = max(0, maxTasks - maxTasks / 4)
            let order = tasks.map { ($0.value.lastNews, $0.key) }.sorted { $0 > $1 }
            let kept = Set(order.prefix(keep).map(\.1))
            tasks = tasks.filter { kept.contains($0.key) }
        }
        services = services.filter { kv in kv.value.lastNews >= cutoff || kv.value.episodes.values.contains { $0.core.active } }
        if services.count > maxServices {
            let order = services.filter { !$0.value.episodes.values.contains { $0.core.active } }
                .map { ($0.value.lastNews, $0.key) }.sorted { $0 < $1 }
            for (_, k) in order.prefix(services.count - maxServices) { services[k] = nil }
        }
        if timers.count > 4 * (services.count + 16) {
            timers.compact { e in e.key.cause.map { services[e.key.service]?.episodes[$0]?.core.clearDue == e.due } ?? false }
        }
    }

    /// Whether the task table is over `cap` (the engine then evicts).
    public func needsEviction(maxTasks: Int) -> Bool { tasks.count > maxTasks }

    // MARK: Figures and text

    struct Measures {
        var startupP95: Double?
        var killMedian: Double?
        var killMax: Double?
        var restarts: Int
        var spanSeconds: Double
        var gracePeriod: Double?
        var targetGroup: ServiceContext.TargetGroup?
        var recommendedGrace: Int?
        var readyLongBeforeKill: Bool
        var noneReady: Bool
    }

    func measures(_ ep: Episode, _ st: ServiceState, _ key: AlertKey, _ env: RuleEnvironment) -> Measures {
        let p95 = EngineFormat.percentile(st.startups, 0.95)
        let killMedian = EngineFormat.median(st.kills)
        let service = env.contextService(key.service)
        let tgArn = st.targetGroup ?? service?.targetGroupArns.first
        let tg = env.context.targetGroups.first { tgArn != nil && ($0.arn == tgArn || $0.name == tgArn) }
            ?? (service?.targetGroupArns.isEmpty == false
                ? env.context.targetGroups.first { service!.targetGroupArns.contains($0.arn) } : nil)
        let factor = env.settings.restartLoop.gracePeriodFactor
        var recommended: Int?
        if let p95 {
            recommended = EngineFormat.roundUp(p95 * factor, to: 10)
        } else if let killMax = st.kills.max() {
            recommended = EngineFormat.roundUp(killMax * factor, to: 10)
        }
        if let r = recommended, r < 10 { recommended = 10 }
        let ready = p95 != nil && killMedian != nil && p95! * 2 <= killMedian! && killMedian! - p95! >= 10
        return Measures(
            startupP95: p95, killMedian: killMedian, killMax: st.kills.max(), restarts: ep.core.count,
            spanSeconds: Double(ep.core.lastSeen - ep.core.firstSeen) / 1000,
            gracePeriod: service?.healthCheckGracePeriodSeconds, targetGroup: tg, recommendedGrace: recommended,
            readyLongBeforeKill: ready, noneReady: st.startups.isEmpty)
    }

    private func restartsText(_ m: Measures) -> String {
        "\(EngineFormat.plural(m.restarts, "restart")) in \(EngineFormat.duration(max(m.spanSeconds, 1)))"
    }

    func summary(_ ep: Episode, _ st: ServiceState, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        let m = measures(ep, st, key, env)
        var parts: [String] = []
        switch key.cause {
        case .healthCheckGracePeriod:
            if let p95 = m.startupP95 {
                if m.readyLongBeforeKill, let k = m.killMedian {
                    parts.append("app is ready after \(EngineFormat.seconds(p95)) but tasks are killed by ELB health checks after ~\(EngineFormat.seconds(k)): the grace period is not the problem, the health check itself fails")
                } else {
                    parts.append("app needs \(EngineFormat.seconds(p95)) to start")
                    if let k = m.killMedian { parts.append("tasks killed after ~\(EngineFormat.seconds(k))") }
                }
            } else if let k = m.killMedian {
                parts.append("no task became ready before it was killed (> \(EngineFormat.seconds(k)))")
            } else {
                parts.append("tasks killed by ELB health checks")
            }
            parts.append(restartsText(m))
            if let g = m.gracePeriod { parts.append("health check grace period \(EngineFormat.seconds(g))") }
            if let tg = m.targetGroup {
                parts.append("target group \(tg.name) marks a target unhealthy after \(tg.unhealthyThreshold) × \(EngineFormat.seconds(tg.intervalSeconds)) = \(EngineFormat.seconds(tg.killAfterSeconds))")
            }
        case .containerHealthCheck:
            parts.append("\(EngineFormat.plural(m.restarts, "task")) failed container health checks in \(EngineFormat.duration(max(m.spanSeconds, 1)))")
            if let p95 = m.startupP95 { parts.append("app needs \(EngineFormat.seconds(p95)) to start") }
        case .crash:
            let codes = ep.exitCodes.isEmpty ? "" : " with exit code \(ep.exitCodes.map(String.init).joined(separator: "/"))"
            parts.append("essential container\(ep.container.map { " \($0)" } ?? "") exited\(codes): \(restartsText(m))")
        case .oom:
            parts.append("tasks killed for exceeding their memory limit (OutOfMemory): \(restartsText(m))")
        case .startFailure:
            parts.append("tasks failed to start\(ep.reason.map { " (\(Self.cap($0, 120)))" } ?? ""): \(restartsText(m))")
        default:
            parts.append(restartsText(m))
        }
        return parts.joined(separator: "; ")
    }

    static func cap(_ s: String, _ n: Int) -> String { s.count > n ? String(s.prefix(n)) + "…" : s }

    func clearSummary(_ ep: Episode, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        "Steady state and no \(key.cause.rawValue) failure for \(EngineFormat.duration(env.settings.restartLoop.clearSeconds)) after \(EngineFormat.plural(ep.core.count, "failure"))"
    }

    func figures(_ ep: Episode, _ st: ServiceState, _ key: AlertKey, _ env: RuleEnvironment) -> [Figure] {
        let m = measures(ep, st, key, env)
        var f = [Figure("restarts", String(m.restarts)), Figure("span", EngineFormat.duration(max(m.spanSeconds, 1)))]
        if let p = m.startupP95 { f.append(Figure("startup p95", EngineFormat.seconds(p))) }
        f.append(Figure("startup samples", String(st.startups.count)))
        if let k = m.killMedian { f.append(Figure("killed after (median)", EngineFormat.seconds(k))) }
        if let g = m.gracePeriod { f.append(Figure("current grace period", EngineFormat.seconds(g))) }
        if let tg = m.targetGroup { f.append(Figure("target group kill time", EngineFormat.seconds(tg.killAfterSeconds))) }
        if key.cause == .healthCheckGracePeriod, let r = m.recommendedGrace {
            f.append(Figure("recommended grace period", "\(r) s"))
        }
        if !ep.exitCodes.isEmpty { f.append(Figure("exit codes", ep.exitCodes.map(String.init).joined(separator: ","))) }
        if let i = ep.inferredFrom { f.append(Figure("service inferred from", i)) }
        return f
    }

    func remediation(_ ep: Episode, _ st: ServiceState, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        let m = measures(ep, st, key, env)
        let cluster = EngineFormat.shellQuote(env.clusterArgument(key.service))
        let service = EngineFormat.shellQuote(env.serviceArgument(key.service))
        let factor = EngineFormat.number(env.settings.restartLoop.gracePeriodFactor)
        switch key.cause {
        case .healthCheckGracePeriod:
            if m.readyLongBeforeKill, let p95 = m.startupP95 {
                let tgArg = m.targetGroup?.arn ?? st.targetGroup ?? "TARGET_GROUP_ARN"
                return "The grace period is not the problem: the app was ready after \(EngineFormat.seconds(p95)), long before the kill. Check the target group's health check path and matcher against the app's health endpoint (it must answer 200 on the container port): aws elbv2 describe-target-groups --target-group-arns \(EngineFormat.shellQuote(tgArg)) --query 'TargetGroups[].[HealthCheckPath,Matcher.HttpCode,HealthCheckPort]'; then aws elbv2 modify-target-group --target-group-arn \(EngineFormat.shellQuote(tgArg)) --health-check-path /health --matcher HttpCode=200."
            }
            let grace = m.recommendedGrace ?? 60
            let basis: String
            if let p95 = m.startupP95 {
                basis = "startup p95 \(EngineFormat.seconds(p95)) × \(factor), rounded up to 10 s"
            } else if let k = m.killMax {
                basis = "no task became ready, so at least the \(EngineFormat.seconds(k)) tasks lived × \(factor); measure the real startup and raise it if needed"
            } else {
                basis = "no startup could be measured; measure the app's startup and use startup p95 × \(factor)"
            }
            var text = "Set healthCheckGracePeriodSeconds to \(grace) (\(basis))"
            if let g = m.gracePeriod { text += ", up from \(EngineFormat.number(g))" }
            text += ": aws ecs update-service --cluster \(cluster) --service \(service) --health-check-grace-period-seconds \(grace)."
            if let tg = m.targetGroup {
                text += " The target group kills after \(EngineFormat.seconds(tg.killAfterSeconds)) of failing checks (interval \(EngineFormat.seconds(tg.intervalSeconds)) × unhealthy threshold \(tg.unhealthyThreshold))."
            }
            return text
        case .containerHealthCheck:
            let start = EngineFormat.roundUp((m.startupP95 ?? 40) * env.settings.restartLoop.gracePeriodFactor, to: 10)
            return "Fix or relax the container healthCheck of the task definition: run its command inside the image (is curl/wget installed? does it hit the right port and path?), give it \"startPeriod\": \(min(start, 300)) (startup × \(factor)) and sensible interval/retries, register the revision and update the service. Inspect: aws ecs describe-tasks --cluster \(cluster) --tasks TASK_ID --query 'tasks[].containers[].[name,healthStatus,reason]'."
        case .crash:
            return "The essential container exits on its own\(ep.exitCodes.isEmpty ? "" : " (exit \(ep.exitCodes.map(String.init).joined(separator: "/")))"); this is not a health-check problem. Read the last lines the stopped tasks logged (aws logs tail LOG_GROUP --since 30m) and the stop reason (aws ecs describe-tasks --cluster \(cluster) --tasks TASK_ID --query 'tasks[].[stoppedReason,containers[].[name,exitCode,reason]]'), fix the startup error (configuration, missing environment variable or secret, failing dependency) and redeploy."
        case .oom:
            return "The container is killed for exceeding its memory limit: raise \"memory\" (hard limit) of the container and the task size in the task definition (e.g. double it), register the revision and update the service (aws ecs update-service --cluster \(cluster) --service \(service) --task-definition FAMILY:NEW_REVISION); then look for the leak or set the runtime's heap below the limit (JVM -XX:MaxRAMPercentage=75, Node --max-old-space-size)."
        case .startFailure:
            let r = EngineFormat.lower(ep.reason ?? "")
            if r.contains("cannotpullcontainer") || r.contains("pull") {
                return "Tasks cannot pull their image: check the image name and tag exist (aws ecr describe-images --repository-name REPO --image-ids imageTag=TAG), that the execution role has ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer, and that the subnets reach ECR (NAT gateway, or VPC endpoints ecr.api, ecr.dkr and s3; public IP on Fargate in public subnets)."
            }
            return "Tasks fail before they run: read the stopped reason (aws ecs describe-tasks --cluster \(cluster) --tasks TASK_ID --query 'tasks[].stoppedReason'); ResourceInitializationError usually means the task cannot reach ECR, Secrets Manager, SSM or CloudWatch Logs from its subnets (NAT or VPC endpoints) or the execution role lacks a permission."
        default:
            return ""
        }
    }
}
