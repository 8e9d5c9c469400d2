import DiagnosisRules

/// Builders for the exact commands and snippets of audit fixes.
enum FixText {
    /// A JSON string literal.
    static func json(_ text: String) -> String { JSONString.quoted(text) }

    /// A JSON array of strings on one line.
    static func jsonArray(_ items: [String]) -> String { "[" + items.map(json).joined(separator: ",") + "]" }

    /// A shell word: bare when safe, else single-quoted.
    static func shell(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar)
                || "-_./:=@,+%".unicodeScalars.contains(scalar)
        }
        if safe, !word.isEmpty { return word }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// An IAM policy document allowing each (actions, resources) statement, on one line.
    static func policyDocument(_ statements: [(actions: [String], resources: [String])]) -> String {
        let body = statements.map { statement in
            "{\"Effect\":\"Allow\",\"Action\":\(jsonArray(statement.actions)),\"Resource\":\(jsonArray(statement.resources))}"
        }
        return "{\"Version\":\"2012-10-17\",\"Statement\":[\(body.joined(separator: ","))]}"
    }

    /// The trust policy that lets ECS tasks assume a role.
    static let ecsTasksTrustPolicy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"

    /// `aws iam put-role-policy …` granting `statements` to `role`.
    static func putRolePolicy(role: String, policyName: String,
                              statements: [(actions: [String], resources: [String])]) -> String {
        "aws iam put-role-policy --role-name \(shell(role)) --policy-name \(shell(policyName)) "
            + "--policy-document \(shell(policyDocument(statements)))"
    }

    /// `aws iam create-role …` for an ECS task or execution role.
    static func createRole(_ role: String) -> String {
        "aws iam create-role --role-name \(shell(role)) --assume-role-policy-document \(shell(ecsTasksTrustPolicy))"
    }

    static let executionRolePolicyArn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"

    /// `arn:aws:iam::ACCOUNT:role/NAME`.
    static func roleArn(account: String?, role: String) -> String {
        "arn:aws:iam::\(account ?? "ACCOUNT_ID"):role/\(role)"
    }

    /// A seconds value without a trailing `.0`.
    static func seconds(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e12 ? String(Int(value)) : String(value)
    }

    /// `value` rounded up to a multiple of `step`.
    static func roundUp(_ value: Double, to step: Double) -> Double { (value / step).rounded(.up) * step }
}

/// Facts read out of ARNs, for filling in fixes.
enum ARN {
    /// The fields of `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, nil when not an ARN.
    static func fields(_ arn: String) -> [Substring]? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        return parts
    }

    static func region(_ arn: String) -> String? {
        guard let parts = fields(arn), !parts[3].isEmpty else { return nil }
        return String(parts[3])
    }

    static func account(_ arn: String) -> String? {
        guard let parts = fields(arn), !parts[4].isEmpty, parts[4] != "aws" else { return nil }
        return String(parts[4])
    }

    static func service(_ arn: String) -> String? { fields(arn).map { String($0[2]) } }
}
