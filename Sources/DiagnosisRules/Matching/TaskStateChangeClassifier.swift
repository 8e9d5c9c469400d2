extension SignalMatcher {
    /// Reads EventBridge events from `aws.ecs` (aws-formats §2): task state changes (classified by stop reason,
    /// stop code and container exits), service actions and deployment state changes.
    enum TaskStateChangeClassifier {
        /// One container of a task state change.
        struct Container {
            var name: String?
            var exitCode: Int?
            /// `reason` (bytes of the event, still JSON-escaped).
            var reason: Range<Int>?
        }

        /// The signal of one EventBridge event object, or `nil`.
        static func parse(_ bytes: UnsafeRawBufferPointer) -> Finding? {
            let s = JSONScanner(bytes)
            let root = s.skipSpace(0)
            guard root < bytes.count, bytes[root] == UInt8(ascii: "{") else { return nil }
            var detailType: JSONValue?
            var detail: JSONValue?
            var resources: JSONValue?
            s.forEachMember(ofObjectAt: root) { k, v in
                if s.key(k, equals: "detail-type") { detailType = v }
                else if s.key(k, equals: "detail") { detail = v }
                else if s.key(k, equals: "resources") { resources = v }
                return true
            }
            guard let type = detailType, let detail, detail.kind == .object else { return nil }
            if s.key(type.range, equals: "ECS Task State Change") { return taskStateChange(s, detail: detail) }
            if s.key(type.range, equals: "ECS Service Action") {
                return serviceAction(s, detail: detail, resources: resources)
            }
            if s.key(type.range, equals: "ECS Deployment State Change") {
                return deploymentStateChange(s, detail: detail, resources: resources)
            }
            return nil
        }

        // MARK: Task state change

        /// `task-running` for RUNNING, a classified stop for STOPPED, `nil` for the states in between.
        static func taskStateChange(_ s: JSONScanner, detail: JSONValue) -> Finding? {
            var lastStatus: JSONValue?, clusterArn: JSONValue?, group: JSONValue?, taskArn: JSONValue?
            var startedAt: JSONValue?, stoppedAt: JSONValue?, stoppedReason: JSONValue?, stopCode: JSONValue?
            var containers: JSONValue?, startedBy: JSONValue?
            s.forEachMember(ofObjectAt: detail.range.lowerBound) { k, v in
                if s.key(k, equals: "lastStatus") { lastStatus = v }
                else if s.key(k, equals: "clusterArn") { clusterArn = v }
                else if s.key(k, equals: "group") { group = v }
                else if s.key(k, equals: "taskArn") { taskArn = v }
                else if s.key(k, equals: "startedAt") { startedAt = v }
                else if s.key(k, equals: "stoppedAt") { stoppedAt = v }
                else if s.key(k, equals: "stoppedReason") { stoppedReason = v }
                else if s.key(k, equals: "stopCode") { stopCode = v }
                else if s.key(k, equals: "containers") { containers = v }
                else if s.key(k, equals: "startedBy") { startedBy = v }
                return true
            }
            guard let lastStatus else { return nil }
            let running = s.key(lastStatus.range, equals: "RUNNING")
            guard running || s.key(lastStatus.range, equals: "STOPPED") else { return nil }

            var f: Finding
            if running {
                f = Finding(kind: .taskRunning)
            } else {
                let list = containers.map { parseContainers(s, $0) } ?? []
                f = classifyStop(s, reason: stoppedReason?.range, stopCode: stopCode?.range, containers: list)
                f.detail.stopCode = stopCode.map(s.string)
                if f.detail.reason == nil { f.detail.reason = stoppedReason.map(s.string) }
                f.detail.stoppedAt = stoppedAt.flatMap(s.time)
            }
            f.detail.startedAt = startedAt.flatMap(s.time)
            if let group {
                let text = s.string(group)
                f.detail.group = text
                if text.hasPrefix("service:") { f.service = String(text.dropFirst(8)) }
            }
            if let clusterArn { f.cluster = lastPathComponent(s, clusterArn.range) }
            if let taskArn { f.task = TaskID.suffix(of: s.slice(taskArn.range)) }
            if let startedBy, s.slice(startedBy.range).starts(with: "ecs-svc/".utf8) {
                f.detail.deployment = s.string(startedBy)
            }
            return f
        }

        /// The containers of a task (name, exit code, reason).
        static func parseContainers(_ s: JSONScanner, _ array: JSONValue) -> [Container] {
            guard array.kind == .array else { return [] }
            var list: [Container] = []
            s.forEachElement(ofArrayAt: array.range.lowerBound) { element in
                guard element.kind == .object else { return true }
                var c = Container()
                s.forEachMember(ofObjectAt: element.range.lowerBound) { k, v in
                    if s.key(k, equals: "name") { c.name = s.string(v) }
                    else if s.key(k, equals: "exitCode"), v.kind == .number { c.exitCode = s.double(v).map { Int($0) } }
                    else if s.key(k, equals: "reason"), v.kind == .string { c.reason = v.range }
                    return true
                }
                list.append(c)
                return true
            }
            return list
        }

        /// The failure class of a STOPPED task, most specific first (aws-formats §2.2; reasons are matched by
        /// prefix and without regard to case, as Fargate trims them to ~128 characters and spellings vary).
        static func classifyStop(
            _ s: JSONScanner, reason: Range<Int>?, stopCode: Range<Int>?, containers: [Container]
        ) -> Finding {
            let stopped = Text(reason.map(s.slice) ?? UnsafeRawBufferPointer(start: nil, count: 0))
            let code = stopCode.map { Text(s.slice($0)) }
            /// The first text among the stop reason and the container reasons that contains `phrase`.
            func reasonText(containing phrase: StaticString) -> (Text, Container?)? {
                if stopped.containsCaseInsensitive(phrase) { return (stopped, nil) }
                for c in containers {
                    guard let r = c.reason else { continue }
                    let t = Text(s.slice(r))
                    if t.containsCaseInsensitive(phrase) { return (t, c) }
                }
                return nil
            }
            func finding(_ kind: SignalKind, _ failure: TaskFailureClass?, _ container: Container?) -> Finding {
                var f = Finding(kind: kind)
                f.detail.failureClass = failure
                let c = container ?? containers.first { $0.exitCode != nil } ?? containers.first
                f.detail.container = c?.name
                f.detail.exitCode = c?.exitCode
                return f
            }
            func denialDetails(_ f: inout Finding, _ t: Text) {
                let d = AccessDeniedParser.details(t)
                f.detail.action = d.action
                f.detail.resource = d.resource
                f.detail.principal = d.principal
                f.detail.role = d.role
                f.detail.session = d.session
                if let (_, token) = AccessDeniedParser.recognise(t), let token { f.detail.errorCode = t.string(token) }
            }

            for phrase in oomPhrases {
                if let (t, c) = reasonText(containing: phrase) {
                    var f = finding(.oom, .oom, c)
                    f.detail.reason = JSONString.unescape(t.bytes)
                    return f
                }
            }
            for phrase in loggerPhrases {
                if let (t, c) = reasonText(containing: phrase) {
                    var f = finding(.loggerError, .loggerFailure, c)
                    if t.contains("not authorized to perform") { denialDetails(&f, t) }
                    f.detail.reason = JSONString.unescape(t.bytes)
                    return f
                }
            }
            for phrase in agentPhrases {
                if let (t, c) = reasonText(containing: phrase),
                   t.contains("AccessDenied") || t.contains("Access Denied")
                    || t.contains("not authorized to perform") {
                    var f = finding(.executionRoleDenied, .executionRoleDenied, c)
                    denialDetails(&f, t)
                    f.detail.reason = JSONString.unescape(t.bytes)
                    return f
                }
            }
            if let (t, c) = reasonText(containing: "CannotPullContainerError") {
                var f = finding(.imagePullError, .startFailure, c)
                f.detail.reason = JSONString.unescape(t.bytes)
                return f
            }
            if let p = stopped.findCaseInsensitive("Task failed ELB health checks") {
                var f = finding(.taskStopped, .elbHealthCheck, nil)
                let after = p + 29 + (stopped.has(" in ", at: p + 29) ? 4 : 0)
                f.detail.targetGroup = ServiceEventParser.targetGroup(stopped, at: after).map(stopped.string)
                return f
            }
            if stopped.containsCaseInsensitive("Task failed container health checks") {
                return finding(.taskStopped, .containerHealthCheck, nil)
            }
            for phrase in startFailurePhrases {
                if let (t, c) = reasonText(containing: phrase) {
                    var f = finding(.startFailure, .startFailure, c)
                    f.detail.reason = JSONString.unescape(t.bytes)
                    return f
                }
            }
            if let code, code.has("TaskFailedToStart", at: 0) { return finding(.startFailure, .startFailure, nil) }
            if let code, isBenign(stopCode: code) { return finding(.taskStopped, .benign, nil) }
            for phrase in benignPhrases where stopped.containsCaseInsensitive(phrase) {
                return finding(.taskStopped, .benign, nil)
            }
            if stopped.containsCaseInsensitive("Essential container in task exited")
                || code.map({ $0.has("EssentialContainerExited", at: 0) }) == true {
                return essentialExit(containers, finding: finding)
            }
            return finding(.taskStopped, nil, nil)
        }

        /// `Essential container in task exited`: a crash when an essential container exited non-zero, a completed
        /// batch task when it exited 0. Which container is essential is not in the event, so any container counts,
        /// except that exits 137/143 beside a container that exited 0 are taken as the stop signal ECS sent to
        /// the other containers after the essential one finished.
        static func essentialExit(
            _ containers: [Container], finding: (SignalKind, TaskFailureClass?, Container?) -> Finding
        ) -> Finding {
            let someCompleted = containers.contains { $0.exitCode == 0 }
            let crashed = containers.first {
                guard let code = $0.exitCode, code != 0 else { return false }
                return !(someCompleted && (code == 137 || code == 143))
            }
            if let crashed { return finding(.containerExit, .crash, crashed) }
            if someCompleted { return finding(.taskStopped, .completed, containers.first { $0.exitCode == 0 }) }
            return finding(.containerExit, .crash, nil)
        }

        /// Whether a stop code is a user stop or a Spot interruption.
        static func isBenign(stopCode code: Text) -> Bool {
            benignStopCodes.contains { code.count == $0.utf8CodeUnitCount && code.has($0, at: 0) }
        }

        static let oomPhrases: [StaticString] = ["OutOfMemoryError", "OOM-killed", "OOMKilled"]
        static let loggerPhrases: [StaticString] = [
            "failed to validate logger args", "failed to initialize logging driver", "log group does not exist",
            "cannot find the Amazon CloudWatch log group",
        ]
        /// Agent-side retrievals that use the task execution role.
        static let agentPhrases: [StaticString] = [
            "unable to pull secrets or registry auth", "failed to download env files", "unable to retrieve secret",
            "CannotPullContainerError", "ResourceInitializationError",
        ]
        static let startFailurePhrases: [StaticString] = [
            "ResourceInitializationError", "CannotStartContainerError", "CannotCreateContainerError",
            "CannotInspectContainerError", "Timeout waiting for network interface provisioning",
        ]
        static let benignStopCodes: [StaticString] = ["UserInitiated", "SpotInterruption", "TerminationNotice"]
        static let benignPhrases: [StaticString] = [
            "Scaling activity initiated by", "Task stopped by user", "Your Spot Task was interrupted",
            "ECS is performing maintenance", "Host EC2", "Container instance deregistration forced by user",
        ]

        // MARK: Service action and deployment

        /// `ECS Service Action`: steady state, start impaired, placement failure, desired count updated.
        static func serviceAction(_ s: JSONScanner, detail: JSONValue, resources: JSONValue?) -> Finding? {
            guard let name = s.member("eventName", ofObjectAt: detail.range.lowerBound) else { return nil }
            var f: Finding
            if s.key(name.range, equals: "SERVICE_STEADY_STATE") { f = Finding(kind: .steadyState) }
            else if s.key(name.range, equals: "SERVICE_TASK_START_IMPAIRED") {
                f = Finding(kind: .startFailure)
                f.detail.reason = "SERVICE_TASK_START_IMPAIRED"
            } else if s.key(name.range, equals: "SERVICE_TASK_PLACEMENT_FAILURE") {
                f = Finding(kind: .placementFailure)
                f.detail.reason = s.member("reason", ofObjectAt: detail.range.lowerBound).map(s.string)
                    ?? "SERVICE_TASK_PLACEMENT_FAILURE"
            } else if s.key(name.range, equals: "SERVICE_DESIRED_COUNT_UPDATED") { f = Finding(kind: .serviceCounts) }
            else { return nil }
            identifyService(s, &f, detail: detail, resources: resources)
            return f
        }

        /// `ECS Deployment State Change`: only `SERVICE_DEPLOYMENT_FAILED` (a start failure).
        static func deploymentStateChange(_ s: JSONScanner, detail: JSONValue, resources: JSONValue?) -> Finding? {
            guard let name = s.member("eventName", ofObjectAt: detail.range.lowerBound),
                  s.key(name.range, equals: "SERVICE_DEPLOYMENT_FAILED")
            else { return nil }
            var f = Finding(kind: .startFailure)
            f.detail.reason = s.member("reason", ofObjectAt: detail.range.lowerBound).map(s.string)
                ?? "SERVICE_DEPLOYMENT_FAILED"
            f.detail.deployment = s.member("deploymentId", ofObjectAt: detail.range.lowerBound).map(s.string)
            identifyService(s, &f, detail: detail, resources: resources)
            return f
        }

        /// Service and cluster from the service ARN in `resources` (`service/NAME` or `service/CLUSTER/NAME`) and
        /// `detail.clusterArn`.
        static func identifyService(_ s: JSONScanner, _ f: inout Finding, detail: JSONValue, resources: JSONValue?) {
            if let resources, resources.kind == .array {
                s.forEachElement(ofArrayAt: resources.range.lowerBound) { v in
                    let t = Text(s.slice(v.range))
                    guard v.kind == .string, let p = t.find(":service/") else { return true }
                    let path = (p + 9)..<t.count
                    if let slash = t.find("/", from: path.lowerBound) {
                        f.cluster = t.string(path.lowerBound..<slash)
                        f.service = t.nonEmptyString((slash + 1)..<t.count)
                    } else {
                        f.service = t.nonEmptyString(path)
                    }
                    return false
                }
            }
            if f.cluster == nil, let arn = s.member("clusterArn", ofObjectAt: detail.range.lowerBound) {
                f.cluster = lastPathComponent(s, arn.range)
            }
        }

        /// The part of an ARN after its last `/` (`…:cluster/NAME` → `NAME`).
        static func lastPathComponent(_ s: JSONScanner, _ range: Range<Int>) -> String? {
            var i = range.upperBound
            while i > range.lowerBound, s.bytes[i - 1] != UInt8(ascii: "/") { i -= 1 }
            return i < range.upperBound ? String(decoding: s.slice(i..<range.upperBound), as: UTF8.self) : nil
        }
    }
}
