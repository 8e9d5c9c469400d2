import DiagnosisRules

/// Footguns 2 and 3: health check grace period and hard-coded task count.
extension AuditScope {
    /// The app's startup time for a service: the longest `healthCheck.startPeriod` of its essential containers
    /// and the observed startup, whichever is longer, with where it comes from.
    func startup(of service: ServiceContext.Service) -> (seconds: Double, source: String)? {
        var best: (seconds: Double, source: String)?
        if let taskDefinition = context.taskDefinition(for: service) {
            for container in taskDefinition.containers where container.essential {
                if let period = container.healthCheckStartPeriod, period > (best?.seconds ?? 0) {
                    best = (period, "container \(container.name) healthCheck.startPeriod")
                }
            }
        }
        if let observed = observedStartupSeconds[service.name], observed > (best?.seconds ?? 0) {
            best = (observed, "observed startup time")
        }
        return best
    }

    func gracePeriodFindings(_ service: ServiceContext.Service) -> [AuditFinding] {
        guard !service.targetGroupArns.isEmpty else { return [] }
        let grace = service.healthCheckGracePeriodSeconds ?? 0
        let targetGroup = service.targetGroupArns.lazy.compactMap { arn in context.targetGroups.first { $0.arn == arn } }.first
        let startup = startup(of: service)

        // Time from registration until the target is healthy. A new target needs one passing check; but when
        // the app is still booting after interval × unhealthy threshold, the target is marked unhealthy first
        // and then needs HealthyThresholdCount passing checks.
        var needed: Double?
        var neededText = ""
        if let startup {
            needed = startup.seconds
            neededText = "The app needs \(FixText.seconds(startup.seconds)) s to start (\(startup.source))"
            if let targetGroup {
                let checks = startup.seconds >= targetGroup.killAfterSeconds ? targetGroup.healthyThreshold : 1
                let total = startup.seconds + targetGroup.intervalSeconds * Double(checks)
                needed = total
                neededText += " plus \(checks) passing check\(checks == 1 ? "" : "s") × \(FixText.seconds(targetGroup.intervalSeconds)) s "
                    + "to turn healthy\(checks > 1 ? " once marked unhealthy" : "") = \(FixText.seconds(total)) s"
            }
            neededText += "."
        } else {
            neededText = "The startup time is unknown (no container healthCheck.startPeriod, no observed startup); measure it "
                + "and add the time to pass the healthy threshold."
        }
        var killText: String
        if let targetGroup {
            killText = "Target group \(targetGroup.name) checks \(targetGroup.path ?? "/") every \(FixText.seconds(targetGroup.intervalSeconds)) s "
                + "and marks a target unhealthy after \(targetGroup.unhealthyThreshold) failures: interval × unhealthy threshold = "
                + "\(FixText.seconds(targetGroup.killAfterSeconds)) s, so a task not serving \(FixText.seconds(targetGroup.killAfterSeconds)) s "
                + "after it registers is marked unhealthy, stopped and replaced."
        } else {
            killText = "The target group's health check settings were not given (describe-target-groups)."
        }
        let recommended = needed.map { max(10, FixText.roundUp($0, to: 10)) } ?? 60
        let fix = updateService(service) + " --health-check-grace-period-seconds \(FixText.seconds(recommended))"
        let evidence = AuditFinding.Evidence(origin: service.origin, child: "healthCheckGracePeriodSeconds")

        if grace <= 0 {
            return [AuditFinding(
                severity: .critical,
                check: .gracePeriodZero,
                title: "Service \(service.name) is behind a load balancer with a health check grace period of 0 s",
                service: service.name,
                evidence: evidence,
                detail: "ECS counts failed load balancer health checks from the moment a task is RUNNING, so a task "
                    + "still booting is stopped and replaced in a loop. \(killText) \(neededText)",
                fix: fix
            )]
        }
        if let needed, grace < needed {
            return [AuditFinding(
                severity: .critical,
                check: .gracePeriodShorterThanStartup,
                title: "Service \(service.name) has a health check grace period of \(FixText.seconds(grace)) s, shorter than the \(FixText.seconds(needed)) s its tasks need",
                service: service.name,
                evidence: evidence,
                detail: "When the grace period ends while the target is still unhealthy, ECS stops the task and starts "
                    + "another, which boots just as slowly. \(killText) \(neededText)",
                fix: fix
            )]
        }
        return []
    }

    func scalingFindings(_ service: ServiceContext.Service) -> [AuditFinding] {
        guard !service.targetGroupArns.isEmpty else { return [] }
        let cluster = service.cluster ?? "default"
        let resourceId = "service/\(cluster)/\(service.name)"
        let desired = service.desiredCount ?? 1
        let minimum = max(1, desired)
        let maximum = max(minimum * 5, minimum + 1)
        let register = "aws application-autoscaling register-scalable-target --service-namespace ecs "
            + "--scalable-dimension ecs:service:DesiredCount --resource-id \(FixText.shell(resourceId)) "
            + "--min-capacity \(minimum) --max-capacity \(maximum)"
        let putPolicy = "aws application-autoscaling put-scaling-policy --service-namespace ecs "
            + "--scalable-dimension ecs:service:DesiredCount --resource-id \(FixText.shell(resourceId)) "
            + "--policy-name \(FixText.shell("\(service.name)-cpu-target-tracking")) --policy-type TargetTrackingScaling "
            + "--target-tracking-scaling-policy-configuration "
            + "'{\"TargetValue\":60.0,\"PredefinedMetricSpecification\":{\"PredefinedMetricType\":\"ECSServiceAverageCPUUtilization\"},\"ScaleOutCooldown\":60,\"ScaleInCooldown\":120}'"

        guard let target = context.scalableTarget(service: service.name, cluster: service.cluster) else {
            guard context.knowsScalableTargets else { return [] }
            return [AuditFinding(
                severity: .error,
                check: .noScalableTarget,
                title: "Service \(service.name) has no auto-scaling: its task count is fixed at \(desired)",
                service: service.name,
                evidence: AuditFinding.Evidence(origin: service.origin, child: "desiredCount"),
                detail: "describe-scalable-targets lists no target for \(resourceId), so nothing adds tasks when traffic "
                    + "grows: the \(desired) task(s) saturate and response times climb.",
                fix: register + "\n" + putPolicy
            )]
        }
        var findings: [AuditFinding] = []
        let policies = context.scalingPolicies.filter { $0.service == service.name && $0.cluster == target.cluster }
        if policies.isEmpty, details.knowsScalingPolicies {
            findings.append(AuditFinding(
                severity: .error,
                check: .noScalingPolicy,
                title: "Service \(service.name) has a scalable target (\(target.minCapacity)–\(target.maxCapacity)) but no scaling policy",
                service: service.name,
                evidence: AuditFinding.Evidence(origin: target.origin),
                detail: "describe-scaling-policies lists no policy for \(resourceId): the scalable target never changes "
                    + "the desired count, so the task count is effectively fixed.",
                fix: putPolicy
            ))
        }
        if let desiredCount = service.desiredCount, target.maxCapacity <= desiredCount {
            let raised = max(target.minCapacity * 5, desiredCount * 2, target.maxCapacity + 1)
            findings.append(AuditFinding(
                severity: .error,
                check: .maxCapacityEqualsDesired,
                title: "Service \(service.name) cannot scale out: max capacity \(target.maxCapacity) ≤ desired count \(desiredCount)",
                service: service.name,
                evidence: AuditFinding.Evidence(origin: target.origin, child: "MaxCapacity"),
                detail: "Auto-scaling never sets the desired count above MaxCapacity, so under more load the service "
                    + "stays at \(desiredCount) task(s).",
                fix: "aws application-autoscaling register-scalable-target --service-namespace ecs "
                    + "--scalable-dimension ecs:service:DesiredCount --resource-id \(FixText.shell(resourceId)) "
                    + "--min-capacity \(target.minCapacity) --max-capacity \(raised)"
            ))
        }
        return findings
    }
}
