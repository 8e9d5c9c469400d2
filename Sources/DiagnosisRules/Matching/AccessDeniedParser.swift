extension SignalMatcher {
    /// Recognises AWS authorization failures in the wording of every SDK (aws-formats §4.1) and extracts the
    /// action, resource, principal and error code.
    ///
    /// A denial needs an AWS shape, not just the words: `AccessDenied`/`AccessDeniedException` as an SDK error code
    /// (not a qualified non-AWS Java class such as Spring Security's or `java.nio.file`'s), IAM's
    /// `is not authorized to perform: service:Action`, EC2's `You are not authorized to perform this operation`,
    /// or an SDK 403 (`An error occurred (403)`, Java `(Service: …; Status Code: 403`, Go v2 `StatusCode: 403`,
    /// .NET `Error Code Forbidden`, JS v3 `$fault: client` with `httpStatusCode: 403`). MySQL's
    /// `Access denied for user`, PostgreSQL's `permission denied`, Linux `Permission denied` and an
    /// application's own `403` responses are not denials.
    enum AccessDeniedParser {
        /// What a denial says.
        struct Denial: Equatable {
            /// The SDK error code as printed.
            var errorCode: String?
            /// The IAM action, from the message or mapped from the operation name.
            var action: String?
            var resource: String?
            var principal: String?
            var role: String?
            var session: String?
            /// Offset of the evidence in the text.
            var anchor: Int = 0
        }

        /// The denial in `t`, if `t` reports one.
        static func parse(_ t: Text) -> Denial? {
            guard let (anchor, token) = recognise(t) else { return nil }
            var denial = details(t)
            denial.anchor = anchor
            denial.errorCode = errorCode(t) ?? token.map(t.string)
            return denial
        }

        /// Action, resource, principal, role and session of the denial in `t` (all optional), without deciding
        /// whether `t` is a denial. Also used for ECS agent texts (`ResourceInitializationError: …`).
        static func details(_ t: Text) -> Denial {
            var d = Denial()
            if let p = principalRange(t) {
                d.principal = t.string(p)
                (d.role, d.session) = roleAndSession(t, principal: p)
            }
            let resource = resourceRange(t)
            d.resource = resource.map(t.string)
            if let a = iamActionRange(t) {
                d.action = t.string(a)
            } else if let (service, operation) = operation(t) {
                let prefix = service.flatMap(AWSOperationTable.prefix(ofService:)) ?? servicePrefixHint(t, resource)
                d.action = AWSOperationTable.action(operation: t.string(operation), servicePrefix: prefix)
            }
            return d
        }

        // MARK: Recognition

        /// Where the denial is, and the `AccessDenied…` token when that is what proved it.
        static func recognise(_ t: Text) -> (anchor: Int, token: Range<Int>?)? {
            var i = 0
            while let p = t.find("AccessDenied", from: i) {
                i = p + 1
                let id = t.identifier(around: p)
                guard id.lowerBound == p, id.count == 12 || (id.count == 21 && t.has("Exception", at: p + 12))
                else { continue }
                if t.at(p - 1) == UInt8(ascii: "."), !hasAWSQualifier(t, classStart: p) { continue }
                if t.has(": Access is denied", at: id.upperBound) { continue }
                return (p, id)
            }
            if let a = iamActionRange(t) {
                return (t.findLast("not authorized to perform", before: a.lowerBound) ?? a.lowerBound, nil)
            }
            if let p = t.find("You are not authorized to perform this operation") { return (p, nil) }
            if let p = t.find("An error occurred (") {
                let c = p + 19
                if let e = t.find(")", from: c), e - c < 40 {
                    let code = t.slice(c..<e)
                    if code.elementsEqual("403".utf8) || code.elementsEqual("Forbidden".utf8)
                        || code.elementsEqual("UnauthorizedOperation".utf8)
                        || code.elementsEqual("AuthorizationError".utf8) {
                        return (p, c..<e)
                    }
                }
            }
            if let p = t.find("Status Code: 403"), t.contains("(Service: ") { return (p, nil) }
            if let p = t.find("StatusCode: 403"), t.contains("response error") { return (p, nil) }
            if let p = t.find("Error Code Forbidden") { return (p, (p + 11)..<(p + 20)) }
            if let p = t.find("httpStatusCode"), value(t, after: p + 14, is: "403"),
               let f = t.find("$fault"), value(t, after: f + 6, is: "client") {
                return (p, nil)
            }
            return nil
        }

        /// Whether the qualified class name ending at `classStart` lives in an AWS SDK package.
        static func hasAWSQualifier(_ t: Text, classStart: Int) -> Bool {
            var q = classStart - 1
            while q > 0, Text.isIdentifier(t[q - 1]) || t[q - 1] == UInt8(ascii: ".") || t[q - 1] == UInt8(ascii: "$") {
                q -= 1
            }
            return t.has("software.amazon.", at: q) || t.has("com.amazonaws.", at: q) || t.has("Amazon.", at: q)
                || t.has("aws.", at: q)
        }

        /// Whether the value after a key ending at `i` (past `"`, `'`, `:`, `=` and spaces) starts with `expected`
        /// and ends there.
        static func value(_ t: Text, after i: Int, is expected: StaticString) -> Bool {
            let v = t.skip(from: i, "\"': =")
            guard i < v, t.has(expected, at: v) else { return false }
            return !Text.isIdentifier(t.at(v + expected.utf8CodeUnitCount))
        }

        // MARK: Fields

        /// The SDK error code as printed, from the SDK-specific spots that carry it.
        static func errorCode(_ t: Text) -> String? {
            if let p = t.find("An error occurred ("), let e = t.find(")", from: p + 19), e > p + 19, e - p < 60 {
                return t.string((p + 19)..<e)
            }
            if let p = t.find("Error Code: ") {
                let e = t.scan(from: p + 12) { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ")") || $0 == 10 }
                return t.nonEmptyString(t.trimmed((p + 12)..<e))
            }
            if let p = t.find("api error ") {
                let e = t.scan(from: p + 10) { !Text.isIdentifier($0) }
                return t.nonEmptyString((p + 10)..<e)
            }
            if let p = t.find("Error Code ") {
                let e = t.scan(from: p + 11) { !Text.isIdentifier($0) }
                return t.nonEmptyString((p + 11)..<e)
            }
            if let p = t.find("UnauthorizedOperation") { return t.string(p..<(p + 21)) }
            return nil
        }

        /// `service:Action` after `not authorized to perform: `.
        static func iamActionRange(_ t: Text) -> Range<Int>? {
            var i = 0
            while let p = t.find("not authorized to perform: ", from: i) {
                i = p + 1
                let s = p + 27
                let e = t.scan(from: s, until: isARNEnd)
                let r = t.trimmed(s..<e, trailing: ".")
                if !r.isEmpty, t.find(":", from: r.lowerBound, before: r.upperBound) != nil { return r }
            }
            return nil
        }

        /// The denied principal: the ARN after `User: ` (up to ` is not authorized`, so that redacted account ids
        /// such as `<account id>` stay inside), or the first assumed-role ARN.
        static func principalRange(_ t: Text) -> Range<Int>? {
            var i = 0
            while let p = t.find("User: ", from: i) {
                i = p + 1
                let s = p + 6
                guard t.has("arn:", at: s) else { continue }
                let limit = Swift.min(t.line(containing: s).upperBound, s + 300)
                if let e = t.find(" is not authorized", from: s, before: limit) { return t.trimmed(s..<e) }
                return t.trimmed(s..<t.scan(from: s, until: isARNEnd), trailing: ".")
            }
            if let r = t.find(":assumed-role/") {
                var s = r
                while s > 0, !isARNEnd(t[s - 1]) { s -= 1 }
                if t.has("arn:", at: s) { return s..<t.scan(from: r, until: isARNEnd) }
            }
            return nil
        }

        /// Role and session of a principal ARN: `…:assumed-role/ROLE/SESSION`, or the role of `…:role/PATH/NAME`.
        static func roleAndSession(_ t: Text, principal p: Range<Int>) -> (String?, String?) {
            if let a = t.find(":assumed-role/", from: p.lowerBound, before: p.upperBound) {
                let s = a + 14
                let slash = t.find("/", from: s, before: p.upperBound)
                let role = s..<(slash ?? p.upperBound)
                let session = slash.map { ($0 + 1)..<p.upperBound }
                return (t.nonEmptyString(role), session.flatMap(t.nonEmptyString))
            }
            if let r = t.find(":role/", from: p.lowerBound, before: p.upperBound) {
                var s = p.upperBound
                while s > r + 6, t[s - 1] != UInt8(ascii: "/") { s -= 1 }
                return (t.nonEmptyString(s..<p.upperBound), nil)
            }
            return (nil, nil)
        }

        /// The resource the request was for.
        static func resourceRange(_ t: Text) -> Range<Int>? {
            func token(at i: Int) -> Range<Int>? {
                let start = t.skip(from: i, "\"'")
                let r = t.trimmed(start..<t.scan(from: start, until: isARNEnd), trailing: ".")
                let s = r.lowerBound
                guard !r.isEmpty, t.has("arn:", at: s) || t.has("http", at: s) || t.has("s3://", at: s) else { return nil }
                return r
            }
            if let p = t.find("on resource: "), let r = token(at: p + 13) { return r }
            if let p = t.find("Access to the resource "), let r = token(at: p + 23) { return r }
            if let p = t.find("s3://"), let r = token(at: p) { return r }
            var i = 0
            while let p = t.find("arn:aws", from: i) {
                i = p + 1
                if p > 0, !isARNEnd(t[p - 1]) { continue }
                let r = p..<t.scan(from: p, until: isARNEnd)
                let isPrincipal = t.has("User: ", at: p - 6) || t.has("arn:aws:sts:", at: p)
                    || t.find(":user/", from: p, before: r.upperBound) != nil
                if !isPrincipal { return t.trimmed(r, trailing: ".") }
            }
            return nil
        }

        /// The operation named by boto3/CLI (`when calling the OP operation`) or Go v2 (`operation error SVC: OP,`),
        /// with the service id when the text names it.
        static func operation(_ t: Text) -> (service: String?, operation: Range<Int>)? {
            if let p = t.find("operation error ") {
                let s = p + 16
                if let colon = t.find(": ", from: s, before: Swift.min(t.count, s + 40)) {
                    let opStart = colon + 2
                    let opEnd = t.scan(from: opStart) { !Text.isIdentifier($0) }
                    if opEnd > opStart { return (t.string(s..<colon), opStart..<opEnd) }
                }
            }
            if let p = t.find("when calling the ") {
                let s = p + 17
                let e = t.scan(from: s) { !Text.isIdentifier($0) }
                if e > s, t.has(" operation", at: e) { return (javaServiceName(t), s..<e) }
            }
            return nil
        }

        /// The service of Java's `(Service: Amazon S3; …` / `(Service: S3, …`.
        static func javaServiceName(_ t: Text) -> String? {
            guard let p = t.find("(Service: ") else { return nil }
            let e = t.scan(from: p + 10) {
                $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ")")
            }
            return t.nonEmptyString(t.trimmed((p + 10)..<e))
        }

        /// The IAM service prefix the text implies when it names no service id: the Java service, the exception
        /// class, or the resource.
        static func servicePrefixHint(_ t: Text, _ resource: Range<Int>?) -> String? {
            if let java = javaServiceName(t) { return AWSOperationTable.prefix(ofService: java) }
            if t.contains("S3Exception") { return "s3" }
            if t.contains("SQSException") || t.contains("SqsException") { return "sqs" }
            if t.contains("DynamoDBException") || t.contains("DynamoDbException") { return "dynamodb" }
            if t.contains("SecretsManagerException") { return "secretsmanager" }
            guard let r = resource else { return nil }
            if t.has("s3://", at: r.lowerBound) || t.has("arn:aws:s3:", at: r.lowerBound) { return "s3" }
            if t.has("arn:aws:", at: r.lowerBound) {
                let s = r.lowerBound + 8
                let e = t.scan(from: s) { $0 == UInt8(ascii: ":") }
                return e > s && e < r.upperBound ? t.string(s..<e) : nil
            }
            if t.find(".s3.", from: r.lowerBound, before: r.upperBound) != nil
                || t.find("s3.amazonaws.com", from: r.lowerBound, before: r.upperBound) != nil
                || t.find("//s3", from: r.lowerBound, before: r.upperBound) != nil {
                return "s3"
            }
            if t.find("queue.amazonaws.com", from: r.lowerBound, before: r.upperBound) != nil
                || t.find("//sqs.", from: r.lowerBound, before: r.upperBound) != nil {
                return "sqs"
            }
            return nil
        }

        /// Bytes that end an ARN or URL token.
        @inline(__always) static func isARNEnd(_ c: UInt8) -> Bool {
            Text.isSpace(c) || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: ",")
                || c == UInt8(ascii: ";") || c == UInt8(ascii: ")") || c == UInt8(ascii: "(")
                || c == UInt8(ascii: "\\") || c == UInt8(ascii: "<") || c == UInt8(ascii: ">") || c == 0
        }
    }

    /// Recognises "the SDK found no credentials" in the wording of every SDK (aws-formats §4.3): what an app
    /// without a task role prints on Fargate.
    enum NoCredentialsParser {
        /// The phrases, each proof on its own.
        static let phrases: [StaticString] = [
            "Unable to locate credentials", "NoCredentialsError", "NoCredentialProviders",
            "no EC2 IMDS role found", "Could not load credentials from any providers", "Missing credentials in config",
            "Unable to load AWS credentials from any provider", "Unable to load credentials from any of the providers",
            "Unable to get IAM security credentials from EC2 Instance Metadata Service",
            "Couldn't find AWS credentials", "CredentialRetrievalError",
        ]
        /// Error codes as printed, most specific first.
        static let codes: [StaticString] = [
            "NoCredentialsError", "NoCredentialProviders", "CredentialsProviderError", "CredentialRetrievalError",
            "CredentialsError", "SdkClientException",
        ]

        /// The missing-credentials error in `t`: its offset, error code and the action when the SDK names the call.
        static func parse(_ t: Text) -> (anchor: Int, errorCode: String?, action: String?)? {
            var anchor: Int?
            for phrase in phrases {
                if let p = t.find(phrase, before: anchor.map { $0 + phrase.utf8CodeUnitCount }) {
                    anchor = Swift.min(anchor ?? p, p)
                }
            }
            guard let anchor else { return nil }
            var code: String?
            for c in codes {
                if let p = t.find(c) {
                    code = t.string(p..<(p + c.utf8CodeUnitCount))
                    break
                }
            }
            var action: String?
            if let (service, operation) = AccessDeniedParser.operation(t), service != "ec2imds" {
                let prefix = service.flatMap(AWSOperationTable.prefix(ofService:))
                action = AWSOperationTable.action(operation: t.string(operation), servicePrefix: prefix)
            }
            return (anchor, code, action)
        }
    }
}
