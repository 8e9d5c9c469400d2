import DiagnosisRules
import Foundation

/// One `Allow` statement's action, as read.
struct AllowedAction: Equatable {
    var action: String
    var resources: [String]
    /// JSON path of the statement's `Action`.
    var jsonPath: String
}

/// A policy document read from a `get-role-policy`, `get-policy-version` or authorization-details document.
struct PolicySource {
    var policyName: String
    var policyArn: String?
    var path: String
    var allows: [AllowedAction] = []
    /// Unconditional `Deny` action patterns.
    var denies: [String] = []
    /// An `Allow` with `NotAction` was ignored, so the policy allows more than `allows` says.
    var hasIgnoredAllow = false
    /// Read from `get-account-authorization-details`, which lists every managed policy of the account.
    var fromAccountListing = false
}

/// A managed policy attached to a role (`list-attached-role-policies`, `AttachedManagedPolicies`).
struct PolicyAttachment {
    var name: String
    var arn: String?
    var path: String
    var jsonPath: String
}

/// A role's IAM facts once every document was read.
struct ResolvedRole {
    var detail: RoleDetail
    var allowedActions: [String]
    var origin: String
}

/// Collects the IAM documents, then joins them per role name.
///
/// `list-attached-role-policies`, `list-role-policies` and `get-policy-version` do not name the role in their
/// output; the user adds a top-level `"RoleName"` (and `"PolicyArn"` for a policy version) — see
/// `SampleLogs/context/README.md`.
struct IAMCollector {
    private var roleOrder: [String] = []
    private var inline: [String: [PolicySource]] = [:]
    private var inlineNames: [String: [String]] = [:]
    private var attached: [String: [PolicyAttachment]] = [:]
    private var roleVersions: [String: [PolicySource]] = [:]
    private var versionsByArn: [String: PolicySource] = [:]
    private var versionArnOrder: [String] = []
    private var documentOrigins: [String: [String]] = [:]

    /// Records that a document about `role` was read (every IAM document passes here first).
    private mutating func note(role: String, origin: String) {
        if documentOrigins[role] == nil { roleOrder.append(role) }
        if !documentOrigins[role, default: []].contains(origin) { documentOrigins[role, default: []].append(origin) }
    }

    // MARK: Documents

    /// `aws iam get-role-policy`.
    mutating func addRolePolicy(_ top: [String: JSONTree], path: String, problems: inout [ContextProblem]) {
        guard let role = top["RoleName"]?.string else { return }
        let name = top["PolicyName"]?.string ?? ""
        note(role: role, origin: ContextOrigin.make(path: path, jsonPath: "PolicyDocument"))
        let source = Self.policySource(top["PolicyDocument"], jsonPath: "PolicyDocument", name: name, arn: nil,
                                       path: path, problems: &problems)
        inline[role, default: []].append(source)
    }

    /// `aws iam list-attached-role-policies` with a `RoleName` added.
    mutating func addAttachedPolicies(_ top: [String: JSONTree], path: String, problems: inout [ContextProblem]) {
        let list = (top["AttachedPolicies"]?.array ?? []).enumerated().compactMap { index, tree -> PolicyAttachment? in
            guard let name = tree["PolicyName"]?.string ?? tree["PolicyArn"]?.string.map(ContextBuilder.lastPathComponent)
            else { return nil }
            return PolicyAttachment(name: name, arn: tree["PolicyArn"]?.string, path: path,
                                    jsonPath: "AttachedPolicies[\(index)]")
        }
        guard let role = top["RoleName"]?.string else {
            problems.append(ContextProblem(
                path: path, code: .unresolvedPolicy,
                message: "list-attached-role-policies output names no role; add a top-level \"RoleName\" (see SampleLogs/context/README.md)"
            ))
            return
        }
        note(role: role, origin: ContextOrigin.make(path: path, jsonPath: "AttachedPolicies"))
        for attachment in list where !attached[role, default: []].contains(where: { $0.name == attachment.name && $0.arn == attachment.arn }) {
            attached[role, default: []].append(attachment)
        }
    }

    /// `aws iam list-role-policies` with a `RoleName` added.
    mutating func addPolicyNames(_ top: [String: JSONTree], path: String, problems: inout [ContextProblem]) {
        guard let role = top["RoleName"]?.string else {
            problems.append(ContextProblem(
                path: path, code: .unresolvedPolicy,
                message: "list-role-policies output names no role; add a top-level \"RoleName\" (see SampleLogs/context/README.md)"
            ))
            return
        }
        note(role: role, origin: ContextOrigin.make(path: path, jsonPath: "PolicyNames"))
        for name in (top["PolicyNames"]?.array ?? []).compactMap(\.string) where !inlineNames[role, default: []].contains(name) {
            inlineNames[role, default: []].append(name)
        }
    }

    /// `aws iam get-policy-version` with a `RoleName` and/or `PolicyArn` added.
    mutating func addPolicyVersion(_ top: [String: JSONTree], path: String, problems: inout [ContextProblem]) {
        let arn = top["PolicyArn"]?.string
        let role = top["RoleName"]?.string
        let name = top["PolicyName"]?.string ?? arn.map(ContextBuilder.lastPathComponent) ?? "policy-version"
        if top["PolicyVersion"]?["IsDefaultVersion"]?.bool == false {
            problems.append(ContextProblem(path: path, code: .ignoredContent,
                                           message: "PolicyVersion is not the default version; read anyway"))
        }
        let source = Self.policySource(top["PolicyVersion"]?["Document"], jsonPath: "PolicyVersion.Document",
                                       name: name, arn: arn, path: path, problems: &problems)
        if let role {
            note(role: role, origin: ContextOrigin.make(path: path, jsonPath: "PolicyVersion.Document"))
            roleVersions[role, default: []].append(source)
        } else if let arn {
            if versionsByArn[arn] == nil { versionArnOrder.append(arn) }
            versionsByArn[arn] = source
        } else {
            problems.append(ContextProblem(
                path: path, code: .unresolvedPolicy,
                message: "get-policy-version output names neither \"RoleName\" nor \"PolicyArn\"; skipped (see SampleLogs/context/README.md)"
            ))
        }
    }

    /// `aws iam get-account-authorization-details`: roles with inline and attached policies, and the managed
    /// policies' default versions.
    mutating func addAuthorizationDetails(_ top: [String: JSONTree], path: String, problems: inout [ContextProblem]) {
        for (p, policy) in (top["Policies"]?.array ?? []).enumerated() {
            guard let arn = policy["Arn"]?.string else { continue }
            let versions = policy["PolicyVersionList"]?.array ?? []
            let defaultIndex = versions.firstIndex { $0["IsDefaultVersion"]?.bool == true } ?? (versions.isEmpty ? nil : 0)
            guard let v = defaultIndex else { continue }
            var source = Self.policySource(versions[v]["Document"], jsonPath: "Policies[\(p)].PolicyVersionList[\(v)].Document",
                                           name: policy["PolicyName"]?.string ?? ContextBuilder.lastPathComponent(arn),
                                           arn: arn, path: path, problems: &problems)
            source.fromAccountListing = true
            if versionsByArn[arn] == nil { versionArnOrder.append(arn) }
            versionsByArn[arn] = source
        }
        for (r, detail) in (top["RoleDetailList"]?.array ?? []).enumerated() {
            guard let role = detail["RoleName"]?.string else { continue }
            note(role: role, origin: ContextOrigin.make(path: path, jsonPath: "RoleDetailList[\(r)]"))
            for (i, policy) in (detail["RolePolicyList"]?.array ?? []).enumerated() {
                let jsonPath = "RoleDetailList[\(r)].RolePolicyList[\(i)].PolicyDocument"
                inline[role, default: []].append(Self.policySource(
                    policy["PolicyDocument"], jsonPath: jsonPath, name: policy["PolicyName"]?.string ?? "",
                    arn: nil, path: path, problems: &problems
                ))
            }
            for (a, tree) in (detail["AttachedManagedPolicies"]?.array ?? []).enumerated() {
                guard let name = tree["PolicyName"]?.string else { continue }
                attached[role, default: []].append(PolicyAttachment(
                    name: name, arn: tree["PolicyArn"]?.string, path: path,
                    jsonPath: "RoleDetailList[\(r)].AttachedManagedPolicies[\(a)]"
                ))
            }
        }
    }

    // MARK: Policy documents

    /// A `PolicyDocument`: a JSON object, or a (URL-encoded) JSON string as the IAM API returns it.
    static func policyDocument(_ tree: JSONTree?) -> JSONTree? {
        switch tree {
        case .object?: return tree
        case .string(let text)?:
            for candidate in [text.removingPercentEncoding, text].compactMap({ $0 }) {
                if let parsed = try? JSONTree.parse(Data(candidate.utf8)), parsed.object != nil { return parsed }
            }
            return nil
        default: return nil
        }
    }

    static func policySource(_ tree: JSONTree?, jsonPath: String, name: String, arn: String?, path: String,
                             problems: inout [ContextProblem]) -> PolicySource {
        var source = PolicySource(policyName: name, policyArn: arn, path: path)
        guard let document = policyDocument(tree) else {
            problems.append(ContextProblem(path: path, code: .ignoredContent,
                                           message: "\(jsonPath) is not a policy document; policy \(name) counted as empty"))
            return source
        }
        var statements: [(JSONTree, String)] = []
        if let list = document["Statement"]?.array {
            statements = list.enumerated().map { ($1, ContextOrigin.join(jsonPath, "Statement[\($0)]")) }
        } else if let single = document["Statement"], single.object != nil {
            statements = [(single, ContextOrigin.join(jsonPath, "Statement"))]
        }
        for (statement, statementPath) in statements {
            let effect = statement["Effect"]?.string ?? ""
            if statement["NotAction"] != nil {
                problems.append(ContextProblem(
                    path: path, code: .ignoredContent,
                    message: "\(statementPath) uses NotAction (\(effect)); ignored, so policy \(name) may allow more than counted"
                ))
                if effect == "Allow" { source.hasIgnoredAllow = true }
                continue
            }
            let actions = statement["Action"]?.stringList ?? []
            switch effect {
            case "Allow":
                let resources = statement["Resource"]?.stringList ?? ["*"]
                let actionPath = ContextOrigin.join(statementPath, "Action")
                source.allows += actions.map { AllowedAction(action: $0, resources: resources, jsonPath: actionPath) }
            case "Deny":
                // A conditional Deny may not apply: do not subtract it.
                if statement["Condition"] == nil { source.denies += actions }
            default:
                problems.append(ContextProblem(path: path, code: .ignoredContent,
                                               message: "\(statementPath) has no Effect Allow or Deny; ignored"))
            }
        }
        return source
    }

    // MARK: Resolution

    /// Joins each role's documents: grants minus denies, policy names, and the policies still unknown.
    func resolve(problems: inout [ContextProblem]) -> [ResolvedRole] {
        var usedVersionArns: Set<String> = []
        var resolved: [ResolvedRole] = []
        for role in roleOrder {
            var sources = inline[role, default: []] + roleVersions[role, default: []]
            var grants: [PermissionGrant] = []
            var names = Set(sources.map(\.policyName).filter { !$0.isEmpty })
            var unresolved: [String] = []
            for name in inlineNames[role, default: []] {
                names.insert(name)
                if !inline[role, default: []].contains(where: { $0.policyName == name }) { unresolved.append(name) }
            }
            for attachment in attached[role, default: []] {
                names.insert(attachment.name)
                if roleVersions[role, default: []].contains(where: {
                    ($0.policyArn != nil && $0.policyArn == attachment.arn) || $0.policyName == attachment.name
                }) {
                    continue
                }
                if let arn = attachment.arn, let version = versionsByArn[arn] {
                    usedVersionArns.insert(arn)
                    sources.append(version)
                } else if let actions = ManagedPolicyCatalog.actions(arn: attachment.arn, name: attachment.name) {
                    let origin = ContextOrigin.make(path: attachment.path, jsonPath: attachment.jsonPath)
                    grants += actions.map {
                        PermissionGrant(action: $0, resources: ["*"], policyName: attachment.name,
                                        policyArn: attachment.arn, origin: origin)
                    }
                } else {
                    unresolved.append(attachment.arn ?? attachment.name)
                }
            }
            for source in sources {
                grants += source.allows.map {
                    PermissionGrant(action: $0.action, resources: $0.resources, policyName: source.policyName,
                                    policyArn: source.policyArn, origin: ContextOrigin.make(path: source.path, jsonPath: $0.jsonPath))
                }
                if source.hasIgnoredAllow { unresolved.append(source.policyArn ?? source.policyName) }
            }
            let denies = sources.flatMap(\.denies).map { $0.lowercased() }
            grants.removeAll { grant in
                denies.contains { ServiceContext.wildcardMatch(pattern: $0, text: grant.action.lowercased()) }
            }
            for name in unresolved {
                problems.append(ContextProblem(
                    path: documentOrigins[role]?.first.map { ContextOrigin.split($0).document } ?? "",
                    code: .unresolvedPolicy,
                    message: "role \(role): the document of policy \(name) was not given; checks that need all of the role's permissions are skipped"
                ))
            }
            var actions: [String] = []
            for grant in grants where !actions.contains(grant.action) { actions.append(grant.action) }
            resolved.append(ResolvedRole(
                detail: RoleDetail(roleName: role, grants: grants, policyNames: names.sorted(),
                                   unresolvedPolicies: Array(Set(unresolved)).sorted()),
                allowedActions: actions,
                origin: documentOrigins[role, default: []].joined(separator: "; ")
            ))
        }
        for arn in versionArnOrder where !usedVersionArns.contains(arn) {
            // Authorization details list every managed policy of the account; unattached ones are normal there.
            guard let version = versionsByArn[arn], !version.fromAccountListing else { continue }
            problems.append(ContextProblem(
                path: version.path, code: .unresolvedPolicy,
                message: "policy \(arn) is attached to no role named by the given documents; add \"RoleName\" or the role's list-attached-role-policies"
            ))
        }
        return resolved
    }

}
