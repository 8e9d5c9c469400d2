/// access-denied (critical): app-side AWS authorization failures, no credentials at all, and agent-side denials at
/// task start, per service; fires at ≥ `threshold` denials of one cause within `windowSeconds`.
///
/// Causes, from the denial itself and the context documents:
/// - `execution-role-missing-permission`: agent-side (`execution-role-denied`: secrets, registry auth, env files);
/// - `no-task-role`: the SDK found no credentials (`no-credentials`);
/// - `instance-role-fallback`: the session is an EC2 instance id (no task role on the EC2 launch type);
/// - `execution-role-used-by-app`: the denied role is an execution role (name contains `ExecutionRole`, configured,
///   or the task definition's execution role / taskRoleArn == executionRoleArn);
/// - `task-role-missing-permission`: otherwise.
///
/// The same service's HTTP 5xx in the minutes with denials are counted into the summary ("API returns 500s").
/// Resolves after `clearSeconds` without a denial.
public struct AccessDeniedRule: Sendable, Codable {
    struct Episode: Sendable, Codable {
        var core = RuleEpisode()
        var window = CrossingWindow()
        var action: String?
        var otherActions: [String] = []
        var resource: String?
        var role: String?
        var session: String?
        var errorCode: String?
        var reason: String?
        var http5xx = 0
        var denialMinute: Int64 = .min
        var inferredFrom: String?
        var lastDenial: Int64 = 0
    }

    struct ServiceState: Sendable, Codable {
        var episodes: [Cause: Episode] = [:]
        var minute5xx: Int64 = .min
        var count5xx = 0
        var lastNews: Int64 = 0
    }

    var services: [ServiceKey: ServiceState] = [:]
    var timers = TimerQueue()

    /// An empty rule.
    public init() {}

    /// Services with state.
    public var trackedServices: Int { services.count }
    /// Earliest timer.
    public var nextDue: Int64? { timers.nextDue }

    // MARK: Signals

    /// Feeds one released signal.
    public mutating func on(_ input: RuleInput, env: RuleEnvironment) -> [RuleAction] {
        switch input.signal.kind {
        case .httpError:
            guard let status = input.signal.detail.status, status >= 500 else { return [] }
            note5xx(input)
            return []
        case .accessDenied, .noCredentials, .executionRoleDenied:
            return denial(input, env: env)
        default:
            return []
        }
    }

    private mutating func note5xx(_ input: RuleInput) {
        let minute = input.signal.time.minuteFloor.milliseconds
        var st = services.removeValue(forKey: input.service) ?? ServiceState()
        if st.minute5xx != minute {
            st.minute5xx = minute
            st.count5xx = 0
        }
        st.count5xx += 1
        for (cause, var ep) in st.episodes where ep.denialMinute == minute {
            ep.http5xx += 1
            st.episodes[cause] = ep
        }
        st.lastNews = max(st.lastNews, input.ms)
        services[input.service] = st
    }

    private mutating func denial(_ input: RuleInput, env: RuleEnvironment) -> [RuleAction] {
        let s = input.signal
        let now = input.ms
        let settings = env.settings.accessDenied
        let (cause, role, session) = Self.classify(s, service: input.service, env: env)
        let key = AlertKey(cause, input.service)
        var st = services.removeValue(forKey: input.service) ?? ServiceState()
        var ep = st.episodes[cause] ?? Episode()
        st.lastNews = max(st.lastNews, now)
        let minute = s.time.minuteFloor.milliseconds
        let item = WindowItem(time: now, evidence: input.evidence, task: s.task)
        var actions: [RuleAction] = []

        if !ep.core.active {
            ep.window.prune(now: now, length: settings.windowSeconds.engineMilliseconds)
            if ep.window.isEmpty { ep = Episode() }
            _ = ep.window.add(item, length: settings.windowSeconds.engineMilliseconds, cap: settings.threshold)
        }
        absorb(&ep, s, role: role, session: session, inferred: input.inferredFrom)
        if ep.denialMinute != minute {
            ep.denialMinute = minute
            if st.minute5xx == minute { ep.http5xx += st.count5xx }
        }
        ep.lastDenial = now
        ep.core.lastSeen = now

        if !ep.core.active {
            if ep.window.count >= max(settings.threshold, 1) {
                ep.core.active = true
                ep.core.firedAt = now
                ep.core.firstSeen = ep.window.firstTime ?? now
                ep.core.count = ep.window.count
                ep.core.lastRefresh = now
                for t in ep.window.tasks { ep.core.addTask(t) }
                let clearDue = now + settings.clearSeconds.engineMilliseconds
                ep.core.clearDue = clearDue
                timers.schedule(TimerKey(key), at: clearDue)
                actions.append(.fire(AlertUpdate(
                    key: key, at: s.time, firstSeen: EventTime(milliseconds: ep.core.firstSeen), lastSeen: s.time,
                    evidence: ep.window.evidence, taskIDs: ep.window.tasks,
                    summary: summary(ep, key, env), remediation: remediation(ep, key, env), figures: figures(ep, key, env))))
                ep.window.removeAll()
            }
        } else {
            ep.core.count += 1
            ep.core.addTask(s.task)
            if ep.core.clearDue == nil {
                let due = now + settings.clearSeconds.engineMilliseconds
                ep.core.clearDue = due
                timers.schedule(TimerKey(key), at: due)
            }
            var ev = EvidenceLog()
            ev.append(input.evidence)
            let refresh = ep.core.takeRefresh(now: now)
            actions.append(.update(AlertUpdate(
                key: key, at: s.time, lastSeen: s.time, evidence: ev, taskIDs: s.task.map { [$0] } ?? [],
                summary: refresh ? summary(ep, key, env) : nil, remediation: refresh ? remediation(ep, key, env) : nil,
                figures: refresh ? figures(ep, key, env) : nil)))
        }
        st.episodes[cause] = ep
        services[input.service] = st
        return actions
    }

    private func absorb(_ ep: inout Episode, _ s: Signal, role: String?, session: String?, inferred: String?) {
        if let a = s.detail.action {
            if ep.action == nil { ep.action = a } else if a != ep.action, !ep.otherActions.contains(a), ep.otherActions.count < 4 {
                ep.otherActions.append(a)
            }
        }
        if ep.resource == nil { ep.resource = s.detail.resource }
        if ep.role == nil { ep.role = role }
        if ep.session == nil { ep.session = session }
        if ep.errorCode == nil { ep.errorCode = s.detail.errorCode }
        if ep.reason == nil { ep.reason = s.detail.reason }
        if ep.inferredFrom == nil { ep.inferredFrom = inferred }
    }

    // MARK: Timers

    /// Evaluates clear timers due at or before `time`.
    public mutating func advance(to time: Int64, env: RuleEnvironment) -> [RuleAction] {
        var actions: [RuleAction] = []
        let clearMs = env.settings.accessDenied.clearSeconds.engineMilliseconds
        while let entry = timers.popDue(notAfter: time) {
            guard let key = entry.key.alertKey, var st = services[key.service], var ep = st.episodes[key.cause], ep.core.active,
                ep.core.clearDue == entry.due
            else { continue }
            let due = ep.lastDenial + clearMs
            if due <= entry.due {
                ep.core.clearDue = nil
                actions.append(.clear(key, at: EventTime(milliseconds: entry.due), summary: clearSummary(ep, key, env)))
            } else {
                ep.core.clearDue = due
                timers.schedule(TimerKey(key), at: due)
            }
            st.episodes[key.cause] = ep
            services[key.service] = st
        }
        return actions
    }

    /// The lifecycle resolved `key`: the episode is over; a new one needs a new threshold crossing.
    public mutating func didResolve(_ key: AlertKey) {
        services[key.service]?.episodes[key.cause] = nil
    }

    /// Evicts services without news since before `cutoff` that have no firing episode; caps the service count.
    public mutating func evict(before cutoff: Int64, maxServices: Int) {
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

    // MARK: Causes

    /// The cause of one denial, the role it names (or the context's task role) and the session.
    public static func classify(_ s: Signal, service: ServiceKey, env: RuleEnvironment)
        -> (cause: Cause, role: String?, session: String?)
    {
        var role = s.detail.role
        var session = s.detail.session
        if let p = s.detail.principal, role == nil || session == nil {
            let parsed = AWSNames.roleAndSession(ofPrincipal: p)
            role = role ?? parsed.role
            session = session ?? parsed.session
        }
        let td = env.taskDefinition(service)
        switch s.kind {
        case .executionRoleDenied:
            return (.executionRoleMissingPermission, role ?? td?.executionRoleArn.map(ServiceContext.roleName(fromArn:)), session)
        case .noCredentials:
            return (.noTaskRole, role, session)
        default:
            break
        }
        if let session, AWSNames.isInstanceID(session) { return (.instanceRoleFallback, role, session) }
        if role == nil, let tr = td?.taskRoleArn { role = ServiceContext.roleName(fromArn: tr) }
        if let role, isExecutionRole(role, service: service, env: env) { return (.executionRoleUsedByApp, role, session) }
        return (.taskRoleMissingPermission, role, session)
    }

    /// Whether `role` is an execution role: its name contains `ExecutionRole` (any case), it is configured as one,
    /// or the context's task definitions use it as execution role (the task definition's own roles decide first).
    public static func isExecutionRole(_ role: String, service: ServiceKey, env: RuleEnvironment) -> Bool {
        if let td = env.taskDefinition(service) {
            let taskRole = td.taskRoleArn.map(ServiceContext.roleName(fromArn:))
            let execRole = td.executionRoleArn.map(ServiceContext.roleName(fromArn:))
            if let execRole, role == execRole { return true }
            if let taskRole, role == taskRole, taskRole != execRole { return false }
        }
        if EngineFormat.containsIgnoringCase(role, "ExecutionRole") { return true }
        if env.settings.accessDenied.executionRoles.contains(where: { $0 == role || ServiceContext.roleName(fromArn: $0) == role }) {
            return true
        }
        return env.context.executionRoleNames.contains(role)
    }

    /// When the context shows the denied action granted on the service's execution role while the denied role is
    /// the task role: the execution role's name (the story's exact mistake).
    static func grantedOnExecutionRole(_ ep: Episode, _ key: AlertKey, _ env: RuleEnvironment) -> String? {
        guard let action = ep.action, let td = env.taskDefinition(key.service), let execArn = td.executionRoleArn else {
            return nil
        }
        let exec = ServiceContext.roleName(fromArn: execArn)
        guard exec != ep.role, env.context.permissions(ofRole: exec)?.allows(action) == true else { return nil }
        if let role = ep.role, let tr = td.taskRoleArn, ServiceContext.roleName(fromArn: tr) != role { return nil }
        return exec
    }

    // MARK: Text

    private func actionText(_ ep: Episode) -> String {
        guard let a = ep.action else { return "" }
        if ep.otherActions.isEmpty { return " on \(a)" }
        return " on \(a) (+\(EngineFormat.plural(ep.otherActions.count, "other action")))"
    }

    func summary(_ ep: Episode, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        let n = ep.core.count
        let code = ep.errorCode ?? "AccessDenied"
        var parts: [String] = []
        switch key.cause {
        case .taskRoleMissingPermission:
            parts.append("\(n) \(code)\(actionText(ep)) as role \(ep.role ?? "(task role)")")
            if let exec = Self.grantedOnExecutionRole(ep, key, env), let a = ep.action {
                parts.append("\(a) is granted on the execution role \(exec) instead of the task role")
            }
        case .executionRoleUsedByApp:
            parts.append("\(n) \(code)\(actionText(ep)) as role \(ep.role ?? "?"), an execution role: the task runs with the execution role as its task role")
        case .noTaskRole:
            parts.append("\(EngineFormat.plural(n, "credential failure"))\(ep.errorCode.map { " (\($0))" } ?? "")\(actionText(ep)): the task has no task role, so the SDK finds no credentials")
        case .instanceRoleFallback:
            parts.append("\(n) \(code)\(actionText(ep)) as the EC2 instance role \(ep.role ?? "?") (session \(ep.session ?? "i-…")): without a task role the SDK fell back to the instance profile")
        case .executionRoleMissingPermission:
            parts.append("\(EngineFormat.plural(n, "agent-side denial")) at task start: the execution role \(ep.role ?? "(execution role)") is denied \(ep.action ?? Self.guessAgentAction(ep.reason) ?? "an action ECS needs")")
        default:
            parts.append("\(n) \(code)\(actionText(ep))")
        }
        if ep.http5xx > 0 { parts.append("\(ep.http5xx) HTTP 5xx in the same minutes") }
        return parts.joined(separator: "; ")
    }

    func clearSummary(_ ep: Episode, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        "No denial for \(EngineFormat.duration(env.settings.accessDenied.clearSeconds)) after \(summary(ep, key, env))"
    }

    func figures(_ ep: Episode, _ key: AlertKey, _ env: RuleEnvironment) -> [Figure] {
        var f = [Figure("denials", String(ep.core.count))]
        if let a = ep.action { f.append(Figure("action", a)) }
        if let r = ep.resource { f.append(Figure("resource", r)) }
        if let r = ep.role { f.append(Figure("role", r)) }
        if let s = ep.session { f.append(Figure("session", s)) }
        if let c = ep.errorCode { f.append(Figure("error code", c)) }
        f.append(Figure("http 5xx in the same minutes", String(ep.http5xx)))
        if let exec = Self.grantedOnExecutionRole(ep, key, env) { f.append(Figure("granted on execution role", exec)) }
        if let i = ep.inferredFrom { f.append(Figure("service inferred from", i)) }
        return f
    }

    static func guessAgentAction(_ reason: String?) -> String? {
        guard let r = reason.map(EngineFormat.lower) else { return nil }
        if r.contains("secretsmanager") || r.contains("secrets manager") { return "secretsmanager:GetSecretValue" }
        if r.contains("ssm") { return "ssm:GetParameters" }
        if r.contains("env file") { return "s3:GetObject" }
        if r.contains("registry auth") || r.contains("ecr") || r.contains("pull") { return "ecr:GetAuthorizationToken" }
        if r.contains("kms") { return "kms:Decrypt" }
        return nil
    }

    static func policyCommand(role: String, policyName: String, action: String, resource: String) -> String {
        let doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\(EngineFormat.jsonString(action)),\"Resource\":\(EngineFormat.jsonString(resource))}]}"
        return "aws iam put-role-policy --role-name \(EngineFormat.shellQuote(role)) --policy-name \(EngineFormat.shellQuote(policyName)) --policy-document '\(doc)'"
    }

    static let executionRoleIsFor =
        "The execution role is for the ECS agent only (pulling images, fetching secrets, writing logs); the application's permissions belong on the task role."

    func remediation(_ ep: Episode, _ key: AlertKey, _ env: RuleEnvironment) -> String {
        let service = env.serviceArgument(key.service)
        let action = ep.action ?? "ACTION"
        let resource = AWSNames.policyResource(for: ep.resource)
        let policyName = "\(service)-\(action.replacing(":", with: "-").replacing("*", with: "all"))"
        let td = env.taskDefinition(key.service)
        let execRole = td?.executionRoleArn.map(ServiceContext.roleName(fromArn:))
        switch key.cause {
        case .taskRoleMissingPermission:
            let role = ep.role ?? td?.taskRoleArn.map(ServiceContext.roleName(fromArn:)) ?? "TASK_ROLE"
            var text = "Grant \(action) on \(resource) to the task role \(role), the role the application's SDK uses: "
                + Self.policyCommand(role: role, policyName: policyName, action: action, resource: resource) + ". "
            if let exec = Self.grantedOnExecutionRole(ep, key, env) {
                text += "Then remove \(action) from the execution role \(exec). "
            }
            return text + Self.executionRoleIsFor
        case .executionRoleUsedByApp:
            let role = "\(service)-task-role"
            return "Create a separate task role for the application and set taskRoleArn to it (keep executionRoleArn = \(ep.role ?? execRole ?? "the execution role") for the agent): "
                + "aws iam create-role --role-name \(role) --assume-role-policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}' && "
                + Self.policyCommand(role: role, policyName: policyName, action: action, resource: resource)
                + "; register a new task definition revision with \"taskRoleArn\": \"arn:aws:iam::ACCOUNT_ID:role/\(role)\" and update the service. "
                + Self.executionRoleIsFor
        case .noTaskRole:
            let role = "\(service)-task-role"
            return "Add a task role: the task definition has no taskRoleArn, so the container gets no AWS credentials (no AWS_CONTAINER_CREDENTIALS_RELATIVE_URI). "
                + "aws iam create-role --role-name \(role) --assume-role-policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}' && "
                + Self.policyCommand(role: role, policyName: policyName, action: action, resource: resource)
                + "; set \"taskRoleArn\": \"arn:aws:iam::ACCOUNT_ID:role/\(role)\" in the task definition, register it and update the service. "
                + Self.executionRoleIsFor
        case .instanceRoleFallback:
            let role = "\(service)-task-role"
            return "Set taskRoleArn on the task definition (EC2 launch type): without it the SDK falls back to the instance profile \(ep.role ?? "of the container instance"), which every task on the host shares — do not grant application permissions there. "
                + "aws iam create-role --role-name \(role) --assume-role-policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}' && "
                + Self.policyCommand(role: role, policyName: policyName, action: action, resource: resource)
                + "; register the task definition with \"taskRoleArn\": \"arn:aws:iam::ACCOUNT_ID:role/\(role)\" and update the service."
        case .executionRoleMissingPermission:
            let role = ep.role ?? execRole ?? "EXECUTION_ROLE"
            let agentAction = ep.action ?? Self.guessAgentAction(ep.reason) ?? "ssm:GetParameters"
            let agentPolicy = "\(service)-\(agentAction.replacing(":", with: "-"))"
            return "Add \(agentAction) on \(AWSNames.policyResource(for: ep.resource)) to the EXECUTION role \(role) — the ECS agent fetches secrets, registry credentials and env files with it before the container starts, so the permission on the task role does not help: "
                + Self.policyCommand(role: role, policyName: agentPolicy, action: agentAction, resource: AWSNames.policyResource(for: ep.resource))
                + ". Typical actions: ssm:GetParameters, secretsmanager:GetSecretValue, ecr:GetAuthorizationToken (+ ecr:BatchGetImage, ecr:GetDownloadUrlForLayer), kms:Decrypt for customer-managed keys."
        default:
            return Self.executionRoleIsFor
        }
    }
}
