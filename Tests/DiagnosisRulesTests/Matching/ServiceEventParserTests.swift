import Testing
@testable import DiagnosisRules

/// One service event message (aws-formats §1.2–1.3) and the signal it must give.
struct ServiceEventCase: Sendable, CustomTestStringConvertible {
    var text: String
    var kind: SignalKind?
    var service: String? = nil
    var task: String? = nil
    var otherTasks: [String]? = nil
    var taskCount: Int? = nil
    var targetGroup: String? = nil
    var reason: String? = nil
    var origin: String? = nil
    var deployment: String? = nil
    var testDescription: String { String(text.prefix(90)) }
}

@Suite("ServiceEventParser")
struct ServiceEventParserTests {
    static let tg = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/civictechjobs-fullstack-stage/555a47e25c5a1850"

    static let cases: [ServiceEventCase] = [
        // §1.2, API form.
        ServiceEventCase(text: "(service prometheus) has reached a steady state.", kind: .steadyState, service: "prometheus"),
        ServiceEventCase(
            text: "(service civictechjobs-fullstack-stage) has started 1 tasks: (task ca675…",
            kind: .taskStarted, service: "civictechjobs-fullstack-stage", taskCount: 1),
        ServiceEventCase(
            text: "(service clouddriver-dev-v0013) has started 1 tasks: (task 924ca50e-f291-4d5e-af11-1523f887b976).",
            kind: .taskStarted, service: "clouddriver-dev-v0013", task: "924ca50e-f291-4d5e-af11-1523f887b976", taskCount: 1),
        ServiceEventCase(
            text: "(service okkez-sandbox-app) has started 6 tasks: (task 908525d4911d4f03898ed7ea2ca80e08) (task f563c7a3357b4bc1853f649270f0eba2) (task …",
            kind: .taskStarted, service: "okkez-sandbox-app", task: "908525d4911d4f03898ed7ea2ca80e08",
            otherTasks: ["f563c7a3357b4bc1853f649270f0eba2"], taskCount: 6),
        ServiceEventCase(
            text: "(service civictechjobs-fullstack-stage) has stopped 1 running tasks: (task 26feeb2c30cf4d7cb3ae44fd0e17719b).",
            kind: .taskStopped, service: "civictechjobs-fullstack-stage", task: "26feeb2c30cf4d7cb3ae44fd0e17719b", taskCount: 1),
        ServiceEventCase(text: "(service staging-sd-neodarwin) has begun draining connections on 1 tasks.", kind: nil),
        ServiceEventCase(
            text: "(service clouddriver-dev-v0013) registered 1 targets in (target-group arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/clouddriver-dev/83a346e96e7ef4d1)",
            kind: nil),
        ServiceEventCase(text: "(service civictechjobs-fullstack-stage) deregistered 1 targets in (target-group \(tg))", kind: nil),
        ServiceEventCase(
            text: "(service civictechjobs-fullstack-stage) (port 8000) is unhealthy in (target-group \(tg)) due to (reason Health checks failed).",
            kind: .healthCheckFailed, service: "civictechjobs-fullstack-stage", targetGroup: tg, reason: "Health checks failed",
            origin: "elb"),
        ServiceEventCase(
            text: "service ldashtest (port 80) is unhealthy in target-group fargate-ldashtest due to (reason Health checks failed with these codes: [404]).",
            kind: .healthCheckFailed, service: "ldashtest", targetGroup: "fargate-ldashtest",
            reason: "Health checks failed with these codes: [404]", origin: "elb"),
        ServiceEventCase(
            text: "service example-service (instance i-016b0a460d9974567) (port 1047) is unhealthy in target-group example-service due to (reason Request timed out)",
            kind: .healthCheckFailed, service: "example-service", targetGroup: "example-service", reason: "Request timed out",
            origin: "elb"),
        ServiceEventCase(
            text: "(service AWS-Service) (task ff3e71a4-d7e5-428b-9232-2345657889) failed container health checks",
            kind: .healthCheckFailed, service: "AWS-Service", reason: "failed container health checks", origin: "container"),
        ServiceEventCase(
            text: "(service my-svc) (task 1234) failed container health checks.",
            kind: .healthCheckFailed, service: "my-svc", reason: "failed container health checks", origin: "container"),
        ServiceEventCase(
            text: "(service clouddriver-dev-v0013) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
            kind: .placementFailure, service: "clouddriver-dev-v0013", reason: "No Container Instances were found in your cluster"),
        ServiceEventCase(
            text: "(service clouddriver-dev-v0013) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance b2db08b9-0e55-4f7e-8331-f9fb0a707938) has insufficient CPU units available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
            kind: .placementFailure, service: "clouddriver-dev-v0013",
            reason: "The closest matching (container-instance b2db08b9-0e55-4f7e-8331-f9fb0a707938) has insufficient CPU units available"),
        ServiceEventCase(
            text: "service ComfyUIService was unable to place a task because no container instance met all of its requirements. The closest matching container-instance cca2a08b7a57472f9626b51debdc8595 is missing an attribute required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
            kind: .placementFailure, service: "ComfyUIService",
            reason: "The closest matching container-instance cca2a08b7a57472f9626b51debdc8595 is missing an attribute required by your task"),
        ServiceEventCase(
            text: "service ComfyUIStack-ComfyUIService6B91FEDA-6l6z6AJugL5Q was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your capacity provider. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
            kind: .placementFailure, service: "ComfyUIStack-ComfyUIService6B91FEDA-6l6z6AJugL5Q",
            reason: "No Container Instances were found in your capacity provider"),
        ServiceEventCase(
            text: "(service service-name) is unable to consistently start tasks successfully.",
            kind: .startFailure, service: "service-name", reason: "unable to consistently start tasks successfully"),
        ServiceEventCase(
            text: "service carealign-admin is unable to consistently start tasks successfully. For more information, see the Troubleshooting section.",
            kind: .startFailure, service: "carealign-admin", reason: "unable to consistently start tasks successfully"),
        ServiceEventCase(
            text: "service MythicalMysfits-Service failed to launch a task with (error ECS was unable to assume the role 'arn:aws:iam::123456789012:role/MythicalMysfitsCoreStack-ECSTaskRole-FXO3A6J08BN' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.).",
            kind: .startFailure, service: "MythicalMysfits-Service",
            reason: "ECS was unable to assume the role 'arn:aws:iam::123456789012:role/MythicalMysfitsCoreStack-ECSTaskRole-FXO3A6J08BN' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role"),
        ServiceEventCase(text: "(service prometheus) operations are being throttled on service discovery. Will try again later.", kind: nil),
        ServiceEventCase(text: "(service expd03-originacion) (deployment ecs-svc/3559820735141730004) deployment completed.", kind: nil),
        ServiceEventCase(text: "(service **REDACTED**) (deployment ecs-svc/3417254024836031316) deplo…", kind: nil),
        ServiceEventCase(
            text: "(service my-svc) (deployment 123) deployment failed: some-error.",
            kind: .startFailure, service: "my-svc", reason: "some-error", deployment: "123"),
        ServiceEventCase(
            text: "(service my-svc) (deployment ecs-svc/3702460895490032237) deployment failed: tasks failed to start.",
            kind: .startFailure, service: "my-svc", reason: "tasks failed to start", deployment: "ecs-svc/3702460895490032237"),
        ServiceEventCase(text: "(service my-svc) failed to register targets in (target-group 1234) with (error some-error)", kind: nil),
        // Doc-only templates.
        ServiceEventCase(
            text: "service (service-name) (instance instance-id) is unhealthy in (elb elb-name) due to (reason Instance has failed at least the UnhealthyThreshold number of health checks consecutively.)",
            kind: .healthCheckFailed, service: "service-name", targetGroup: "elb-name",
            reason: "Instance has failed at least the UnhealthyThreshold number of health checks consecutively", origin: "elb"),
        ServiceEventCase(
            text: "service (service-name) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.",
            kind: nil),
        ServiceEventCase(
            text: "service (service-name) was unable to place a task. Reason: You've reached the limit on the number of tasks you can run concurrently",
            kind: .placementFailure, service: "service-name",
            reason: "You've reached the limit on the number of tasks you can run concurrently"),
        ServiceEventCase(
            text: "service (service-name) was unable to place a task. Reason: Internal error.",
            kind: .placementFailure, service: "service-name", reason: "Internal error"),
        ServiceEventCase(
            text: "service (service-name) was unable to place a task. Reason: The requested CPU configuration is above your limit.",
            kind: .placementFailure, service: "service-name", reason: "The requested CPU configuration is above your limit"),
        ServiceEventCase(
            text: "service (service-name) was unable to reach steady state because task set (taskSet-ID) was unable to scale in. Reason: The number of protected tasks are more than the desired count of tasks.",
            kind: nil),
        ServiceEventCase(
            text: "(service service-name) (task task-id) (instance instance-id) (port port-number) is unhealthy in (target-group target-group-name) due to (reason failure-reason)",
            kind: .healthCheckFailed, service: "service-name", targetGroup: "target-group-name", reason: "failure-reason",
            origin: "elb"),
        ServiceEventCase(
            text: "(service service-name, taskSet taskSet-id) (task task-id) (instance instance-id) (port port-number) is unhealthy in (target-group target-group-name) due to (reason failure-reason)",
            kind: .healthCheckFailed, service: "service-name", targetGroup: "target-group-name", reason: "failure-reason",
            origin: "elb"),
        ServiceEventCase(
            text: "(service orders-api) (task 26feeb2c30cf4d7cb3ae44fd0e17719b) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders/0123456789abcdef) due to (reason Health checks failed with these codes: [503]).",
            kind: .healthCheckFailed, service: "orders-api", task: "26feeb2c30cf4d7cb3ae44fd0e17719b",
            targetGroup: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders/0123456789abcdef",
            reason: "Health checks failed with these codes: [503]", origin: "elb"),
        // §1.3, console and tool renderings.
        ServiceEventCase(
            text: "service prod-demo-bot-service port 3141 is unhealthy in target-group bot-target-group-prod due to (reason Health checks failed).",
            kind: .healthCheckFailed, service: "prod-demo-bot-service", targetGroup: "bot-target-group-prod",
            reason: "Health checks failed", origin: "elb"),
        ServiceEventCase(
            text: "service test-daemon-customer-w has started 1 tasks: task xxx.",
            kind: .taskStarted, service: "test-daemon-customer-w", taskCount: 1),
        ServiceEventCase(
            text: "service [hexo-discord-diffusion-prod] was unable to place a task because no container instance met all of its requirements.",
            kind: .placementFailure, service: "hexo-discord-diffusion-prod",
            reason: "no container instance met all of its requirements"),
        ServiceEventCase(text: "service zoo-quiz stopped 1 running tasks.", kind: .taskStopped, service: "zoo-quiz", taskCount: 1),
        ServiceEventCase(
            text: #"INFO[0037] (service tutorial) has started 1 tasks: (task a1068efe89614812a3243521c0d30847).  timestamp="2021-03-08 07:30:43 +0000 UTC""#,
            kind: .taskStarted, service: "tutorial", task: "a1068efe89614812a3243521c0d30847", taskCount: 1),
        ServiceEventCase(text: "2017/12/26 23:46:45 (service myapp) has begun draining connections on 1 tasks.", kind: nil),
        ServiceEventCase(
            text: "2017-03-31T14:17:26.154000-04:00\te4b61534-…\t(service staging-sd-neodarwin) has reached a steady state.",
            kind: .steadyState, service: "staging-sd-neodarwin"),
    ]

    @Test("service event templates, API and console wording", arguments: cases, [false, true])
    func template(_ c: ServiceEventCase, escaped: Bool) throws {
        let s = MatcherFixture.match(c.text, kind: .serviceEvent, escaped: escaped)
        guard let kind = c.kind else {
            #expect(s == nil)
            return
        }
        let signal = try #require(s)
        #expect(signal.kind == kind)
        #expect(signal.service == c.service)
        #expect(signal.task.map(\.description) == c.task)
        #expect(signal.detail.otherTasks?.map(\.description) == c.otherTasks)
        #expect(signal.detail.taskCount == c.taskCount)
        #expect(signal.detail.targetGroup == c.targetGroup)
        #expect(signal.detail.reason == c.reason)
        #expect(signal.detail.origin == c.origin)
        #expect(signal.detail.deployment == c.deployment)
        #expect(signal.detail.failureClass == nil)
        #expect(signal.line == c.text.split(separator: "\n").first.map(String.init))
    }

    @Test("a launch failure that is a denial is execution-role-denied")
    func launchDenied() throws {
        let text = "service orders-api failed to launch a task with (error ECS was unable to pull secrets: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/orders-exec-role/5f1c2b7a9d3e4f60a1b2c3d4e5f60718 is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf)."
        let s = try #require(MatcherFixture.match(text, kind: .serviceEvent))
        #expect(s.kind == .executionRoleDenied)
        #expect(s.service == "orders-api")
        #expect(s.detail.action == "secretsmanager:GetSecretValue")
        #expect(s.detail.role == "orders-exec-role")
        #expect(s.detail.resource == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf")
        #expect(s.detail.errorCode == "AccessDeniedException")
    }

    @Test("the task role of a trust failure is named")
    func launchTrustRole() throws {
        let s = try #require(MatcherFixture.match(Self.cases.first { $0.text.contains("MythicalMysfits") }!.text, kind: .serviceEvent))
        #expect(s.detail.role == "MythicalMysfitsCoreStack-ECSTaskRole-FXO3A6J08BN")
    }

    @Test("target group bindings from registration, deregistration and unhealthy events", arguments: [
        ("(service clouddriver-dev-v0013) registered 1 targets in (target-group arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/clouddriver-dev/83a346e96e7ef4d1)",
         "clouddriver-dev-v0013", "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/clouddriver-dev/83a346e96e7ef4d1"),
        ("(service civictechjobs-fullstack-stage) deregistered 1 targets in (target-group \(ServiceEventParserTests.tg))", "civictechjobs-fullstack-stage", ServiceEventParserTests.tg),
        ("service ldashtest (port 80) is unhealthy in target-group fargate-ldashtest due to (reason Health checks failed with these codes: [404]).",
         "ldashtest", "fargate-ldashtest"),
        ("(service my-svc) failed to register targets in (target-group 1234) with (error some-error)", "my-svc", "1234"),
    ])
    func binding(_ text: String, service: String, targetGroup: String) {
        for escaped in [false, true] {
            let payload = Array((escaped ? MatcherFixture.jsonEscaped(text) : text).utf8)
            let b = payload.withUnsafeBytes { p in
                SignalMatcher.targetGroupBinding(
                    RecordView(time: nil, source: SourceRef(input: 0, line: 1), kind: .serviceEvent, payload: p,
                               payloadIsJSONEscaped: escaped))
            }
            #expect(b?.service == service)
            #expect(b?.targetGroup == targetGroup)
        }
    }

    @Test("no binding without a target group, or for other record kinds")
    func noBinding() {
        let text = "(service prometheus) has reached a steady state."
        Array(text.utf8).withUnsafeBytes { p in
            #expect(SignalMatcher.targetGroupBinding(
                RecordView(time: nil, source: SourceRef(input: 0, line: 1), kind: .serviceEvent, payload: p)) == nil)
        }
        let unhealthy = "service ldashtest (port 80) is unhealthy in target-group fargate-ldashtest due to (reason x)."
        Array(unhealthy.utf8).withUnsafeBytes { p in
            #expect(SignalMatcher.targetGroupBinding(
                RecordView(time: nil, source: SourceRef(input: 0, line: 1), kind: .applicationLog, payload: p)) == nil)
        }
    }
}
