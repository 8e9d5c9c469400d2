import DiagnosisRules

/// Footgun 1: task role vs execution role.
extension AuditScope {
    /// Service prefixes the ECS agent itself uses through the execution role (image pull, logs, secrets).
    /// Everything else granted to the execution role is an application permission the app never receives.
    static let agentServices: Set<String> = ["ecr", "logs", "ssm", "secretsmanager", "kms"]

    static let ecrPullActions = [
        "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
    ]

    /// Whether an action pattern belongs to the application (S3, DynamoDB, SQS, SNS, Kinesis, Lambda, SES,
    /// Bedrock …) rather than to the ECS agent. `*` counts: it grants the application services too.
    static func isAppAction(_ action: String) -> Bool {
        guard let colon = action.firstIndex(of: ":") else { return action == "*" }
        return !agentServices.contains(action[..<colon].lowercased())
    }

    func roleFindings(_ taskDefinition: ServiceContext.TaskDefinition, index: Int) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        let executionRole = taskDefinition.executionRoleArn.map(ServiceContext.roleName(fromArn:))
        let taskRole = taskDefinition.taskRoleArn.map(ServiceContext.roleName(fromArn:))
        let appGrants = executionRole.flatMap { details.roles[$0] }?.grants.filter { Self.isAppAction($0.action) } ?? []
        if taskRole == nil {
            findings.append(noTaskRole(taskDefinition, executionRole: executionRole, appGrants: appGrants))
        } else if let taskRole, taskRole == executionRole {
            findings.append(sharedRole(taskDefinition, role: taskRole, appGrants: appGrants))
        } else if let taskRole, let executionRole, !appGrants.isEmpty,
                  let finding = appPermissions(taskDefinition, executionRole: executionRole, taskRole: taskRole,
                                               appGrants: appGrants) {
            findings.append(finding)
        }
        findings += executionRoleNeeds(taskDefinition, executionRole: executionRole)
        return findings
    }

    // MARK: App permissions on the execution role

    private func appPermissions(_ taskDefinition: ServiceContext.TaskDefinition, executionRole: String, taskRole: String,
                                appGrants: [PermissionGrant]) -> AuditFinding? {
        let missing: [PermissionGrant]
        let severity: Severity
        let knowledge: String
        if let task = details.roles[taskRole] {
            missing = appGrants.filter { !allows(task, $0.action) }
            severity = task.isComplete ? .critical : .error
            knowledge = task.isComplete
                ? "The task role \(taskRole) grants none of them."
                : "The task role \(taskRole) does not grant them in the documents given; its policies \(task.unresolvedPolicies.joined(separator: ", ")) were not given."
        } else {
            missing = appGrants
            severity = .error
            knowledge = "The task role \(taskRole)'s policies were not given, so it is not known whether it grants them."
        }
        guard !missing.isEmpty else { return nil }
        let actions = Self.uniqueActions(missing)
        return AuditFinding(
            severity: severity,
            check: .appPermissionsOnExecutionRole,
            title: "\(actions.joined(separator: ", ")) granted to the execution role \(executionRole), not to the task role \(taskRole) the app runs as",
            service: serviceLabel(taskDefinition),
            evidence: AuditFinding.Evidence(origin: missing[0].origin),
            detail: "Task definition \(label(taskDefinition)): the execution role is used only by the ECS agent (image pull, "
                + "log streams, secrets); the application's AWS SDK gets the task role's credentials "
                + "(assumed-role/\(taskRole)/TASK_ID), so these calls fail with AccessDenied at runtime. \(knowledge) "
                + Self.grantSummary(missing),
            fix: moveGrantsFix(missing, from: executionRole, to: taskRole, createTaskRole: false, taskDefinition)
        )
    }

    private func noTaskRole(_ taskDefinition: ServiceContext.TaskDefinition, executionRole: String?,
                            appGrants: [PermissionGrant]) -> AuditFinding {
        let newRole = "\(taskDefinition.family)-task-role"
        let evidence = evidence(taskDefinition, "taskRoleArn")
        if let executionRole, !appGrants.isEmpty {
            let actions = Self.uniqueActions(appGrants)
            return AuditFinding(
                severity: .critical,
                check: .noTaskRole,
                title: "Task definition \(label(taskDefinition)) has no task role; \(actions.joined(separator: ", ")) sit on the execution role \(executionRole), which the app never gets",
                service: serviceLabel(taskDefinition),
                evidence: evidence,
                detail: "Without taskRoleArn the app gets no AWS credentials on Fargate (\"Unable to locate credentials\") "
                    + "and the instance role on EC2; the execution role is only for the ECS agent. " + Self.grantSummary(appGrants),
                fix: moveGrantsFix(appGrants, from: executionRole, to: newRole, createTaskRole: true, taskDefinition)
            )
        }
        return AuditFinding(
            severity: .warning,
            check: .noTaskRole,
            title: "Task definition \(label(taskDefinition)) has no task role: the app gets no AWS credentials",
            service: serviceLabel(taskDefinition),
            evidence: evidence,
            detail: "Without taskRoleArn an AWS SDK call from the app finds no credentials on Fargate and falls back to "
                + "the instance role on EC2. Harmless only if the app never calls AWS.",
            fix: [
                FixText.createRole(newRole),
                "# grant the app's permissions: aws iam put-role-policy --role-name \(newRole) …",
                registerRevision(taskDefinition, snippet: "\"taskRoleArn\": \(FixText.json(FixText.roleArn(account: account(for: taskDefinition), role: newRole)))"),
            ].joined(separator: "\n")
        )
    }

    private func sharedRole(_ taskDefinition: ServiceContext.TaskDefinition, role: String,
                            appGrants: [PermissionGrant]) -> AuditFinding {
        let newRole = "\(taskDefinition.family)-task-role"
        var fix: String
        if appGrants.isEmpty {
            fix = [
                FixText.createRole(newRole),
                "# grant the app's permissions to \(newRole) (aws iam put-role-policy --role-name \(newRole) …), not to \(role)",
                registerRevision(taskDefinition, snippet: "\"taskRoleArn\": \(FixText.json(FixText.roleArn(account: account(for: taskDefinition), role: newRole)))"),
            ].joined(separator: "\n")
        } else {
            fix = moveGrantsFix(appGrants, from: role, to: newRole, createTaskRole: true, taskDefinition)
        }
        return AuditFinding(
            severity: .warning,
            check: .taskRoleIsExecutionRole,
            title: "Task definition \(label(taskDefinition)) uses \(role) as both task role and execution role",
            service: serviceLabel(taskDefinition),
            evidence: evidence(taskDefinition, "taskRoleArn"),
            detail: "The app then holds the ECS agent's permissions (ECR pull, log writing, secret reads) and the agent "
                + "the app's; it works, but it hides which side a permission belongs to, the confusion behind the "
                + "task-role/execution-role footgun.",
            fix: fix
        )
    }

    // MARK: What the execution role must allow

    private func executionRoleNeeds(_ taskDefinition: ServiceContext.TaskDefinition, executionRole: String?) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        let fargate = onFargate(taskDefinition)
        let role = executionRole.flatMap(completeRole)
        if executionRole != nil, role == nil { return [] }   // permissions unknown or incomplete: not judged

        // Secrets: ssm:GetParameters / secretsmanager:GetSecretValue.
        var needs: [(action: String, resource: String, container: Int)] = []
        for (index, container) in taskDefinition.containers.enumerated() {
            for secret in container.secrets {
                let need = secretNeed(secret, taskDefinition)
                if role.map({ !allows($0, need.action) }) ?? true { needs.append((need.action, need.resource, index)) }
            }
        }
        if let first = needs.first {
            let roleName = executionRole ?? "\(taskDefinition.family)-execution-role"
            let byAction = Dictionary(grouping: needs, by: \.action)
            let statements = byAction.keys.sorted().map { action in
                (actions: [action], resources: Self.unique(byAction[action]!.map(\.resource)))
            }
            let grant = FixText.putRolePolicy(role: roleName, policyName: "\(taskDefinition.family)-secrets", statements: statements)
            findings.append(AuditFinding(
                severity: .error,
                check: .executionRoleMissingSecretsAccess,
                title: executionRole.map {
                    "Execution role \($0) cannot read the secrets of task definition \(label(taskDefinition)) (\(byAction.keys.sorted().joined(separator: ", ")) not granted)"
                } ?? "Task definition \(label(taskDefinition)) references secrets but has no execution role to read them",
                service: serviceLabel(taskDefinition),
                evidence: evidence(taskDefinition, containerPath(first.container, "secrets")),
                detail: "The ECS agent reads secrets[].valueFrom with the execution role before the container starts; "
                    + "without access the task stops with ResourceInitializationError and never runs. Secrets: "
                    + Self.unique(needs.map(\.resource)).joined(separator: ", ")
                    + ". A customer-managed KMS key also needs kms:Decrypt.",
                fix: executionRole == nil ? createExecutionRoleFix(taskDefinition, extra: [grant]) : grant
            ))
        }

        // ECR pull.
        if let index = taskDefinition.containers.firstIndex(where: \.usesECR), executionRole != nil || fargate {
            let missing = role.map { role in Self.ecrPullActions.filter { !allows(role, $0) } } ?? Self.ecrPullActions
            if !missing.isEmpty {
                let fix = executionRole.map {
                    "aws iam attach-role-policy --role-name \(FixText.shell($0)) --policy-arn \(FixText.executionRolePolicyArn)"
                } ?? createExecutionRoleFix(taskDefinition, extra: [])
                findings.append(AuditFinding(
                    severity: .error,
                    check: .executionRoleMissingECRPull,
                    title: executionRole.map {
                        "Execution role \($0) cannot pull the ECR image of container \(taskDefinition.containers[index].name) (\(missing.joined(separator: ", ")) not granted)"
                    } ?? "Task definition \(label(taskDefinition)) pulls from ECR on Fargate but has no execution role",
                    service: serviceLabel(taskDefinition),
                    evidence: evidence(taskDefinition, containerPath(index, "image")),
                    detail: "The agent authenticates to ECR with the execution role; without these actions the task stops "
                        + "with CannotPullContainerError / ResourceInitializationError before the app starts.",
                    fix: fix
                ))
            }
        }
        return findings
    }

    /// The action and resource ARN a secret's `valueFrom` needs.
    private func secretNeed(_ valueFrom: String, _ taskDefinition: ServiceContext.TaskDefinition) -> (action: String, resource: String) {
        if ARN.service(valueFrom) == "secretsmanager" {
            // arn:aws:secretsmanager:R:A:secret:NAME[:json-key:version-stage:version-id] → the secret's ARN.
            let parts = valueFrom.split(separator: ":", omittingEmptySubsequences: false)
            return ("secretsmanager:GetSecretValue", parts.prefix(7).joined(separator: ":"))
        }
        if ARN.service(valueFrom) == "ssm" { return ("ssm:GetParameters", valueFrom) }
        let name = valueFrom.hasPrefix("/") ? String(valueFrom.dropFirst()) : valueFrom
        let arn = "arn:aws:ssm:\(region(for: taskDefinition) ?? "REGION"):\(account(for: taskDefinition) ?? "ACCOUNT_ID"):parameter/\(name)"
        return ("ssm:GetParameters", arn)
    }

    // MARK: Fix builders

    /// Commands that create an execution role with the ECS managed policy (plus `extra`) and point the task
    /// definition at it.
    func createExecutionRoleFix(_ taskDefinition: ServiceContext.TaskDefinition, extra: [String]) -> String {
        let role = "\(taskDefinition.family)-execution-role"
        return ([
            FixText.createRole(role),
            "aws iam attach-role-policy --role-name \(FixText.shell(role)) --policy-arn \(FixText.executionRolePolicyArn)",
        ] + extra + [
            registerRevision(taskDefinition, snippet: "\"executionRoleArn\": \(FixText.json(FixText.roleArn(account: account(for: taskDefinition), role: role)))"),
        ]).joined(separator: "\n")
    }

    /// "Register a new revision with SNIPPET" and the update-service commands that deploy it.
    func registerRevision(_ taskDefinition: ServiceContext.TaskDefinition, snippet: String) -> String {
        var lines = ["# register a new revision of task definition \(taskDefinition.family) with:", snippet]
        for service in services(running: taskDefinition) {
            lines.append(updateService(service) + " --task-definition \(FixText.shell(taskDefinition.family))")
        }
        return lines.joined(separator: "\n")
    }

    /// `aws ecs update-service --cluster C --service S`.
    func updateService(_ service: ServiceContext.Service) -> String {
        "aws ecs update-service --cluster \(FixText.shell(service.cluster ?? "default")) --service \(FixText.shell(service.name))"
    }

    /// Commands that grant `grants` to the task role and remove them from the execution role.
    func moveGrantsFix(_ grants: [PermissionGrant], from executionRole: String, to taskRole: String, createTaskRole: Bool,
                       _ taskDefinition: ServiceContext.TaskDefinition) -> String {
        var add: [String] = createTaskRole ? [FixText.createRole(taskRole)] : []
        var remove: [String] = []
        let allOfExecutionRole = details.roles[executionRole]?.grants ?? []
        var policies: [(name: String, arn: String?)] = []
        for grant in grants where !policies.contains(where: { $0.name == grant.policyName && $0.arn == grant.policyArn }) {
            policies.append((grant.policyName, grant.policyArn))
        }
        if grants.contains(where: { $0.action == "*" }) {
            add.append("# \"*\" is not moved: grant \(taskRole) only the actions the app calls")
        }
        for policy in policies {
            let all = grants.filter { $0.policyName == policy.name && $0.policyArn == policy.arn }
            let moved = all.filter { $0.action != "*" }
            let rest = allOfExecutionRole.filter {
                $0.policyName == policy.name && $0.policyArn == policy.arn && !Self.isAppAction($0.action)
            }
            if let arn = policy.arn, rest.isEmpty {
                if moved.count == all.count {
                    add.append("aws iam attach-role-policy --role-name \(FixText.shell(taskRole)) --policy-arn \(FixText.shell(arn))")
                }
                remove.append("aws iam detach-role-policy --role-name \(FixText.shell(executionRole)) --policy-arn \(FixText.shell(arn))")
                continue
            }
            let name = policy.name.isEmpty ? "\(taskDefinition.family)-app" : policy.name
            if !moved.isEmpty {
                add.append(FixText.putRolePolicy(role: taskRole, policyName: name, statements: Self.statements(moved)))
            }
            if let arn = policy.arn {
                remove.append("# remove \(Self.uniqueActions(all).joined(separator: ", ")) from managed policy \(arn) (aws iam create-policy-version --set-as-default …)")
            } else if policy.name.isEmpty {
                remove.append("# remove \(Self.uniqueActions(all).joined(separator: ", ")) from the execution role \(executionRole)'s policies")
            } else if rest.isEmpty {
                remove.append("aws iam delete-role-policy --role-name \(FixText.shell(executionRole)) --policy-name \(FixText.shell(policy.name))")
            } else {
                remove.append(FixText.putRolePolicy(role: executionRole, policyName: policy.name, statements: Self.statements(rest)))
            }
        }
        var lines = ["# 1. grant them to the task role (the app's credentials):"] + add
        lines += ["# 2. remove them from the execution role (only the ECS agent uses it):"] + remove
        if createTaskRole {
            lines.append("# 3. run the tasks as the task role:")
            lines.append(registerRevision(taskDefinition, snippet: "\"taskRoleArn\": \(FixText.json(FixText.roleArn(account: account(for: taskDefinition), role: taskRole)))"))
        }
        return lines.joined(separator: "\n")
    }

    /// Grants grouped into statements by identical resources, in first-seen order.
    static func statements(_ grants: [PermissionGrant]) -> [(actions: [String], resources: [String])] {
        var result: [(actions: [String], resources: [String])] = []
        for grant in grants {
            if let index = result.firstIndex(where: { $0.resources == grant.resources }) {
                if !result[index].actions.contains(grant.action) { result[index].actions.append(grant.action) }
            } else {
                result.append(([grant.action], grant.resources))
            }
        }
        return result
    }

    /// "Granted by inline policy P on R; managed policy M." for a detail text.
    static func grantSummary(_ grants: [PermissionGrant]) -> String {
        var parts: [String] = []
        for grant in grants {
            let source = grant.policyArn.map { "managed policy \($0)" }
                ?? (grant.policyName.isEmpty ? "a policy" : "inline policy \(grant.policyName)")
            let text = "\(grant.action) by \(source) on \(grant.resources.joined(separator: ", "))"
            if !parts.contains(text) { parts.append(text) }
        }
        return "Granted: " + parts.joined(separator: "; ") + "."
    }

    static func uniqueActions(_ grants: [PermissionGrant]) -> [String] { unique(grants.map(\.action)) }

    static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
