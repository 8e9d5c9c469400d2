/// Number and text formatting for summaries and remediations, without Foundation (same output on every platform).
public enum EngineFormat {
    /// `x` rounded to `decimals` places, trailing `.0` dropped: `34.8`, `26`, `0.5`.
    public static func number(_ x: Double, decimals: Int = 1) -> String {
        guard x.isFinite else { return "?" }
        var scale: Double = 1
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let negative = x < 0 && scaled > 0
        let whole = Int64(scaled / scale)
        var frac = Int64(scaled) - whole * Int64(scale)
        var text = String(whole)
        if decimals > 0, frac > 0 {
            var digits = String(frac)
            while digits.count < decimals { digits = "0" + digits }
            while digits.hasSuffix("0") { digits.removeLast(); frac /= 10 }
            text += "." + digits
        }
        return negative ? "-" + text : text
    }

    /// Seconds for people: `34.8 s`.
    public static func seconds(_ s: Double) -> String { number(s, decimals: 1) + " s" }

    /// A duration in whole minutes (at least 1) or seconds below a minute: `14 min`, `45 s`.
    public static func duration(_ s: Double) -> String {
        if s < 60 { return number(s.rounded(), decimals: 0) + " s" }
        return number((s / 60).rounded(), decimals: 0) + " min"
    }

    /// A percentage: `97%`.
    public static func percent(_ p: Double) -> String { number(p, decimals: 0) + "%" }

    /// `n thing` / `n things`.
    public static func plural(_ n: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : (pluralForm ?? singular + "s"))
    }

    /// `x` rounded up to a multiple of `step`.
    public static func roundUp(_ x: Double, to step: Double) -> Int {
        guard x.isFinite, step > 0 else { return 0 }
        return Int((x / step).rounded(.up) * step)
    }

    /// Nearest-rank percentile `p` (0…1) of `values` (nil when empty).
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The median (nil when empty).
    public static func median(_ values: [Double]) -> Double? { percentile(values, 0.5) }

    /// Escapes a string for a JSON string literal.
    public static func jsonString(_ s: String) -> String { JSONString.quoted(s) }

    /// Quotes a value for a POSIX shell when it needs it (`'…'`).
    public static func shellQuote(_ s: String) -> String {
        let safe = s.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
                || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: "/")
                || c == UInt8(ascii: ".") || c == UInt8(ascii: ":") || c == UInt8(ascii: "=")
                || c == UInt8(ascii: "@") || c == UInt8(ascii: ",")
        }
        if safe && !s.isEmpty { return s }
        return "'" + s.replacing("'", with: "'\\''") + "'"
    }

    /// A task id shortened for sentences (`3f9a1c2e…`).
    public static func shortTask(_ id: String) -> String { id.count > 12 ? String(id.prefix(8)) + "…" : id }

    /// ASCII-lowercased copy.
    public static func lower(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// Case-insensitive (ASCII) containment.
    public static func containsIgnoringCase(_ haystack: String, _ needle: String) -> Bool {
        lower(haystack).contains(lower(needle))
    }
}

/// Helpers for AWS identifiers seen in signals and context documents.
public enum AWSNames {
    /// The region of an ARN (`arn:aws:elasticloadbalancing:us-west-2:…` → `us-west-2`), if it has one.
    public static func region(ofArn arn: String) -> String? {
        guard arn.hasPrefix("arn:") else { return nil }
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count > 4, !parts[3].isEmpty else { return nil }
        return String(parts[3])
    }

    /// Whether `session` is an EC2 instance id (`i-` + 8 or 17 hex digits).
    public static func isInstanceID(_ session: String) -> Bool {
        let u = Array(session.utf8)
        guard u.count == 10 || u.count == 19, u[0] == UInt8(ascii: "i"), u[1] == UInt8(ascii: "-") else { return false }
        return u[2...].allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
    }

    /// Role and session of an assumed-role principal (`arn:aws:sts::1:assumed-role/ROLE/SESSION`).
    public static func roleAndSession(ofPrincipal principal: String) -> (role: String?, session: String?) {
        guard let r = principal.firstRange(of: "assumed-role/") else {
            if let r = principal.firstRange(of: ":role/") {
                let name = principal[r.upperBound...].split(separator: "/").last.map(String.init)
                return (name, nil)
            }
            return (nil, nil)
        }
        let parts = principal[r.upperBound...].split(separator: "/", maxSplits: 1)
        return (parts.first.map(String.init), parts.count > 1 ? String(parts[1]) : nil)
    }

    /// A service name guessed from a log group: `/ecs/orders-api` → `orders-api` (the last `/`-separated part;
    /// none for Container Insights groups).
    public static func serviceName(fromLogGroup group: String) -> String? {
        var group = group
        return group.withUTF8 { serviceName(fromLogGroup: UnsafeRawBufferPointer($0)) }
    }

    /// `serviceName(fromLogGroup:)` of a log group's UTF-8 bytes (decoded as `String(decoding:as:)` would).
    public static func serviceName(fromLogGroup bytes: UnsafeRawBufferPointer) -> String? {
        let slash = UInt8(ascii: "/")
        var last = 0..<0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != slash { end += 1 }
            if end > start {
                let part = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                if part.elementsEqual("containerinsights".utf8) { return nil }
                last = start..<end
            }
            start = end + 1
        }
        return last.isEmpty ? nil : String(decoding: UnsafeRawBufferPointer(rebasing: bytes[last]), as: UTF8.self)
    }

    /// The container name of an awslogs stream (`prefix/container/taskId` → `container`).
    public static func containerName(fromStream stream: String) -> String? {
        var stream = stream
        return stream.withUTF8 { containerName(fromStream: UnsafeRawBufferPointer($0)) }
    }

    /// `containerName(fromStream:)` of a stream name's UTF-8 bytes (decoded as `String(decoding:as:)` would).
    public static func containerName(fromStream bytes: UnsafeRawBufferPointer) -> String? {
        let slash = UInt8(ascii: "/")
        var lastSlash = bytes.count
        while lastSlash > 0, bytes[lastSlash - 1] != slash { lastSlash -= 1 }
        guard lastSlash > 0 else { return nil }
        lastSlash -= 1
        var start = lastSlash
        while start > 0, bytes[start - 1] != slash { start -= 1 }
        guard start > 0, start < lastSlash else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<lastSlash]), as: UTF8.self)
    }

    /// `targetgroup/NAME/ID` of a target group ARN, or the input.
    public static func targetGroupLabel(_ arn: String) -> String {
        if let r = arn.firstRange(of: "targetgroup/") { return String(arn[r.lowerBound...]) }
        return arn
    }

    /// The NAME of a target group ARN (`…:targetgroup/NAME/ID`), or the input.
    public static func targetGroupName(_ arn: String) -> String {
        guard let r = arn.firstRange(of: "targetgroup/") else { return arn }
        return arn[r.upperBound...].split(separator: "/").first.map(String.init) ?? arn
    }

    /// The log group name of a CloudWatch Logs ARN (`arn:aws:logs:R:A:log-group:NAME:log-stream:` → `NAME`).
    public static func logGroupName(fromArn arn: String) -> String? {
        guard let r = arn.firstRange(of: "log-group:") else { return nil }
        let rest = arn[r.upperBound...]
        let name = rest.split(separator: ":", maxSplits: 1).first.map(String.init) ?? String(rest)
        return name.isEmpty ? nil : name
    }

    /// The IAM resource to name in a policy statement for a denied resource: an S3 object ARN becomes
    /// `arn:aws:s3:::BUCKET/*`, other ARNs stay, anything else is `*`.
    public static func policyResource(for resource: String?) -> String {
        guard let resource, resource.hasPrefix("arn:") else { return "*" }
        if resource.hasPrefix("arn:aws:s3:::") {
            let rest = resource.dropFirst("arn:aws:s3:::".count)
            if let slash = rest.firstIndex(of: "/") { return "arn:aws:s3:::" + rest[..<slash] + "/*" }
        }
        return resource
    }
}
