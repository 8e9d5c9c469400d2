extension SignalMatcher {
    /// Reads ECS service event messages (aws-formats §1.2–1.3) in the API wording (`(service X) (task Y) …`),
    /// the console wording (`service X port 80 is unhealthy in target-group Y …`), with square brackets
    /// (`service [X]`), the 2015 wording (`service X stopped 1 running tasks.`) and behind deploy-tool prefixes.
    enum ServiceEventParser {
        /// The signal of one service event message, or `nil` for messages that carry none (draining, target
        /// registration, throttling, deployment completed …).
        static func parse(_ t: Text) -> Finding? {
            guard var f = classify(t) else { return nil }
            f.service = serviceName(t).map(t.string)
            let tasks = taskIDs(t)
            f.task = tasks.first
            if tasks.count > 1 { f.detail.otherTasks = Array(tasks.dropFirst()) }
            if f.detail.deployment == nil { f.detail.deployment = parenthesised(t, "(deployment ").map(t.string) }
            return f
        }

        /// The kind of the message and the facts only its wording gives.
        static func classify(_ t: Text) -> Finding? {
            if let p = t.find("is unhealthy in ") {
                var f = Finding(kind: .healthCheckFailed, anchor: p)
                f.detail.origin = "elb"
                f.detail.targetGroup = targetGroup(t, at: p + 16).map(t.string)
                f.detail.reason = parenthesised(t, "(reason ", from: p).map(t.string)
                return f
            }
            if let p = t.find("failed container health checks") {
                var f = Finding(kind: .healthCheckFailed, anchor: p)
                f.detail.origin = "container"
                f.detail.reason = "failed container health checks"
                return f
            }
            if let p = t.find("failed to launch a task") {
                let error = parenthesised(t, "(error ", from: p) ?? t.trimmed(p..<t.count, trailing: ".")
                let e = Text(t.slice(error))
                var f = Finding(kind: .startFailure, anchor: p)
                if e.contains("AccessDenied") || e.contains("not authorized to perform") {
                    let denial = AccessDeniedParser.details(e)
                    f.kind = .executionRoleDenied
                    f.detail.action = denial.action
                    f.detail.resource = denial.resource
                    f.detail.principal = denial.principal
                    f.detail.role = denial.role
                    f.detail.session = denial.session
                    f.detail.errorCode = AccessDeniedParser.errorCode(e)
                        ?? AccessDeniedParser.recognise(e).flatMap { $0.token.map(e.string) }
                } else if let r = e.find("the role '") {
                    let s = r + 10
                    let arn = s..<e.scan(from: s) { $0 == UInt8(ascii: "'") }
                    f.detail.role = AccessDeniedParser.roleAndSession(e, principal: arn).0 ?? e.nonEmptyString(arn)
                }
                f.detail.reason = e.nonEmptyString(0..<e.count)
                return f
            }
            if let p = t.find("is unable to consistently start tasks") {
                var f = Finding(kind: .startFailure, anchor: p)
                f.detail.reason = "unable to consistently start tasks successfully"
                return f
            }
            if let p = t.find("was unable to place a task") {
                var f = Finding(kind: .placementFailure, anchor: p)
                f.detail.reason = placementReason(t, after: p + 26)
                return f
            }
            if let p = t.find("deployment failed") {
                var f = Finding(kind: .startFailure, anchor: p)
                var s = p + 17
                if t.at(s) == UInt8(ascii: ":") { s += 1 }
                f.detail.reason = t.nonEmptyString(t.trimmed(s..<t.line(containing: p).upperBound, trailing: "."))
                    ?? "deployment failed"
                return f
            }
            if let (n, p) = count(t, after: "started ", before: " task") {
                var f = Finding(kind: .taskStarted, anchor: p)
                f.detail.taskCount = n
                return f
            }
            if let (n, p) = count(t, after: "stopped ", before: " running task") {
                var f = Finding(kind: .taskStopped, anchor: p)
                f.detail.taskCount = n
                return f
            }
            if let p = t.find("has reached a steady state") { return Finding(kind: .steadyState, anchor: p) }
            return nil
        }

        /// The service name: `(service NAME)`, `(service NAME, taskSet …)`, `service [NAME]` or `service NAME`.
        static func serviceName(_ t: Text) -> Range<Int>? {
            if let p = t.find("(service ") {
                let s = p + 9
                let e = t.scan(from: s) { $0 == UInt8(ascii: ")") || $0 == UInt8(ascii: ",") || Text.isSpace($0) }
                return e > s ? s..<e : nil
            }
            if let p = t.find("service [") {
                let s = p + 9
                let e = t.scan(from: s) { $0 == UInt8(ascii: "]") || Text.isSpace($0) }
                return e > s ? s..<e : nil
            }
            var i = 0
            while let p = t.find("service ", from: i) {
                i = p + 1
                guard p == 0 || !Text.isIdentifier(t[p - 1]) && t[p - 1] != UInt8(ascii: "-") else { continue }
                var s = p + 8
                var e = t.scan(from: s, until: Text.isSpace)
                if t.at(s) == UInt8(ascii: "("), e > s + 1, t[e - 1] == UInt8(ascii: ")") { s += 1; e -= 1 }
                let r = t.trimmed(s..<e, trailing: ".,")
                if !r.isEmpty { return r }
            }
            return nil
        }

        /// Task ids named as `(task ID)` or `task ID`, in order.
        static func taskIDs(_ t: Text) -> [TaskID] {
            var ids: [TaskID] = []
            var i = 0
            while let p = t.find("task ", from: i) {
                i = p + 1
                guard p == 0 || !Text.isIdentifier(t[p - 1]) else { continue }
                let s = p + 5
                let e = t.scan(from: s) { !(Text.isHex($0) || $0 == UInt8(ascii: "-")) }
                if let id = TaskID(bytes: t.slice(s..<e)), !ids.contains(id) { ids.append(id) }
            }
            return ids
        }

        /// The target group after `is unhealthy in `: `(target-group ARN)`, `target-group NAME` or `(elb NAME)`.
        static func targetGroup(_ t: Text, at i: Int) -> Range<Int>? {
            let s = t.skip(from: i, " ")
            if t.has("(target-group ", at: s) || t.has("(elb ", at: s) {
                let v = t.scan(from: s + 1, until: Text.isSpace) + 1
                let e = t.scan(from: v) { $0 == UInt8(ascii: ")") || Text.isSpace($0) }
                return e > v ? v..<e : nil
            }
            if t.has("target-group ", at: s) {
                let v = s + 13
                let e = t.scan(from: v, until: Text.isSpace)
                return e > v ? v..<e : nil
            }
            return nil
        }

        /// The text inside `open … )`, nested parentheses allowed; to the end of the line when unclosed.
        static func parenthesised(_ t: Text, _ open: StaticString, from: Int = 0) -> Range<Int>? {
            guard let p = t.find(open, from: from) else { return nil }
            let s = p + open.utf8CodeUnitCount
            let e = t.closingParenthesis(from: s) ?? t.line(containing: s).upperBound
            let r = t.trimmed(s..<e, trailing: ".")
            return r.isEmpty ? nil : r
        }

        /// `WORD N SUFFIX`: N and the offset of WORD.
        static func count(_ t: Text, after word: StaticString, before suffix: StaticString) -> (Int, Int)? {
            var i = 0
            while let p = t.find(word, from: i) {
                i = p + 1
                if let (n, end) = t.unsigned(at: p + word.utf8CodeUnitCount), t.has(suffix, at: end) { return (n, p) }
            }
            return nil
        }

        /// Why a task could not be placed: the `Reason: …` sentence, the `closest matching` sentence, or the rest.
        static func placementReason(_ t: Text, after i: Int) -> String? {
            let lineEnd = t.line(containing: i).upperBound
            let end = t.find(" For more information", from: i, before: lineEnd) ?? lineEnd
            if let r = t.find("Reason: ", from: i, before: end) {
                return t.nonEmptyString(t.trimmed((r + 8)..<end, trailing: "."))
            }
            if let c = t.find("The closest matching", from: i, before: end) {
                return t.nonEmptyString(t.trimmed(c..<end, trailing: "."))
            }
            var s = t.skip(from: i, " .")
            if t.has("because ", at: s) { s += 8 }
            return t.nonEmptyString(t.trimmed(s..<end, trailing: "."))
        }

        /// The service and target group a message ties together (registration, deregistration, unhealthy).
        static func targetGroupBinding(_ t: Text) -> (service: String, targetGroup: String)? {
            guard let service = serviceName(t) else { return nil }
            var i = 0
            while let p = t.find("target-group ", from: i) {
                i = p + 1
                let s = t.at(p - 1) == UInt8(ascii: "(") ? p - 1 : p
                if let g = targetGroup(t, at: s) { return (t.string(service), t.string(g)) }
            }
            return nil
        }
    }
}
