/// missing-logs (error).
///
/// (a) Logger failures at task start (`logger-error`) fire on the first occurrence: `log-group-missing`, or
/// `logger-permission-denied` when the failure is a denial of `logs:CreateLogGroup` / `logs:CreateLogStream`.
///
/// (b) A task of a service is RUNNING (`task-running`, or `task-started` from service events) and no log record
/// attributable to it arrives within `silenceSeconds` of event time → `no-log-output`. Judged only when an
/// application log source is present; a task stopped before its deadline does not count. To avoid calling every
/// other service of a cluster silent when only one service's logs were exported, a service is judged when it logged
/// before, when no log record could be attributed to any service, or when the context shows a container without
/// `logConfiguration`.
///
/// Resolves when logs arrive for the service's tasks, or after `clearSeconds` without a new silent task / logger
/// error.
public struct MissingLogsRule: Sendable, Codable {
    struct Watch: Sendable, Codable {
        var service: ServiceKey
        var runningAt: Int64
        var deadline: Int64
        var evidence: Evidence
        var running: Bool
        var inferredFrom: String?
    }

    struct Episode: Sendable, Codable {
        var core = RuleEpisode()
        var lastEvidence: Int64 = 0
        var logGroup: String?
        var action: String?
        var role: String?
        var reason: String?
        var clearSent = false
        var inferredFrom: String?
    }

    struct ServiceState: Sendable, Codable {
        var episodes: [Cause: Episode] = [:]
        /// Recent tasks of the service (watched or silent) with their start, newest last: logs from one that started
        /// during the episode resolve the alert.
        var recentTasks: [RecentTask] = []
        var checkDue: Int64?
        var lastNews: Int64 = 0
        /// A task of the service logged before its deadline (the service's logs are in the input).
        var hasLogged = false
    }

    struct RecentTask: Sendable, Codable, Equatable {
        var task: TaskID
        var start: Int64
    }

    static let recentCap = 32
    static let checkEveryMs: Int64 = 60_000
    static let purposeCheck: UInt8 = 2

    var watches: [TaskID: Watch] = [:]
    var services: [ServiceKey: ServiceState] = [:]
    var deadlines = TimerQueue()
    var checks = TimerQueue()

    /// An empty rule.
    public init() {}

    public var trackedTasks: Int { watches.count }
    public var trackedServices: Int { services.count }
    public var nextDue: Int64? {
        switch (deadlines.nextDue, checks.nextDue) {
        case let (a?, b?): min(a, b)
        case let (a?, nil): a
        case let (nil, b): b
        }
    }

    // MARK: Signals

    /// Feeds one released signal.
    public mutating func on(_ input: RuleInput, env: RuleEnvironment) -> [RuleAction] {
        let s = input.signal
        let now = input.ms
        switch s.kind {
        case .taskRunning, .taskStarted:
            if let g = s.detail.group, g.hasPrefix("family:") { return [] }
            guard !input.service.service.isEmpty else { return [] }
            let silenceMs = env.settings.missingLogs.silenceSeconds.engineMilliseconds
            let running = s.kind == .taskRunning
            for t in input.allTasks {
                let at = running ? (s.detail.startedAt?.milliseconds ?? now) : now
                if var w = watches[t] {
                    // RUNNING is the better start than the scheduler's "has started".
                    if running, !w.running {
                        w.running = true
                        w.runningAt = max(w.runningAt, at)
                        w.deadline = w.runningAt + silenceMs
                        w.evidence = input.evidence
                        watches[t] = w
                        deadlines.schedule(TimerKey(task: t), at: w.deadline)
                    }
                    continue
                }
                let w = Watch(service: input.service, runningAt: at, deadline: at + silenceMs, evidence: input.evidence,
                              running: running, inferredFrom: input.inferredFrom)
                watches[t] = w
                deadlines.schedule(TimerKey(task: t), at: w.deadline)
                remember(t, of: input.service, start: at, now: now)
            }
            return []
        case .taskStopped:
            for t in input.allTasks {
                if let w = watches[t], now < w.deadline { watches[t] = nil }
            }
            return []
        case .loggerError:
            return loggerError(input, env: env)
        default:
            return []
        }
    }

    private mutating func remember(_ t: TaskID, of key: ServiceKey, start: Int64, now: Int64) {
        var st = services.removeValue(forKey: key) ?? ServiceState()
        if !st.recentTasks.contains(where: { $0.task == t }) {
            st.recentTasks.append(RecentTask(task: t, start: start))
            if st.recentTasks.count > Self.recentCap { st.recentTasks.removeFirst() }
        }
        st.lastNews = max(st.lastNews, now)
        services[key] = st
    }

    private mutating func loggerError(_ input: RuleInput, env: RuleEnvironment) -> [RuleAction] {
        let s = input.signal
        let now = input.ms
        let action = s.detail.action
        let text = s.detail.reason ?? s.line
        let denied = (action.map { ["logs:createloggroup", "logs:createlogstream"].contains(EngineFormat.lower($0)) } ?? false)
            || EngineFormat.containsIgnoringCase(text, "not authorized to perform: logs:CreateLog")
        let cause: Cause = denied ? .loggerPermissionDenied : .logGroupMissing
        var ep = services[input.service]?.episodes[cause] ?? Episode()
        ep.lastEvidence = now
        ep.core.lastSeen = now
        ep.clearSent = false
        if ep.logGroup == nil {
            ep.logGroup = s.detail.resource.flatMap { AWSNames.logGroupName(fromArn: $0) }
                ?? s.logGroup ?? Self.contextLogGroup(input.service, env)
        }
        if ep.action == nil {
            ep.action = action ?? (denied ? (EngineFormat.containsIgnoringCase(text, "CreateLogStream") ? "logs:CreateLogStream" : "logs:CreateLogGroup") : nil)
        }
        if ep.role == nil {
            ep.role = s.detail.role ?? s.detail.principal.flatMap { AWSNames.roleAndSession(ofPrincipal: $0).role }
                ?? env.taskDefinition(input.service)?.executionRoleArn.map(ServiceContext.roleName(fromArn:))
        }
        if ep.reason == nil { ep.reason = s.detail.reason }
        if ep.inferredFrom == nil { ep.inferredFrom = input.inferredFrom }
        let key = AlertKey(cause, input.service)
        var actions: [RuleAction] = []
        var ev = EvidenceLog()
        ev.append(input.evidence)
        if !ep.core.active {
            ep.core = RuleEpisode()
            ep.core.active = true
            ep.core.firedAt = now
            ep.core.firstSeen = now
            ep.core.lastSeen = now
            ep.core.count = 1
            ep.core.lastRefresh = now
            ep.core.addTask(s.task)
            store(ep, cause, input.service, now: now)
            actions.append(.fire(AlertUpdate(
                key: key, at: s.time, evidence: ev, taskIDs: s.task.map { [$0] } ?? [],
                summary: summary(ep, key, env), remediation: remediation(ep, key, env), figures: figures(ep, key, env))))
        } else {
            ep.core.count += 1
            ep.core.addTask(s.task)
            let refresh = ep.core.takeRefresh(now: now)
            store(ep, cause, input.service, now: now)
            actions.append(.update(AlertUpdate(
                key: key, at: s.time, evidence: ev, taskIDs: s.task.map { [$0] } ?? [],
                summary: refresh ? summary(ep, key, env) : nil, remediation: refresh ? remediation(ep, key, env) : nil,
                figures: refresh ? figures(ep, key, env) : nil)))
        }
        scheduleCheck(input.service, at: now + Self.checkEveryMs)
        return actions
    }

    private mutating func store(_ ep: Episode, _ cause: Cause, _ key: ServiceKey, now: Int64) {
        var st = services.removeValue(forKey: key) ?? ServiceState()
        st.episodes[cause] = ep
        st.lastNews = max(st.lastNews, now)
        services[key] = st
    }

    private mutating func scheduleCheck(_ key: ServiceKey, at due: Int64) {
        if let d = services[key]?.checkDue, d <= due { return }
        var st = services.removeValue(forKey: key) ?? ServiceState()
        st.checkDue = due
        services[key] = st
        checks.schedule(TimerKey(key, purpose: Self.purposeCheck), at: due)
    }

    // MARK: Timers

    /// Judges silence deadlines and runs the periodic clear checks due at or before `time`.
    public mutating func advance(to time: Int64, env: RuleEnvironment) -> [RuleAction] {
        var actions: [RuleAction] = []
        while true {
            let d = deadlines.nextDue ?? .max
            let c = checks.nextDue ?? .max
            guard min(d, c) <= time else { break }
            if d <= c {
                var due: [TaskID] = []
                while let entry = deadlines.popDue(notAfter: d) { due.append(entry.key.task) }
                actions += judge(due, deadline: d, env: env)
            } else {
                guard let entry = checks.popDue(notAfter: c) else { break }
                actions += check(entry.key.service, due: entry.due, env: env)
            }
        }
        return actions
    }

    /// Judges the tasks whose silence deadline is `deadline`; silent tasks of one service make one action.
    private mutating func judge(_ due: [TaskID], deadline: Int64, env: RuleEnvironment) -> [RuleAction] {
        let logs = env.logs
        var silent: [ServiceKey: [(TaskID, Watch)]] = [:]
        for task in due {
            guard let w = watches[task], w.deadline == deadline else { continue }
            watches[task] = nil
            if logs.firstLogTime(task, notAfter: deadline) != nil {
                services[w.service]?.hasLogged = true
                continue
            }
            guard logs.applicationLogsPresent(notAfter: deadline) else { continue }
            silent[w.service, default: []].append((task, w))
        }
        var actions: [RuleAction] = []
        for key in silent.keys.sorted() {
            let found = silent[key]!.sorted { $0.0 < $1.0 }
            let name = key.service
            let judgeable = services[key]?.hasLogged == true || logs.serviceLogged(name, notAfter: deadline)
                || !logs.anyServiceLogged(notAfter: deadline) || !Self.containersWithoutLogging(key, env).isEmpty
            guard judgeable else { continue }
            var st = services.removeValue(forKey: key) ?? ServiceState()
            let akey = AlertKey(.noLogOutput, key)
            var ep = st.episodes[.noLogOutput] ?? Episode()
            ep.lastEvidence = deadline
            ep.clearSent = false
            if ep.inferredFrom == nil { ep.inferredFrom = found[0].1.inferredFrom }
            var ev = EvidenceLog()
            for (_, w) in found { ev.append(w.evidence) }
            let at = EventTime(milliseconds: deadline)
            let firstRun = found.map(\.1.runningAt).min()!
            if !ep.core.active {
                ep.core = RuleEpisode()
                ep.core.active = true
                ep.core.firedAt = deadline
                ep.core.firstSeen = firstRun
                ep.core.lastSeen = deadline
                ep.core.count = found.count
                ep.core.lastRefresh = deadline
                for (t, _) in found { ep.core.addTask(t) }
                st.episodes[.noLogOutput] = ep
                actions.append(.fire(AlertUpdate(
                    key: akey, at: at, firstSeen: EventTime(milliseconds: firstRun), lastSeen: at, evidence: ev,
                    taskIDs: found.map(\.0), summary: summary(ep, akey, env), remediation: remediation(ep, akey, env),
                    figures: figures(ep, akey, env))))
            } else {
                ep.core.count += found.count
                ep.core.lastSeen = deadline
                for (t, _) in found { ep.core.addTask(t) }
                st.episodes[.noLogOutput] = ep
                actions.append(.update(AlertUpdate(
                    key: akey, at: at, lastSeen: at, evidence: ev, taskIDs: found.map(\.0),
                    summary: summary(ep, akey, env), remediation: remediation(ep, akey, env), figures: figures(ep, akey, env))))
            }
            for (t, w) in found where !st.recentTasks.contains(where: { $0.task == t }) {
                st.recentTasks.append(RecentTask(task: t, start: w.runningAt))
                if st.recentTasks.count > Self.recentCap { st.recentTasks.removeFirst() }
            }
            st.lastNews = max(st.lastNews, deadline)
            services[key] = st
            scheduleCheck(key, at: deadline + Self.checkEveryMs)
        }
        return actions
    }

    private mutating func check(_ key: ServiceKey, due: Int64, env: RuleEnvironment) -> [RuleAction] {
        guard var st = services[key], st.checkDue == due else { return [] }
        st.checkDue = nil
        let clearMs = env.settings.missingLogs.clearSeconds.engineMilliseconds
        var actions: [RuleAction] = []
        var needsMore = false
        for cause in st.episodes.keys.sorted() {
            guard var ep = st.episodes[cause], ep.core.active, !ep.clearSent else { continue }
            let logged = st.recentTasks.contains { r in
                r.start >= ep.core.firstSeen && env.logs.firstLogTime(r.task, notAfter: due) != nil
            }
            let quiet = ep.lastEvidence + clearMs <= due
            if logged || quiet {
                ep.clearSent = true
                st.episodes[cause] = ep
                let akey = AlertKey(cause, key)
                let why = logged ? "Log records arrive again for the service's tasks" : "No new \(cause == .noLogOutput ? "silent task" : "logger error") for \(EngineFormat.duration(env.settings.missingLogs.clearSeconds))"
                actions.append(.clear(akey, at: EventTime(milliseconds: due), summary: "\(why) after: \(summary(ep, akey, env))"))
            } else {
                needsMore = true
            }
        }
        services[key] = st
        if needsMore { scheduleCheck(key, at: due + Self.checkEveryMs) }
        return actions
    }

    /// The lifecycle resolved `key`.
    public mutating func didResolve(_ key: AlertKey) {
        services[key.service]?.episodes[key.cause] = nil
    }

    /// Evicts idle watches and services (never a firing one) and caps both.
    public mutating func evict(before cutoff: Int64, maxTasks: Int, maxServices: Int) {
        if watches.contains(where: { $0.value.deadline < cutoff }) { watches = watches.filter { $0.value.deadline >= cutoff } }
        if watches.count > maxTasks {
            let keep = max(0, maxTasks - maxTasks / 4)
            let order = watches.map { ($0.value.runningAt, $0.key) }.sorted { $0 > $1 }
            let kept = Set(order.prefix(keep).map(\.1))
            watches = watches.filter { kept.contains($0.key) }
        }
        services = services.filter { kv in kv.value.lastNews >= cutoff || kv.value.episodes.values.contains { $0.core.active } }
        if services.count > maxServices {
            let order = services.filter { !$0.value.episodes.values.contains { $0.core.active } }
                .map { ($0.value.lastNews, $0.key) }.sorted { $0 < $1 }
            for (_, k) in order.prefix(services.count - maxServices) { services[k] = nil }
        }
        if deadlines.count > 2 * watches.count + 1024 { deadlines.compact { watches[$0.key.task]?.deadline == $0.due } }
        if checks.count > 4 * (services.count + 16) { checks.compact { services[$0.key.service]?.checkDue == $0.due } }
    }

    // MARK: Text

    /// Containers of the service's task definition without a `logConfiguration` (context).
    static func containersWithoutLogging(_ key: ServiceKey, _ env: RuleEnvironment) -> [String] {
        guard let td = env.taskDefinition(key) else { return [] }
        return td.containers.filter { $0.logDriver == nil }.map(\.name)
    }

    static func contextLogGroup(_ key: ServiceKey, _ env: RuleEnvironment) -> String? {
        env.taskDefinition(key)?.containers.lazy.compactMap { $0.logOptions["awslogs-group"] }.first
    }

    func logGroup(_ ep: Episode, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        ep.logGroup ?? Self.contextLogGroup(key.service, env) ?? "/ecs/\(env.serviceArgument(key.service))"
    }

    func summary(_ ep: Episode, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        let n = ep.core.count
        switch key.cause {
        case .logGroupMissing:
            var s = "\(EngineFormat.plural(n, "task")) failed to start: the awslogs driver cannot use log group \(logGroup(ep, key, env))"
            if let r = ep.reason { s += " (\(RestartLoopRule.cap(r, 140)))" }
            return s
        case .loggerPermissionDenied:
            return "\(EngineFormat.plural(n, "task")) failed to start: the execution role \(ep.role ?? "(execution role)") may not \(ep.action ?? "logs:CreateLogGroup") on log group \(logGroup(ep, key, env))"
        default:
            let ids = ep.core.tasks.prefix(3).map { EngineFormat.shortTask($0.description) }.joined(separator: ", ")
            var s = "\(EngineFormat.plural(n, "task")) RUNNING for more than \(EngineFormat.duration(env.settings.missingLogs.silenceSeconds)) without a single log record (\(ids)\(ep.core.tasks.count > 3 ? ", …" : ""))"
            let missing = Self.containersWithoutLogging(key.service, env)
            if !missing.isEmpty {
                s += "; container \(missing.joined(separator: ", ")) has no logConfiguration"
            }
            return s
        }
    }

    func figures(_ ep: Episode, _ key: AlertKey, _ env: RuleEnvironment) -> [Figure] {
        var f: [Figure] = []
        switch key.cause {
        case .noLogOutput:
            f.append(Figure("silent tasks", String(ep.core.count)))
            f.append(Figure("silence threshold", EngineFormat.duration(env.settings.missingLogs.silenceSeconds)))
            let missing = Self.containersWithoutLogging(key.service, env)
            if !missing.isEmpty { f.append(Figure("containers without logConfiguration", missing.joined(separator: ","))) }
        default:
            f.append(Figure("logger errors", String(ep.core.count)))
            f.append(Figure("log group", logGroup(ep, key, env)))
            if let a = ep.action { f.append(Figure("action", a)) }
            if let r = ep.role { f.append(Figure("role", r)) }
        }
        if let i = ep.inferredFrom { f.append(Figure("service inferred from", i)) }
        return f
    }

    func remediation(_ ep: Episode, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        let group = logGroup(ep, key, env)
        let g = EngineFormat.shellQuote(group)
        let verify = "aws logs describe-log-groups --log-group-name-prefix \(g)"
        switch key.cause {
        case .logGroupMissing:
            return "Create the log group the task definition names: aws logs create-log-group --log-group-name \(g) (or add \"awslogs-create-group\": \"true\" to the container's logConfiguration options and allow logs:CreateLogGroup on the execution role); verify: \(verify)."
        case .loggerPermissionDenied:
            let role = ep.role ?? "EXECUTION_ROLE"
            let action = ep.action ?? "logs:CreateLogGroup"
            let doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogGroup\",\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\(EngineFormat.jsonString("arn:aws:logs:*:*:log-group:\(group):*"))}]}"
            return "Allow \(action) on the EXECUTION role \(role) (the awslogs driver runs as the ECS agent): aws iam put-role-policy --role-name \(EngineFormat.shellQuote(role)) --policy-name \(EngineFormat.shellQuote(env.serviceArgument(key.service) + "-awslogs")) --policy-document '\(doc)' — or create the group yourself (aws logs create-log-group --log-group-name \(g)) and drop awslogs-create-group; verify: \(verify)."
        default:
            let missing = Self.containersWithoutLogging(key.service, env)
            let who = missing.isEmpty ? "each container" : "container \(missing.joined(separator: ", "))"
            let region = env.region ?? "REGION"
            let snippet = "\"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {\"awslogs-group\": \(EngineFormat.jsonString(group)), \"awslogs-region\": \(EngineFormat.jsonString(region)), \"awslogs-stream-prefix\": \(EngineFormat.jsonString(env.serviceArgument(key.service))), \"awslogs-create-group\": \"true\"}}"
            return "Give \(who) a logConfiguration with the awslogs driver — without one stdout goes nowhere and no error is reported: \(snippet). awslogs-create-group needs logs:CreateLogGroup on the execution role; otherwise create the group first: aws logs create-log-group --log-group-name \(g). Register the revision, update the service, and verify the group exists: \(verify)."
        }
    }
}
