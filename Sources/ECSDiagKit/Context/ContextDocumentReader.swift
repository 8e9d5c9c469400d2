import DiagnosisRules
import Foundation

/// Reads the configuration documents the AWS CLI prints (task definitions, services, target groups, scaling,
/// IAM role policies, log groups) into a `ServiceContext`.
///
/// Documents are recognised by their top-level keys, never by file name. Unknown or broken documents are
/// reported as ``ContextProblem``s and skipped; nothing here is fatal.
public enum ContextDocumentReader {
    /// Files larger than this are skipped (a log directory given by mistake must not be read into memory).
    /// `get-account-authorization-details` of a large account is a few megabytes.
    public static let maximumDocumentBytes = 64 << 20

    /// Reads every regular file under `paths` (directories recursively, in path order; hidden files and
    /// directories are skipped) and builds the context.
    ///
    /// - Parameter paths: files or directories, as given on the command line.
    /// - Returns: the context, the documents recognised, and the problems met (a missing or unreadable path is a
    ///   problem with code ``ContextProblem/Code/unreadable``).
    public static func load(paths: [String]) -> ContextLoadResult {
        var builder = ContextBuilder()
        var seen: Set<String> = []
        for path in paths {
            for file in regularFiles(at: path, problems: &builder.problems) {
                let key = URL(fileURLWithPath: file).standardizedFileURL.resolvingSymlinksInPath().path
                guard seen.insert(key).inserted else { continue }
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
                guard size <= maximumDocumentBytes else {
                    builder.problems.append(ContextProblem(
                        path: file, code: .unknownDocument,
                        message: "\(size) bytes, too large for a configuration document; skipped"
                    ))
                    continue
                }
                guard let data = FileManager.default.contents(atPath: file) else {
                    builder.problems.append(ContextProblem(path: file, code: .unreadable, message: "cannot read the file"))
                    continue
                }
                builder.add(path: file, data: data)
            }
        }
        return builder.finish()
    }

    /// Reads documents already in memory, in the given order (tests, or a daemon that read them itself).
    ///
    /// - Parameter documents: the path to report for each document, and its bytes.
    public static func load(documents: [(path: String, data: Data)]) -> ContextLoadResult {
        var builder = ContextBuilder()
        for document in documents { builder.add(path: document.path, data: document.data) }
        return builder.finish()
    }

    /// The regular files at `path`: itself, or every non-hidden regular file below it, sorted.
    private static func regularFiles(at path: String, problems: inout [ContextProblem]) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            problems.append(ContextProblem(path: path, code: .unreadable, message: "no such file or directory"))
            return []
        }
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = FileManager.default.enumerator(
            at: URL(fileURLWithPath: path),
            includingPropertiesForKeys: [.isRegularFileKey],
            options: [.skipsHiddenFiles]
        ) else {
            problems.append(ContextProblem(path: path, code: .unreadable, message: "cannot list the directory"))
            return []
        }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let root = URL(fileURLWithPath: path).standardizedFileURL.path
        var files: [String] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            // Report paths under the directory as the user spelled it.
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(root + "/") ? String(full.dropFirst(root.count + 1)) : url.lastPathComponent
            files.append("\(base)/\(relative)")
        }
        if files.isEmpty {
            problems.append(ContextProblem(path: path, code: .unknownDocument, message: "the directory holds no file"))
        }
        return files.sorted()
    }
}

/// Accumulates documents, then resolves IAM roles and builds the context.
struct ContextBuilder {
    var context = ServiceContext()
    var knowsScalingPolicies = false
    var documents: [LoadedDocument] = []
    var problems: [ContextProblem] = []
    var iam = IAMCollector()

    mutating func add(path: String, data: Data) {
        let tree: JSONTree
        do {
            tree = try JSONTree.parse(data)
        } catch {
            problems.append(ContextProblem(path: path, code: .invalidJSON, message: "not valid JSON: \(Self.describe(error))"))
            return
        }
        guard let top = tree.object else {
            problems.append(ContextProblem(path: path, code: .unknownDocument,
                                           message: "not a JSON object, so not an AWS CLI document"))
            return
        }
        guard let kind = Self.classify(top) else {
            let keys = top.keys.sorted().prefix(8).joined(separator: ", ")
            problems.append(ContextProblem(
                path: path, code: .unknownDocument,
                message: "not a known context document (top-level keys: \(keys.isEmpty ? "none" : keys))"
            ))
            return
        }
        documents.append(LoadedDocument(path: path, kind: kind))
        switch kind {
        case .taskDefinition:
            if let inner = top["taskDefinition"]?.object {
                addTaskDefinition(inner, path: path, jsonPath: "taskDefinition")
            } else {
                addTaskDefinition(top, path: path, jsonPath: "")
            }
        case .services: addServices(top, path: path)
        case .targetGroups: addTargetGroups(top, path: path)
        case .scalableTargets: addScalableTargets(top, path: path)
        case .scalingPolicies: addScalingPolicies(top, path: path)
        case .logGroups: addLogGroups(top)
        case .rolePolicy: iam.addRolePolicy(top, path: path, problems: &problems)
        case .attachedRolePolicies: iam.addAttachedPolicies(top, path: path, problems: &problems)
        case .rolePolicyNames: iam.addPolicyNames(top, path: path, problems: &problems)
        case .policyVersion: iam.addPolicyVersion(top, path: path, problems: &problems)
        case .authorizationDetails: iam.addAuthorizationDetails(top, path: path, problems: &problems)
        }
    }

    /// The document kind from the top-level keys, nil when unknown.
    static func classify(_ top: [String: JSONTree]) -> ContextDocumentKind? {
        if top["taskDefinition"]?.object != nil { return .taskDefinition }
        if top["containerDefinitions"]?.array != nil, top["family"]?.string != nil { return .taskDefinition }
        if top["services"]?.array != nil { return .services }
        if top["service"]?["serviceName"]?.string != nil { return .services }
        if top["TargetGroups"]?.array != nil { return .targetGroups }
        if top["ScalableTargets"]?.array != nil { return .scalableTargets }
        if top["ScalingPolicies"]?.array != nil { return .scalingPolicies }
        if top["PolicyDocument"] != nil, top["RoleName"]?.string != nil { return .rolePolicy }
        if top["AttachedPolicies"]?.array != nil { return .attachedRolePolicies }
        if top["PolicyNames"]?.array != nil { return .rolePolicyNames }
        if top["PolicyVersion"]?.object != nil { return .policyVersion }
        if top["RoleDetailList"]?.array != nil { return .authorizationDetails }
        if top["logGroups"]?.array != nil { return .logGroups }
        return nil
    }

    func finish() -> ContextLoadResult {
        var result = ContextLoadResult(context: context, documents: documents, problems: problems)
        let roles = iam.resolve(problems: &result.problems)
        result.context.roles = roles.map {
            ServiceContext.RolePermissions(roleName: $0.detail.roleName, allowedActions: $0.allowedActions, origin: $0.origin)
        }
        result.details = ContextDetails(
            roles: Dictionary(roles.map { ($0.detail.roleName, $0.detail) }, uniquingKeysWith: { first, _ in first }),
            knowsScalingPolicies: knowsScalingPolicies
        )
        return result
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError {
                let text = "\(underlying)"
                return text.count > 200 ? String(text.prefix(200)) + "…" : text
            }
            return context.debugDescription
        }
        return "\(error)"
    }

    // MARK: ECS documents

    mutating func addTaskDefinition(_ td: [String: JSONTree], path: String, jsonPath: String) {
        let root = JSONTree.object(td)
        let containers = (root["containerDefinitions"]?.array ?? []).enumerated().map { index, tree in
            Self.container(tree, index: index)
        }
        let compatibilities = root["requiresCompatibilities"]?.stringList ?? []
        context.taskDefinitions.append(ServiceContext.TaskDefinition(
            family: root["family"]?.string ?? "",
            revision: root["revision"]?.int,
            taskRoleArn: root["taskRoleArn"]?.string.flatMap { $0.isEmpty ? nil : $0 },
            executionRoleArn: root["executionRoleArn"]?.string.flatMap { $0.isEmpty ? nil : $0 },
            fargate: compatibilities.contains { $0.uppercased() == "FARGATE" },
            containers: containers,
            origin: ContextOrigin.make(path: path, jsonPath: jsonPath)
        ))
    }

    static func container(_ tree: JSONTree, index: Int) -> ServiceContext.Container {
        let log = tree["logConfiguration"]
        let image = tree["image"]?.string ?? ""
        return ServiceContext.Container(
            name: tree["name"]?.string ?? "container[\(index)]",
            essential: tree["essential"]?.bool ?? true,
            logDriver: log?["logDriver"]?.string,
            logOptions: log?["options"]?.stringMap ?? [:],
            healthCheckStartPeriod: tree["healthCheck"]?["startPeriod"]?.double,
            secrets: (tree["secrets"]?.array ?? []).compactMap { $0["valueFrom"]?.string },
            usesECR: isECRImage(image)
        )
    }

    /// `ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]/REPO…` (private ECR; `public.ecr.aws` needs no credentials).
    static func isECRImage(_ image: String) -> Bool {
        guard let slash = image.firstIndex(of: "/") else { return false }
        let host = image[..<slash]
        return host.contains(".dkr.ecr.") && (host.hasSuffix(".amazonaws.com") || host.hasSuffix(".amazonaws.com.cn"))
    }

    mutating func addServices(_ top: [String: JSONTree], path: String) {
        var entries: [(JSONTree, String)] = []
        if let list = top["services"]?.array {
            entries = list.enumerated().map { ($1, "services[\($0)]") }
        } else if let single = top["service"] {
            entries = [(single, "service")]
        }
        for (tree, jsonPath) in entries {
            guard let name = tree["serviceName"]?.string else {
                problems.append(ContextProblem(path: path, code: .ignoredContent, message: "\(jsonPath) has no serviceName; skipped"))
                continue
            }
            let targetGroups = (tree["loadBalancers"]?.array ?? []).compactMap { $0["targetGroupArn"]?.string }
            var grace = tree["healthCheckGracePeriodSeconds"]?.double
            if grace == nil, !(tree["loadBalancers"]?.array ?? []).isEmpty { grace = 0 }
            context.services.append(ServiceContext.Service(
                name: name,
                cluster: tree["clusterArn"]?.string.map(Self.lastPathComponent),
                desiredCount: tree["desiredCount"]?.int,
                healthCheckGracePeriodSeconds: grace,
                targetGroupArns: targetGroups,
                taskDefinition: tree["taskDefinition"]?.string,
                launchType: Self.launchType(tree),
                origin: ContextOrigin.make(path: path, jsonPath: jsonPath)
            ))
        }
        for failure in top["failures"]?.array ?? [] {
            let arn = failure["arn"]?.string ?? "?"
            let reason = failure["reason"]?.string ?? "?"
            problems.append(ContextProblem(path: path, code: .ignoredContent,
                                           message: "describe-services failure: \(arn) \(reason)"))
        }
    }

    /// `launchType`, else `FARGATE` when the capacity provider strategy uses Fargate, else `EC2` for other
    /// providers, else nil (the cluster's default strategy).
    static func launchType(_ service: JSONTree) -> String? {
        if let launchType = service["launchType"]?.string { return launchType }
        let providers = (service["capacityProviderStrategy"]?.array ?? []).compactMap { $0["capacityProvider"]?.string }
        if providers.isEmpty { return nil }
        return providers.contains { $0.uppercased().hasPrefix("FARGATE") } ? "FARGATE" : "EC2"
    }

    static func lastPathComponent(_ arn: String) -> String {
        arn.split(separator: "/").last.map(String.init) ?? arn
    }

    mutating func addTargetGroups(_ top: [String: JSONTree], path: String) {
        for (index, tree) in (top["TargetGroups"]?.array ?? []).enumerated() {
            guard let arn = tree["TargetGroupArn"]?.string else { continue }
            context.targetGroups.append(ServiceContext.TargetGroup(
                arn: arn,
                name: tree["TargetGroupName"]?.string ?? Self.targetGroupName(arn),
                intervalSeconds: tree["HealthCheckIntervalSeconds"]?.double ?? 30,
                timeoutSeconds: tree["HealthCheckTimeoutSeconds"]?.double ?? 5,
                healthyThreshold: tree["HealthyThresholdCount"]?.int ?? 5,
                unhealthyThreshold: tree["UnhealthyThresholdCount"]?.int ?? 2,
                path: tree["HealthCheckPath"]?.string,
                origin: ContextOrigin.make(path: path, jsonPath: "TargetGroups[\(index)]")
            ))
        }
    }

    /// `…:targetgroup/NAME/ID` → `NAME`.
    static func targetGroupName(_ arn: String) -> String {
        let parts = arn.split(separator: "/")
        return parts.count >= 2 ? String(parts[parts.count - 2]) : arn
    }

    /// `service/CLUSTER/NAME` → (CLUSTER, NAME).
    static func ecsResource(_ resourceId: String?) -> (cluster: String, service: String)? {
        guard let parts = resourceId?.split(separator: "/", omittingEmptySubsequences: false),
              parts.count == 3, parts[0] == "service" else { return nil }
        return (String(parts[1]), String(parts[2]))
    }

    mutating func addScalableTargets(_ top: [String: JSONTree], path: String) {
        context.knowsScalableTargets = true
        for (index, tree) in (top["ScalableTargets"]?.array ?? []).enumerated() {
            guard tree["ServiceNamespace"]?.string ?? "ecs" == "ecs",
                  let resource = Self.ecsResource(tree["ResourceId"]?.string) else { continue }
            context.scalableTargets.append(ServiceContext.ScalableTarget(
                cluster: resource.cluster,
                service: resource.service,
                minCapacity: tree["MinCapacity"]?.int ?? 0,
                maxCapacity: tree["MaxCapacity"]?.int ?? 0,
                origin: ContextOrigin.make(path: path, jsonPath: "ScalableTargets[\(index)]")
            ))
        }
    }

    mutating func addScalingPolicies(_ top: [String: JSONTree], path: String) {
        knowsScalingPolicies = true
        for (index, tree) in (top["ScalingPolicies"]?.array ?? []).enumerated() {
            guard tree["ServiceNamespace"]?.string ?? "ecs" == "ecs",
                  let resource = Self.ecsResource(tree["ResourceId"]?.string) else { continue }
            context.scalingPolicies.append(ServiceContext.ScalingPolicy(
                cluster: resource.cluster,
                service: resource.service,
                name: tree["PolicyName"]?.string ?? "",
                type: tree["PolicyType"]?.string ?? "",
                origin: ContextOrigin.make(path: path, jsonPath: "ScalingPolicies[\(index)]")
            ))
        }
    }

    mutating func addLogGroups(_ top: [String: JSONTree]) {
        var groups = context.existingLogGroups ?? []
        for tree in top["logGroups"]?.array ?? [] {
            if let name = tree["logGroupName"]?.string, !groups.contains(name) { groups.append(name) }
        }
        context.existingLogGroups = groups
    }
}
