extension SignalMatcher {
    /// Reads ALB access log lines (aws-formats §5.3): space-separated fields, some quoted, new fields appended at
    /// the end. Works on bytes without allocating.
    enum ALBAccessLogParser {
        /// Field numbers (0-based) of the fields the matcher reads.
        static let targetProcessingTimeField = 6
        static let elbStatusField = 8
        static let targetGroupField = 16

        /// One request: the target group ARN bytes (empty range when the field is `-`), the target processing
        /// time in seconds (`nil` when `-1` or `-`) and the ELB status code. `nil` when the line is too short or
        /// its fields do not line up (the target group field is neither an ARN nor `-`).
        static func request(
            _ p: UnsafeRawBufferPointer
        ) -> (targetGroup: Range<Int>, targetSeconds: Double?, status: Int)? {
            let n = p.count
            var i = 0
            var field = 0
            var targetTime: Range<Int>?
            var status: Range<Int>?
            var targetGroup: Range<Int>?
            while field <= targetGroupField {
                while i < n, p[i] == 32 { i += 1 }
                guard i < n, p[i] != 10, p[i] != 13 else { break }
                let range: Range<Int>
                let quoteOpen = p[i] == 34 ? 1 : (p[i] == 92 && i + 1 < n && p[i + 1] == 34 ? 2 : 0)
                if quoteOpen > 0 {
                    // A quoted field ends at a quote followed by a space or the end of the line.
                    let start = i + quoteOpen
                    var j = start
                    while j < n, !(p[j] == 34 && (j + 1 == n || p[j + 1] == 32)) { j += 1 }
                    var end = j
                    if quoteOpen == 2, end > start, p[end - 1] == 92 { end -= 1 }
                    range = start..<Swift.min(end, n)
                    i = Swift.min(j + 1, n)
                } else {
                    let start = i
                    while i < n, p[i] != 32 { i += 1 }
                    range = start..<i
                }
                switch field {
                case targetProcessingTimeField: targetTime = range
                case elbStatusField: status = range
                case targetGroupField: targetGroup = range
                default: break
                }
                field += 1
            }
            guard let status, let targetGroup, let targetTime,
                  let code = TimestampParser.parseInt(UnsafeRawBufferPointer(rebasing: p[status])),
                  (100...599).contains(code)
            else { return nil }
            let isDash = targetGroup.count == 1 && p[targetGroup.lowerBound] == 45
            let isARN = targetGroup.count > 4 && p[targetGroup.lowerBound] == 97 && p[targetGroup.lowerBound + 1] == 114
                && p[targetGroup.lowerBound + 2] == 110 && p[targetGroup.lowerBound + 3] == 58
            guard isDash || isARN else { return nil }
            var seconds: Double?
            if let v = TimestampParser.parseDouble(UnsafeRawBufferPointer(rebasing: p[targetTime])), v >= 0 {
                seconds = v
            }
            return (isDash ? targetGroup.lowerBound..<targetGroup.lowerBound : targetGroup, seconds, Int(code))
        }

        /// `http-error` for an ELB status ≥ 500, `slow-request` for a target processing time ≥ 1 s, else `nil`.
        static func parse(_ p: UnsafeRawBufferPointer) -> Finding? {
            guard let r = request(p) else { return nil }
            var f: Finding
            if r.status >= 500 {
                f = Finding(kind: .httpError)
                f.detail.status = r.status
            } else if let s = r.targetSeconds, s >= 1 {
                f = Finding(kind: .slowRequest)
            } else {
                return nil
            }
            f.detail.seconds = r.targetSeconds
            f.detail.origin = "alb"
            if !r.targetGroup.isEmpty {
                let arn = UnsafeRawBufferPointer(rebasing: p[r.targetGroup])
                f.detail.targetGroup = String(decoding: arn, as: UTF8.self)
            }
            return f
        }
    }
}
