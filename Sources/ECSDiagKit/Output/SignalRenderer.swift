import DiagnosisRules

/// Renders what the matcher recognised, for `ecsdiagd signals` (like `fail2ban-regex` for filters).
public enum SignalRenderer {
    /// `{source, time, signal, problem, service, cluster, task, detail}` on one line.
    public static func json(_ s: Signal) -> String {
        var j = JSONText()
        j.openObject()
        j.string("source", s.sourceText)
        j.string("time", s.time.rfc3339)
        j.string("signal", s.kind.rawValue)
        j.bool("problem", s.isProblem)
        j.string("service", s.service)
        j.string("cluster", s.cluster)
        j.string("task", s.task?.description)
        j.openObject("detail")
        for (key, value) in fields(of: s.detail) {
            switch value {
            case .text(let v): j.string(key, v)
            case .integer(let v): j.int(key, v)
            case .number(let v): j.number(key, v)
            }
        }
        j.closeObject()
        j.closeObject()
        return j.text
    }

    /// One line for people: time, source, signal, identity and the detail fields.
    public static func text(_ s: Signal) -> String {
        var out = "\(s.time.rfc3339) \(TerminalText.sanitize(s.sourceText)) \(s.kind.rawValue)\(s.isProblem ? " (problem)" : "")"
        if let service = s.service { out += " service=\(TerminalText.sanitize(service))" }
        if let cluster = s.cluster { out += " cluster=\(TerminalText.sanitize(cluster))" }
        if let task = s.task { out += " task=\(task)" }
        for (key, value) in fields(of: s.detail) {
            switch value {
            case .text(let v): out += " \(key)=\(TerminalText.sanitize(v, limit: 160).debugDescription)"
            case .integer(let v): out += " \(key)=\(v)"
            case .number(let v): out += " \(key)=\(JSONText.format(v))"
            }
        }
        return out
    }

    enum Value { case text(String), integer(Int), number(Double) }

    /// The detail's set fields, in a fixed order.
    static func fields(of d: SignalDetail) -> [(String, Value)] {
        var f: [(String, Value)] = []
        func add(_ k: String, _ v: String?) { if let v { f.append((k, .text(v))) } }
        func add(_ k: String, _ v: Int?) { if let v { f.append((k, .integer(v))) } }
        func add(_ k: String, _ v: Double?) { if let v { f.append((k, .number(v))) } }
        add("action", d.action)
        add("resource", d.resource)
        add("principal", d.principal)
        add("role", d.role)
        add("session", d.session)
        add("errorCode", d.errorCode)
        add("failureClass", d.failureClass?.rawValue)
        add("reason", d.reason)
        add("stopCode", d.stopCode)
        add("exitCode", d.exitCode)
        add("container", d.container)
        add("group", d.group)
        add("startedAt", d.startedAt?.rfc3339)
        add("stoppedAt", d.stoppedAt?.rfc3339)
        add("taskCount", d.taskCount)
        if let others = d.otherTasks, !others.isEmpty { add("otherTasks", others.map(\.description).joined(separator: ",")) }
        add("targetGroup", d.targetGroup)
        add("deployment", d.deployment)
        add("status", d.status)
        add("seconds", d.seconds)
        add("origin", d.origin)
        add("cpuPercent", d.cpuPercent)
        add("memoryPercent", d.memoryPercent)
        add("desiredCount", d.desiredCount)
        add("runningCount", d.runningCount)
        add("startupSeconds", d.startupSeconds)
        return f
    }
}
