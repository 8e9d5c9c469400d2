import DiagnosisRules

/// Footgun 4: logging driver misconfigured.
extension AuditScope {
    func loggingFindings(_ taskDefinition: ServiceContext.TaskDefinition, index _: Int) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        let fargate = onFargate(taskDefinition)
        let region = region(for: taskDefinition)
        let suggestedGroup = taskDefinition.containers.lazy.compactMap { $0.logOptions["awslogs-group"] }.first
            ?? "/ecs/\(taskDefinition.family)"
        let executionRole = taskDefinition.executionRoleArn.map(ServiceContext.roleName(fromArn:))
        var reportedStreamAccess = false

        for (index, container) in taskDefinition.containers.enumerated() {
            guard let driver = container.logDriver else {
                findings.append(noLogConfiguration(taskDefinition, index: index, container: container, group: suggestedGroup,
                                                   region: region))
                continue
            }
            guard driver == "awslogs" else { continue }
            let options = container.logOptions
            let group = options["awslogs-group"]
            let createGroup = options["awslogs-create-group"]?.lowercased() == "true"

            var missing: [String] = []
            if group == nil { missing.append("awslogs-group") }
            if options["awslogs-region"] == nil { missing.append("awslogs-region") }
            if fargate, options["awslogs-stream-prefix"] == nil { missing.append("awslogs-stream-prefix") }
            if !missing.isEmpty {
                var filled = options
                filled["awslogs-group"] = filled["awslogs-group"] ?? suggestedGroup
                filled["awslogs-region"] = filled["awslogs-region"] ?? region ?? "REGION"
                if fargate { filled["awslogs-stream-prefix"] = filled["awslogs-stream-prefix"] ?? "ecs" }
                findings.append(AuditFinding(
                    severity: .error,
                    check: .awslogsMissingOption,
                    title: "Container \(container.name) of \(label(taskDefinition)) uses awslogs without \(missing.joined(separator: ", "))",
                    service: serviceLabel(taskDefinition),
                    evidence: evidence(taskDefinition, containerPath(index, "logConfiguration.options")),
                    detail: "awslogs-group and awslogs-region are required"
                        + (fargate ? ", and awslogs-stream-prefix is required on Fargate" : "")
                        + "; the task fails to start its logging driver (or logs land in an unnamed stream).",
                    fix: Self.logConfigurationSnippet(filled)
                ))
            }

            if let group, let existing = context.existingLogGroups, !existing.contains(group), !createGroup {
                let regionFlag = (options["awslogs-region"] ?? region).map { " --region \(FixText.shell($0))" } ?? ""
                findings.append(AuditFinding(
                    severity: .error,
                    check: .logGroupDoesNotExist,
                    title: "Log group \(group) of container \(container.name) does not exist",
                    service: serviceLabel(taskDefinition),
                    evidence: evidence(taskDefinition, containerPath(index, "logConfiguration.options.awslogs-group")),
                    detail: "describe-log-groups does not list \(group). Tasks then fail to start with "
                        + "\"ResourceInitializationError: failed to validate logger args\" (Fargate) or "
                        + "CannotStartContainerError (EC2), and nothing is logged.",
                    fix: "aws logs create-log-group --log-group-name \(FixText.shell(group))\(regionFlag)"
                ))
            }

            // The agent needs the execution role for awslogs (on EC2 the instance role may serve instead).
            let role = executionRole.flatMap(completeRole)
            let judged = executionRole == nil ? fargate : role != nil
            guard judged else { continue }

            if createGroup, role.map({ !allows($0, "logs:CreateLogGroup") }) ?? true {
                let groupName = group ?? suggestedGroup
                let account = account(for: taskDefinition) ?? "ACCOUNT_ID"
                let groupArn = "arn:aws:logs:\(options["awslogs-region"] ?? region ?? "REGION"):\(account):log-group:\(groupName)"
                let grant = FixText.putRolePolicy(role: executionRole ?? "\(taskDefinition.family)-execution-role",
                                                  policyName: "\(taskDefinition.family)-create-log-group",
                                                  statements: [(["logs:CreateLogGroup"], [groupArn, groupArn + ":*"])])
                findings.append(AuditFinding(
                    severity: .error,
                    check: .executionRoleMissingCreateLogGroup,
                    title: executionRole.map { "Container \(container.name) sets awslogs-create-group but execution role \($0) lacks logs:CreateLogGroup" }
                        ?? "Container \(container.name) sets awslogs-create-group but the task definition has no execution role",
                    service: serviceLabel(taskDefinition),
                    evidence: evidence(taskDefinition, containerPath(index, "logConfiguration.options.awslogs-create-group")),
                    detail: "With awslogs-create-group \"true\" the agent creates \(groupName) with the execution role; "
                        + "without logs:CreateLogGroup the task fails to start.",
                    fix: executionRole == nil ? createExecutionRoleFix(taskDefinition, extra: [grant]) : grant
                ))
            }

            let streamActions = ["logs:CreateLogStream", "logs:PutLogEvents"]
            let lacking = role.map { role in streamActions.filter { !allows(role, $0) } } ?? streamActions
            if !lacking.isEmpty, !reportedStreamAccess {
                reportedStreamAccess = true
                findings.append(AuditFinding(
                    severity: .error,
                    check: .executionRoleMissingLogStreamAccess,
                    title: executionRole.map { "Execution role \($0) cannot write container logs (\(lacking.joined(separator: ", ")) not granted)" }
                        ?? "Task definition \(label(taskDefinition)) uses awslogs on Fargate but has no execution role",
                    service: serviceLabel(taskDefinition),
                    evidence: evidence(taskDefinition, containerPath(index, "logConfiguration")),
                    detail: "The awslogs driver creates the stream and sends events with the execution role's credentials; "
                        + "without them the task fails to start or its output is lost.",
                    fix: executionRole.map {
                        "aws iam attach-role-policy --role-name \(FixText.shell($0)) --policy-arn \(FixText.executionRolePolicyArn)"
                    } ?? createExecutionRoleFix(taskDefinition, extra: [])
                ))
            }
        }
        return findings
    }

    private func noLogConfiguration(_ taskDefinition: ServiceContext.TaskDefinition, index: Int,
                                    container: ServiceContext.Container, group: String, region: String?) -> AuditFinding {
        var fix = Self.logConfigurationSnippet([
            "awslogs-group": group, "awslogs-region": region ?? "REGION", "awslogs-stream-prefix": "ecs",
        ])
        fix = "# add to container \(container.name) of task definition \(taskDefinition.family), then register a new revision:\n" + fix
        if let existing = context.existingLogGroups, !existing.contains(group) {
            fix += "\naws logs create-log-group --log-group-name \(FixText.shell(group))"
                + (region.map { " --region \(FixText.shell($0))" } ?? "")
        }
        for service in services(running: taskDefinition) {
            fix += "\n" + updateService(service) + " --task-definition \(FixText.shell(taskDefinition.family))"
        }
        return AuditFinding(
            severity: container.essential ? .error : .warning,
            check: .noLogConfiguration,
            title: "Container \(container.name) of \(label(taskDefinition)) has no logConfiguration: its output goes nowhere",
            service: serviceLabel(taskDefinition),
            evidence: evidence(taskDefinition, containerPath(index, "logConfiguration")),
            detail: "Without a log driver the task runs and nothing is ever written to CloudWatch Logs, with no error "
                + "anywhere; when the service fails there are no logs to diagnose it.",
            fix: fix
        )
    }

    /// A `logConfiguration` JSON snippet with the options in key order.
    static func logConfigurationSnippet(_ options: [String: String]) -> String {
        let lines = options.keys.sorted().map { "      \(FixText.json($0)): \(FixText.json(options[$0]!))" }
        return "\"logConfiguration\": {\n  \"logDriver\": \"awslogs\",\n  \"options\": {\n"
            + lines.map { String($0.dropFirst(2)) }.joined(separator: ",\n") + "\n  }\n}"
    }
}
