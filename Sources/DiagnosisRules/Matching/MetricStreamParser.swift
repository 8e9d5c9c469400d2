extension SignalMatcher {
    /// Reads CloudWatch metric-stream JSON objects (aws-formats §5.4) for the ECS service and ALB metrics the
    /// saturation rule needs.
    enum MetricStreamParser {
        /// `resource-usage` for `AWS/ECS` CPU/memory utilisation of a service, `slow-request` for an ALB
        /// `TargetResponseTime` average of at least 1 s, `http-error` for ALB 5XX counts above zero.
        static func parse(_ bytes: UnsafeRawBufferPointer) -> Finding? {
            let s = JSONScanner(bytes)
            let root = s.skipSpace(0)
            guard root < bytes.count, bytes[root] == UInt8(ascii: "{") else { return nil }
            var namespace: JSONValue?, metric: JSONValue?, dimensions: JSONValue?, value: JSONValue?
            s.forEachMember(ofObjectAt: root) { k, v in
                if s.key(k, equals: "namespace") { namespace = v }
                else if s.key(k, equals: "metric_name") { metric = v }
                else if s.key(k, equals: "dimensions") { dimensions = v }
                else if s.key(k, equals: "value") { value = v }
                return true
            }
            guard let namespace, let metric, let value, value.kind == .object else { return nil }
            var sum: Double?, count: Double?, max: Double?
            s.forEachMember(ofObjectAt: value.range.lowerBound) { k, v in
                if s.key(k, equals: "sum") { sum = s.double(v) }
                else if s.key(k, equals: "count") { count = s.double(v) }
                else if s.key(k, equals: "max") { max = s.double(v) }
                return true
            }
            let average: Double? = if let sum, let count, count > 0 { sum / count } else { max }

            var f: Finding
            let isECS = s.key(namespace.range, equals: "AWS/ECS")
            if isECS {
                let cpu = s.key(metric.range, equals: "CPUUtilization")
                guard cpu || s.key(metric.range, equals: "MemoryUtilization"), let average else { return nil }
                f = Finding(kind: .resourceUsage)
                if cpu { f.detail.cpuPercent = average } else { f.detail.memoryPercent = average }
            } else if s.key(namespace.range, equals: "AWS/ApplicationELB") {
                if s.key(metric.range, equals: "TargetResponseTime") {
                    guard let average, average >= 1 else { return nil }
                    f = Finding(kind: .slowRequest)
                    f.detail.seconds = average
                } else if s.key(metric.range, equals: "HTTPCode_ELB_5XX_Count")
                    || s.key(metric.range, equals: "HTTPCode_Target_5XX_Count") {
                    guard let sum, sum > 0 else { return nil }
                    f = Finding(kind: .httpError)
                    f.detail.status = 500
                    f.detail.reason = "\(s.string(metric)) \(sum.compactText)"
                } else {
                    return nil
                }
                f.detail.origin = "alb-metric"
            } else {
                return nil
            }
            if let dimensions, dimensions.kind == .object {
                s.forEachMember(ofObjectAt: dimensions.range.lowerBound) { k, v in
                    if s.key(k, equals: "ServiceName") { f.service = s.string(v) }
                    else if s.key(k, equals: "ClusterName") { f.cluster = s.string(v) }
                    else if s.key(k, equals: "TargetGroup") { f.detail.targetGroup = s.string(v) }
                    return true
                }
            }
            if isECS, f.service == nil { return nil }
            return f
        }
    }
}

extension Double {
    /// `12` for whole numbers, `12.5` otherwise.
    fileprivate var compactText: String {
        self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}
