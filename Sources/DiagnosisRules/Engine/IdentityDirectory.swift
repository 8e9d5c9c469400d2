/// Who a task is: task → (service, cluster, container, log group), learned from the records that say both
/// (EventBridge task events, service events `(service X) … (task Y)`, Container Insights TaskId + ServiceName) and
/// from awslogs stream names; bounded and evicted by event time.
public struct IdentityDirectory: Sendable, Codable {
    /// What is known about one task.
    public struct TaskIdentity: Sendable, Codable, Equatable {
        public var service: String?
        public var cluster: String?
        /// Container name from the awslogs stream (`prefix/container/taskId`).
        public var container: String?
        public var logGroup: String?
        /// Latest event time with news about the task, ms.
        public var lastSeen: Int64
        /// The service named by `logGroup` (`/ecs/orders-api` → `orders-api`), derived once when the log group is
        /// learned rather than on every lookup.
        public var logGroupService: String? = nil
        /// `IdentityDirectory.serviceKeyID(ofTask:)`'s answer (−1: none), computed at `cacheStamp` (0: none) from
        /// the side maps' entries for log group `cacheGroup` and service `cacheName` (interned ids, −1: not
        /// consulted); not persisted.
        var cachedKey: Int32 = -1
        var cacheGroup: Int32 = -1
        var cacheName: Int32 = -1
        var cacheStamp: UInt64 = 0

        enum CodingKeys: String, CodingKey { case service, cluster, container, logGroup, lastSeen, logGroupService }

        public static func == (a: TaskIdentity, b: TaskIdentity) -> Bool {
            a.service == b.service && a.cluster == b.cluster && a.container == b.container && a.logGroup == b.logGroup
                && a.lastSeen == b.lastSeen && a.logGroupService == b.logGroupService
        }
    }

    /// How a signal's service was found.
    public struct Resolution: Sendable, Equatable {
        public var service: ServiceKey
        /// Nil when the record or a task event named the service; else how it was guessed.
        public var inferredFrom: String?
    }

    /// Most services remembered in the side maps.
    public static let maxServices = 10_000

    /// Tasks by id.
    public private(set) var tasks = TaskMap<TaskIdentity>()
    /// Service name → cluster ("" when two clusters run a service of that name).
    public private(set) var serviceClusters: [String: String] = [:]
    /// Log group → the service whose tasks write it (learned when a stream's task has a known service).
    public private(set) var logGroupServices: [String: String] = [:]
    /// An AWS region seen in an ARN, for commands and snippets.
    public private(set) var region: String?

    /// No task's `lastSeen` is below this (a lower bound, not persisted): a sweep that cannot evict skips its scan.
    private var lastSeenFloor: Int64 = .min
    /// Log groups seen lately, by the FNV-1a hash of their bytes (not persisted).
    private var recentLogGroups: [UInt64: (name: String, service: String?)] = [:]
    /// The resolution cache's bookkeeping (not persisted). Task entries cache their resolved service key with the
    /// clock value it was computed at; an entry's own changes clear its cache, and a side-map change stamps the log
    /// group or service it concerns, so only the entries that consulted it recompute.
    private(set) var interned = ServiceInterner()
    private var clock: UInt64 = 1
    /// Caches computed before this are void (a side map was cleared, or the interner renumbered).
    private var validFrom: UInt64 = 1
    /// When each log group's `logGroupServices` entry last changed, by interned group id.
    private var groupChanged: [UInt64] = []
    /// When each service's `serviceClusters` entry last changed, by interned name id.
    private var nameChanged: [UInt64] = []

    enum CodingKeys: String, CodingKey { case tasks, serviceClusters, logGroupServices, region }

    /// An empty directory.
    public init() {}

    /// Number of tasks tracked.
    public var count: Int { tasks.count }

    /// Learns that `task` belongs to `service` (and `cluster`).
    public mutating func learn(task: TaskID, service: String?, cluster: String?, at time: Int64) {
        let service = (service?.isEmpty ?? true) ? nil : service
        let cluster = (cluster?.isEmpty ?? true) ? nil : cluster
        if let i = tasks.slot(of: task) {
            // Fast path: nothing new about the task.
            if (service == nil || tasks[slot: i].service == service) && (cluster == nil || tasks[slot: i].cluster == cluster) {
                if time > tasks[slot: i].lastSeen { tasks[slot: i].lastSeen = time }
                return
            }
        }
        var entry = tasks[task] ?? TaskIdentity(service: nil, cluster: nil, container: nil, logGroup: nil, lastSeen: time)
        if let service { entry.service = service }
        if let cluster { entry.cluster = cluster }
        entry.lastSeen = max(entry.lastSeen, time)
        entry.cacheStamp = 0
        lastSeenFloor = min(lastSeenFloor, entry.lastSeen)
        tasks[task] = entry
        if let s = entry.service {
            if let c = entry.cluster { learnCluster(c, of: s) }
            if let lg = entry.logGroup { learnLogGroup(lg, service: s) }
        }
    }

    /// Learns a task's log group and awslogs stream (first record of a stream).
    public mutating func learnStream(task: TaskID, logGroup: String?, logStream: String?, at time: Int64) {
        learnStream(
            task: task, logGroup: logGroup, logGroupService: nil,
            container: logStream.flatMap { AWSNames.containerName(fromStream: $0) }, at: time)
    }

    /// `learnStream(task:logGroup:logStream:at:)` from a record's UTF-8 bytes (empty: absent): the stream's name is
    /// never built, and a log group seen lately is neither built nor parsed again.
    public mutating func learnStream(
        task: TaskID, logGroupBytes: UnsafeRawBufferPointer, logStreamBytes: UnsafeRawBufferPointer, at time: Int64
    ) {
        let group = logGroupBytes.isEmpty ? nil : recentLogGroup(logGroupBytes)
        learnStream(
            task: task, logGroup: group?.name, logGroupService: group.map { $0.service },
            container: logStreamBytes.isEmpty ? nil : AWSNames.containerName(fromStream: logStreamBytes), at: time)
    }

    /// - Parameter logGroupService: the service `logGroup` names, when already derived (`.some(nil)`: none).
    private mutating func learnStream(
        task: TaskID, logGroup: String?, logGroupService: String??, container: String?, at time: Int64
    ) {
        let i = tasks.slot(of: task)
        var entry = i.map { tasks[slot: $0] }
            ?? TaskIdentity(service: nil, cluster: nil, container: nil, logGroup: nil, lastSeen: time)
        if let logGroup, !logGroup.isEmpty, entry.logGroup != logGroup {
            entry.logGroup = logGroup
            entry.logGroupService = logGroupService ?? AWSNames.serviceName(fromLogGroup: logGroup)
        }
        if let container { entry.container = container }
        entry.lastSeen = max(entry.lastSeen, time)
        entry.cacheStamp = 0
        lastSeenFloor = min(lastSeenFloor, entry.lastSeen)
        if let i { tasks[slot: i] = entry } else { tasks.insertNew(task, entry) }
        if let s = entry.service, let lg = entry.logGroup { learnLogGroup(lg, service: s) }
    }

    /// The log group of `bytes` and the service it names, from `recentLogGroups` when seen lately. Tasks of one
    /// group then share one string.
    private mutating func recentLogGroup(_ bytes: UnsafeRawBufferPointer) -> (name: String, service: String?) {
        let hash = ByteHash.fnv1a(bytes)
        if let known = recentLogGroups[hash], Self.hasBytes(known.name, bytes) { return known }
        let name = String(decoding: bytes, as: UTF8.self)
        let group = (name: name, service: AWSNames.serviceName(fromLogGroup: name))
        if recentLogGroups.count >= Self.maxServices { recentLogGroups.removeAll() }
        recentLogGroups[hash] = group
        return group
    }

    private static func hasBytes(_ text: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.count == bytes.count else { return false }
            for i in 0..<utf8.count where utf8[i] != bytes[i] { return false }
            return true
        }
    }

    /// Learns that `service` runs in `cluster`.
    public mutating func learnCluster(_ cluster: String, of service: String) {
        guard !cluster.isEmpty, !service.isEmpty else { return }
        if let known = serviceClusters[service] {
            if known != cluster, !known.isEmpty {
                serviceClusters[service] = ""
                clusterChanged(of: service)
            }
            return
        }
        if serviceClusters.count >= Self.maxServices {
            serviceClusters.removeAll()
            voidCaches()
        }
        serviceClusters[service] = cluster
        clusterChanged(of: service)
    }

    /// Learns a region from an ARN.
    public mutating func learnRegion(fromArn arn: String?) {
        guard region == nil, let arn, let r = AWSNames.region(ofArn: arn) else { return }
        region = r
    }

    private mutating func learnLogGroup(_ group: String, service: String) {
        guard logGroupServices[group] != service else { return }
        if logGroupServices.count >= Self.maxServices {
            logGroupServices.removeAll()
            voidCaches()
        }
        logGroupServices[group] = service
        serviceChanged(ofLogGroup: group)
    }

    /// Learns what a signal says about identity (task ↔ service ↔ cluster, region).
    public mutating func learn(from signal: Signal) {
        let t = signal.time.milliseconds
        if let service = signal.service, !service.isEmpty {
            if let task = signal.task { learn(task: task, service: service, cluster: signal.cluster, at: t) }
            if let others = signal.detail.otherTasks {
                for task in others { learn(task: task, service: service, cluster: signal.cluster, at: t) }
            }
            if signal.task == nil, let c = signal.cluster { learnCluster(c, of: service) }
        } else if let task = signal.task, let cluster = signal.cluster, !cluster.isEmpty {
            learn(task: task, service: nil, cluster: cluster, at: t)
        }
        if let task = signal.task, signal.logGroup != nil || signal.logStream != nil,
           tasks.slot(of: task).map({ tasks[slot: $0].logGroup == nil }) ?? true {
            learnStream(task: task, logGroup: signal.logGroup, logStream: signal.logStream, at: t)
        }
        if region == nil {
            learnRegion(fromArn: signal.detail.targetGroup)
            learnRegion(fromArn: signal.detail.resource)
        }
    }

    /// The service of a signal: the record's own, its task's, else a fallback from the log group
    /// (`/ecs/orders-api` → `orders-api`) or the awslogs stream (`prefix/container/taskId` → `container`).
    public func resolve(_ signal: Signal) -> Resolution {
        let entry = signal.task.flatMap { tasks[$0] }
        var inferred: String?
        var service = signal.service ?? ""
        if service.isEmpty, let s = entry?.service { service = s }
        if service.isEmpty, let lg = signal.logGroup ?? entry?.logGroup {
            if let s = logGroupServices[lg] {
                service = s
            } else if let s = AWSNames.serviceName(fromLogGroup: lg) {
                service = s
                inferred = "log group \(lg)"
            }
        }
        if service.isEmpty {
            if let stream = signal.logStream, let c = AWSNames.containerName(fromStream: stream) {
                service = c
                inferred = "log stream \(stream)"
            } else if let c = entry?.container {
                service = c
                inferred = "container \(c)"
            }
        }
        var cluster = signal.cluster ?? entry?.cluster
        if cluster == nil, !service.isEmpty, let c = serviceClusters[service], !c.isEmpty { cluster = c }
        return Resolution(service: ServiceKey(cluster: cluster, service: service), inferredFrom: inferred)
    }

    /// Whether the task's log group or awslogs container is known (one lookup, nothing copied).
    public func knowsStream(of task: TaskID) -> Bool {
        guard let i = tasks.slot(of: task) else { return false }
        return tasks[slot: i].logGroup != nil || tasks[slot: i].container != nil
    }

    /// The service of a task, when known (fallback from its log group).
    public func service(ofTask task: TaskID) -> ServiceKey? {
        guard let i = tasks.slot(of: task) else { return nil }
        return Self.service(of: tasks[slot: i], logGroupServices: logGroupServices, serviceClusters: serviceClusters)
    }

    private static func service(
        of e: borrowing TaskIdentity, logGroupServices: [String: String], serviceClusters: [String: String]
    ) -> ServiceKey? {
        var s = e.service
        if s == nil, let lg = e.logGroup {
            s = (logGroupServices.isEmpty ? nil : logGroupServices[lg]) ?? e.logGroupService ?? AWSNames.serviceName(fromLogGroup: lg)
        }
        if s == nil { s = e.container }
        guard let name = s else { return nil }
        var cluster = e.cluster
        if cluster == nil, !serviceClusters.isEmpty, let c = serviceClusters[name], !c.isEmpty { cluster = c }
        return ServiceKey(cluster: cluster, service: name)
    }

    /// `service(ofTask:)` as an id into `interned`, cached in the task's entry until the entry or a side-map entry
    /// it consulted changes. Call `beginResolving()` before a batch: ids stay valid until the next call.
    mutating func serviceKeyID(ofTask task: TaskID) -> Int32? {
        guard let i = tasks.slot(of: task) else { return nil }
        let stamp = tasks[slot: i].cacheStamp
        if stamp >= validFrom {
            let group = Int(tasks[slot: i].cacheGroup)
            let name = Int(tasks[slot: i].cacheName)
            if group < 0 || groupChanged[group] <= stamp, name < 0 || nameChanged[name] <= stamp {
                let cached = tasks[slot: i].cachedKey
                return cached < 0 ? nil : cached
            }
        }
        // What service(of:) consults: logGroupServices[logGroup] when the entry names no service, and
        // serviceClusters[name] when it names no cluster.
        let key = Self.service(of: tasks[slot: i], logGroupServices: logGroupServices, serviceClusters: serviceClusters)
        let id = key.map { interned.id(of: $0) } ?? -1
        let groupID = tasks[slot: i].service == nil ? tasks[slot: i].logGroup.map { interned.groupID(of: $0) } ?? -1 : -1
        let nameID = id >= 0 && tasks[slot: i].cluster == nil ? interned.nameOfKey[Int(id)] : -1
        if groupID >= 0 { Self.cover(&groupChanged, groupID) }
        if nameID >= 0 { Self.cover(&nameChanged, nameID) }
        // A read-out on a copy of the engine must not copy the whole table just to cache.
        if tasks.isUniquelyOwned {
            tasks[slot: i].cachedKey = id
            tasks[slot: i].cacheGroup = groupID
            tasks[slot: i].cacheName = nameID
            tasks[slot: i].cacheStamp = clock
        }
        return id < 0 ? nil : id
    }

    /// Starts a batch of `serviceKeyID(ofTask:)` calls: renumbers (voiding every cache) when the interner has
    /// grown large, so it stays bounded.
    mutating func beginResolving() {
        guard interned.isFull else { return }
        interned = ServiceInterner()
        groupChanged = []
        nameChanged = []
        voidCaches()
    }

    private mutating func voidCaches() {
        clock &+= 1
        validFrom = clock
    }

    /// Stamps `serviceClusters[service]`'s change.
    private mutating func clusterChanged(of service: String) {
        clock &+= 1
        let id = interned.nameID(of: service)
        Self.cover(&nameChanged, id)
        nameChanged[Int(id)] = clock
    }

    /// Stamps `logGroupServices[group]`'s change.
    private mutating func serviceChanged(ofLogGroup group: String) {
        clock &+= 1
        let id = interned.groupID(of: group)
        Self.cover(&groupChanged, id)
        groupChanged[Int(id)] = clock
    }

    private static func cover(_ log: inout [UInt64], _ id: Int32) {
        if log.count <= Int(id) { log.append(contentsOf: repeatElement(0, count: Int(id) + 1 - log.count)) }
    }

    /// A log group known to belong to `service` (for snippets).
    public func logGroup(ofService service: String) -> String? {
        logGroupServices.filter { $0.value == service }.keys.min()
    }

    /// Evicts tasks idle since before `cutoff` and, over `cap`, the least recently seen.
    mutating func evict(before cutoff: Int64, cap: Int) {
        if cutoff > lastSeenFloor {
            var floor = Int64.max
            tasks.removeAll { _, e in
                if e.lastSeen < cutoff { return true }
                floor = min(floor, e.lastSeen)
                return false
            }
            lastSeenFloor = floor
        }
        if tasks.count > cap {
            let keep = max(0, cap - cap / 4)
            let order = tasks.map { ($0.value.lastSeen, $0.key) }.sorted { $0 > $1 }
            let kept = Set(order.prefix(keep).map(\.1))
            tasks.removeAll { id, _ in !kept.contains(id) }
        }
    }
}
