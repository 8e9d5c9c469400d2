import DiagnosisRules

/// What kind of AWS CLI output a context document is, recognised by its top-level keys.
public enum ContextDocumentKind: String, Sendable, Codable, CaseIterable {
    /// `aws ecs describe-task-definition` (`{"taskDefinition":{…}}`), a bare task definition, or
    /// `register-task-definition` input.
    case taskDefinition = "task-definition"
    /// `aws ecs describe-services` (`{"services":[…],"failures":[]}`), or `create-service`/`update-service`
    /// output (`{"service":{…}}`).
    case services
    /// `aws elbv2 describe-target-groups` (`{"TargetGroups":[…]}`).
    case targetGroups = "target-groups"
    /// `aws application-autoscaling describe-scalable-targets` (`{"ScalableTargets":[…]}`).
    case scalableTargets = "scalable-targets"
    /// `aws application-autoscaling describe-scaling-policies` (`{"ScalingPolicies":[…]}`).
    case scalingPolicies = "scaling-policies"
    /// `aws iam get-role-policy` (`{"RoleName","PolicyName","PolicyDocument"}`).
    case rolePolicy = "role-policy"
    /// `aws iam list-attached-role-policies` (`{"AttachedPolicies":[…]}`, plus a `RoleName` added by the user).
    case attachedRolePolicies = "attached-role-policies"
    /// `aws iam list-role-policies` (`{"PolicyNames":[…]}`, plus a `RoleName` added by the user).
    case rolePolicyNames = "role-policy-names"
    /// `aws iam get-policy-version` (`{"PolicyVersion":{"Document":…}}`, plus `RoleName` or `PolicyArn`).
    case policyVersion = "policy-version"
    /// `aws iam get-account-authorization-details` (`RoleDetailList`, `Policies`).
    case authorizationDetails = "authorization-details"
    /// `aws logs describe-log-groups` (`{"logGroups":[…]}`).
    case logGroups = "log-groups"
}

/// A context document that was recognised and read.
public struct LoadedDocument: Sendable, Equatable, Codable {
    public var path: String
    public var kind: ContextDocumentKind

    public init(path: String, kind: ContextDocumentKind) {
        self.path = path
        self.kind = kind
    }
}

/// Something about a context path that the reader could not use, or used only in part. Never fatal.
public struct ContextProblem: Sendable, Equatable, Codable {
    /// Why the problem was reported. Only ``Code/unreadable`` makes `ecsdiagd audit` exit 2.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The path does not exist or cannot be read.
        public static let unreadable = Code(rawValue: "unreadable")
        /// The file is not valid JSON.
        public static let invalidJSON = Code(rawValue: "invalid-json")
        /// Valid JSON, but not a document kind the reader knows (or not an object).
        public static let unknownDocument = Code(rawValue: "unknown-document")
        /// A recognised document with a part that was ignored (e.g. an IAM `NotAction` statement).
        public static let ignoredContent = Code(rawValue: "ignored-content")
        /// A policy named by a role whose document was not given, or a document that names no role.
        public static let unresolvedPolicy = Code(rawValue: "unresolved-policy")
    }

    public var path: String
    public var code: Code
    public var message: String

    public init(path: String, code: Code, message: String) {
        self.path = path
        self.code = code
        self.message = message
    }
}

/// One action an IAM role allows, with the statement that grants it.
public struct PermissionGrant: Sendable, Equatable, Codable {
    /// The action as written (`s3:GetObject`, `s3:Get*`, `*`).
    public var action: String
    /// The statement's `Resource` list (`["*"]` when absent or for well-known managed policies).
    public var resources: [String]
    /// The inline policy name or managed policy name that grants it.
    public var policyName: String
    /// The managed policy ARN when the grant comes from an attached managed policy; nil for inline policies.
    public var policyArn: String?
    /// `PATH#JSONPATH` of the statement (or of the attachment, for well-known managed policies).
    public var origin: String

    public init(action: String, resources: [String], policyName: String, policyArn: String? = nil, origin: String) {
        self.action = action
        self.resources = resources
        self.policyName = policyName
        self.policyArn = policyArn
        self.origin = origin
    }
}

/// What the IAM documents say about one role, beyond `ServiceContext.RolePermissions`.
public struct RoleDetail: Sendable, Equatable, Codable {
    public var roleName: String
    /// Allow grants after Deny subtraction, in document order.
    public var grants: [PermissionGrant]
    /// Inline and managed policy names seen for the role (sorted).
    public var policyNames: [String]
    /// Policies the role has whose documents were not given (names or ARNs, sorted). While non-empty,
    /// "the role lacks X" cannot be concluded.
    public var unresolvedPolicies: [String]

    public init(roleName: String, grants: [PermissionGrant] = [], policyNames: [String] = [],
                unresolvedPolicies: [String] = []) {
        self.roleName = roleName
        self.grants = grants
        self.policyNames = policyNames
        self.unresolvedPolicies = unresolvedPolicies
    }

    /// Whether every policy of the role was read, so a missing action really is missing.
    public var isComplete: Bool { unresolvedPolicies.isEmpty }

    /// The grants whose action pattern covers `action`.
    public func grants(covering action: String) -> [PermissionGrant] {
        grants.filter { ServiceContext.wildcardMatch(pattern: $0.action.lowercased(), text: action.lowercased()) }
    }
}

/// Facts the documents establish that `ServiceContext` has no field for (yet): where each permission comes
/// from, which policies of a role are unknown, and whether scaling policies were described at all.
public struct ContextDetails: Sendable, Equatable, Codable {
    /// Per role name.
    public var roles: [String: RoleDetail]
    /// Whether a `describe-scaling-policies` document was given (so "no entry" means "no policy").
    public var knowsScalingPolicies: Bool

    public init(roles: [String: RoleDetail] = [:], knowsScalingPolicies: Bool = false) {
        self.roles = roles
        self.knowsScalingPolicies = knowsScalingPolicies
    }

    /// The details a bare `ServiceContext` implies: grants from `RolePermissions` (resources `*`, origin of the
    /// role), all roles complete, and scaling policies known whenever scalable targets are.
    public init(inferredFrom context: ServiceContext) {
        var roles: [String: RoleDetail] = [:]
        for role in context.roles where roles[role.roleName] == nil {
            roles[role.roleName] = RoleDetail(
                roleName: role.roleName,
                grants: role.allowedActions.map {
                    PermissionGrant(action: $0, resources: ["*"], policyName: "", origin: role.origin)
                }
            )
        }
        self.init(roles: roles, knowsScalingPolicies: context.knowsScalableTargets || !context.scalingPolicies.isEmpty)
    }
}

/// The result of reading context documents: the pure model the rules use, and what was read or skipped.
public struct ContextLoadResult: Sendable, Equatable {
    public var context: ServiceContext
    /// Extra facts for `ecsdiagd audit` (see ``ContextDetails``).
    public var details: ContextDetails
    /// Recognised documents, in the order they were read.
    public var documents: [LoadedDocument]
    /// Paths skipped or used in part, in the order they were met.
    public var problems: [ContextProblem]

    public init(context: ServiceContext = ServiceContext(), details: ContextDetails = ContextDetails(),
                documents: [LoadedDocument] = [], problems: [ContextProblem] = []) {
        self.context = context
        self.details = details
        self.documents = documents
        self.problems = problems
    }

    /// Whether a given path could not be read at all (`ecsdiagd audit` then exits 2).
    public var hasUnreadablePath: Bool { problems.contains { $0.code == .unreadable } }
}
