extension SignalMatcher {
    /// Reads Container Insights performance events (aws-formats §5.1): `Task` events give CPU and memory as a
    /// percentage of the task's reservation, `Service` events give desired and running counts.
    enum ContainerInsightsParser {
        /// `resource-usage` for a Task event, `service-counts` for a Service event, `nil` otherwise.
        static func parse(_ bytes: UnsafeRawBufferPointer) -> Finding? {
            let s = JSONScanner(bytes)
            let root = s.skipSpace(0)
            guard root < bytes.count, bytes[root] == UInt8(ascii: "{") else { return nil }
            var type: JSONValue?, taskID: JSONValue?, service: JSONValue?, cluster: JSONValue?
            var cpuUsed: Double?, cpuReserved: Double?, memoryUsed: Double?, memoryReserved: Double?
            var desired: Double?, running: Double?
            s.forEachMember(ofObjectAt: root) { k, v in
                if s.key(k, equals: "Type") { type = v }
                else if s.key(k, equals: "TaskId") { taskID = v }
                else if s.key(k, equals: "ServiceName") { service = v }
                else if s.key(k, equals: "ClusterName") { cluster = v }
                else if s.key(k, equals: "CpuUtilized") { cpuUsed = s.double(v) }
                else if s.key(k, equals: "CpuReserved") { cpuReserved = s.double(v) }
                else if s.key(k, equals: "MemoryUtilized") { memoryUsed = s.double(v) }
                else if s.key(k, equals: "MemoryReserved") { memoryReserved = s.double(v) }
                else if s.key(k, equals: "DesiredTaskCount") { desired = s.double(v) }
                else if s.key(k, equals: "RunningTaskCount") { running = s.double(v) }
                return true
            }
            guard let type else { return nil }
            var f: Finding
            if s.key(type.range, equals: "Task") {
                f = Finding(kind: .resourceUsage)
                f.detail.cpuPercent = percent(cpuUsed, of: cpuReserved)
                f.detail.memoryPercent = percent(memoryUsed, of: memoryReserved)
                f.task = taskID.flatMap { TaskID(bytes: s.slice($0.range)) }
            } else if s.key(type.range, equals: "Service") {
                f = Finding(kind: .serviceCounts)
                f.detail.desiredCount = desired.map { Int($0) }
                f.detail.runningCount = running.map { Int($0) }
            } else {
                return nil
            }
            f.service = service.map(s.string).flatMap { $0.isEmpty ? nil : $0 }
            f.cluster = cluster.map(s.string).flatMap { $0.isEmpty ? nil : $0 }
            return f
        }

        /// `used / reserved × 100`, `nil` when either is missing or nothing is reserved.
        static func percent(_ used: Double?, of reserved: Double?) -> Double? {
            guard let used, let reserved, reserved > 0 else { return nil }
            return used / reserved * 100
        }
    }
}
