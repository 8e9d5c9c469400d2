import Testing
@testable import DiagnosisRules

/// A container of a fixture task event.
struct FixtureContainer: Sendable {
    var name: String
    var exitCode: Int?
    var reason: String?
}

/// One stop (aws-formats §2.2, reasons verbatim) and how it must be classified.
struct StopCase: Sendable, CustomTestStringConvertible {
    var stoppedReason: String
    var stopCode: String?
    var containers: [FixtureContainer]
    var kind: SignalKind
    var failureClass: TaskFailureClass?
    var exitCode: Int? = nil
    var container: String? = nil
    var targetGroup: String? = nil
    var action: String? = nil
    var role: String? = nil
    var session: String? = nil
    var errorCode: String? = nil
    var group = "service:orders-api"
    var testDescription: String { String((containers.compactMap(\.reason).first ?? stoppedReason).prefix(90)) }
}

enum TaskEventFixture {
    static let taskArn = "arn:aws:ecs:eu-west-1:123456789012:task/prod/26feeb2c30cf4d7cb3ae44fd0e17719b"

    /// An `ECS Task State Change` event object.
    static func event(
        lastStatus: String = "STOPPED", stoppedReason: String? = nil, stopCode: String? = nil,
        containers: [FixtureContainer] = [], group: String = "service:orders-api", taskArn: String = taskArn
    ) -> String {
        func q(_ s: String) -> String { "\"" + MatcherFixture.jsonEscaped(s) + "\"" }
        let list = containers.map { c in
            var members = ["\"name\": \(q(c.name))", "\"lastStatus\": \"STOPPED\""]
            if let code = c.exitCode { members.append("\"exitCode\": \(code)") }
            if let reason = c.reason { members.append("\"reason\": \(q(reason))") }
            return "{ " + members.joined(separator: ", ") + " }"
        }
        var detail = [
            "\"clusterArn\": \"arn:aws:ecs:eu-west-1:123456789012:cluster/prod\"",
            "\"containers\": [ \(list.joined(separator: ", ")) ]",
            "\"group\": \(q(group))", "\"lastStatus\": \(q(lastStatus))",
            "\"startedAt\": \"2026-11-20T09:14:03.120Z\"", "\"startedBy\": \"ecs-svc/5888882704497679006\"",
            "\"taskArn\": \(q(taskArn))",
        ]
        if lastStatus == "STOPPED" { detail.append("\"stoppedAt\": \"2026-11-20T09:15:03.500Z\"") }
        if let stoppedReason { detail.append("\"stoppedReason\": \(q(stoppedReason))") }
        if let stopCode { detail.append("\"stopCode\": \(q(stopCode))") }
        return """
            {
                "version": "0",
                "detail-type": "ECS Task State Change",
                "source": "aws.ecs",
                "time": "2026-11-20T09:15:03Z",
                "resources": [ \(q(taskArn)) ],
                "detail": {
                    \(detail.joined(separator: ",\n            "))
                }
            }
            """
    }
}

@Suite("TaskStateChangeClassifier")
struct TaskStateChangeClassifierTests {
    static let tg = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders/0123456789abcdef"
    static func app(_ exit: Int?, _ reason: String? = nil) -> [FixtureContainer] {
        [FixtureContainer(name: "app", exitCode: exit, reason: reason)]
    }

    static let stops: [StopCase] = [
        StopCase(
            stoppedReason: "Task failed ELB health checks in (target-group \(tg))", stopCode: "ServiceSchedulerInitiated",
            containers: app(143), kind: .taskStopped, failureClass: .elbHealthCheck, exitCode: 143, container: "app",
            targetGroup: tg),
        StopCase(
            stoppedReason: "Task Stopped Reason: Task failed ELB health checks in (target-group...)",
            stopCode: "ServiceSchedulerInitiated", containers: app(137), kind: .taskStopped, failureClass: .elbHealthCheck,
            exitCode: 137, container: "app"),
        StopCase(
            stoppedReason: "Task failed ELB health checks in (elb elb-name)", stopCode: "ServiceSchedulerInitiated",
            containers: app(143), kind: .taskStopped, failureClass: .elbHealthCheck, exitCode: 143, container: "app",
            targetGroup: "elb-name"),
        StopCase(
            stoppedReason: "Task failed container health checks", stopCode: "ServiceSchedulerInitiated",
            containers: app(137), kind: .taskStopped, failureClass: .containerHealthCheck, exitCode: 137, container: "app"),
        StopCase(
            stoppedReason: "Essential container in task exited", stopCode: "EssentialContainerExited",
            containers: app(1), kind: .containerExit, failureClass: .crash, exitCode: 1, container: "app"),
        StopCase(
            stoppedReason: "Essential container in task exited", stopCode: "EssentialContainerExited",
            containers: app(0), kind: .taskStopped, failureClass: .completed, exitCode: 0, container: "app",
            group: "family:nightly-report"),
        StopCase(
            stoppedReason: "Essential container in task exited", stopCode: "EssentialContainerExited",
            containers: [FixtureContainer(name: "log_router", exitCode: 137), FixtureContainer(name: "report", exitCode: 0)],
            kind: .taskStopped, failureClass: .completed, exitCode: 0, container: "report", group: "family:nightly-report"),
        StopCase(
            stoppedReason: "Essential container in task exited", stopCode: "EssentialContainerExited",
            containers: [FixtureContainer(name: "log_router", exitCode: 0), FixtureContainer(name: "app", exitCode: 2)],
            kind: .containerExit, failureClass: .crash, exitCode: 2, container: "app"),
        StopCase(
            stoppedReason: "Scaling activity initiated by (deployment ecs-svc/5888882704497679006)",
            stopCode: "ServiceSchedulerInitiated", containers: app(143), kind: .taskStopped, failureClass: .benign,
            exitCode: 143, container: "app"),
        StopCase(
            stoppedReason: "Host EC2 (instance i-0123456789abcdef0) terminated.", stopCode: nil, containers: app(137),
            kind: .taskStopped, failureClass: .benign, exitCode: 137, container: "app"),
        StopCase(
            stoppedReason: "Container instance deregistration forced by user", stopCode: nil, containers: app(137),
            kind: .taskStopped, failureClass: .benign, exitCode: 137, container: "app"),
        StopCase(
            stoppedReason: "Task stopped by user", stopCode: "UserInitiated", containers: app(0), kind: .taskStopped,
            failureClass: .benign, exitCode: 0, container: "app"),
        StopCase(
            stoppedReason: "ECS is performing maintenance on the underlying infrastructure hosting the task",
            stopCode: "ServiceSchedulerInitiated", containers: app(143), kind: .taskStopped, failureClass: .benign,
            exitCode: 143, container: "app"),
        StopCase(
            stoppedReason: "Your Spot Task was interrupted.", stopCode: "TerminationNotice", containers: app(143),
            kind: .taskStopped, failureClass: .benign, exitCode: 143, container: "app"),
        StopCase(
            stoppedReason: "Task stopped due to capacity reclaim", stopCode: "SpotInterruption", containers: app(143),
            kind: .taskStopped, failureClass: .benign, exitCode: 143, container: "app"),
        StopCase(
            stoppedReason: "Essential container in task exited", stopCode: "EssentialContainerExited",
            containers: app(137, "OutOfMemoryError: Container killed due to memory usage"), kind: .oom,
            failureClass: .oom, exitCode: 137, container: "app"),
        StopCase(
            stoppedReason: "Essential container in task exited", stopCode: "EssentialContainerExited",
            containers: app(0, "OutOfMemoryError: Container killed due to memory usage"), kind: .oom,
            failureClass: .oom, exitCode: 0, container: "app"),
        StopCase(
            stoppedReason: "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log group: AccessDeniedException: User: arn:aws:sts::[redacted]:assumed-role/[redacted]-ecs-task-execution-role/[redacted] is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:eu-central-1:[redacted]:log-group:[redacted]:log-stream: because no identity-based policy allows the logs:CreateLogGroup action : exit status 1",
            stopCode: "TaskFailedToStart", containers: app(nil), kind: .loggerError, failureClass: .loggerFailure,
            container: "app", action: "logs:CreateLogGroup", role: "[redacted]-ecs-task-execution-role",
            session: "[redacted]", errorCode: "AccessDeniedException"),
        StopCase(
            stoppedReason: "ResourceInitializationError: failed to validate logger args: The task cannot find the Amazon CloudWatch log group defined in the task definition. There is a connection issue between the task and Amazon CloudWatch. Check your network configuration. : signal: killed",
            stopCode: "TaskFailedToStart", containers: app(nil), kind: .loggerError, failureClass: .loggerFailure,
            container: "app"),
        StopCase(
            stoppedReason: "Task failed to start", stopCode: "TaskFailedToStart",
            containers: app(nil, "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist."),
            kind: .loggerError, failureClass: .loggerFailure, container: "app"),
        StopCase(
            stoppedReason: "Resourceinitializationerror: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::<account id>:assumed-role/aits-demo-app-test-demo-app-ExecutionRole-28VBAJL3T0YT/f83b93a4dc3442a18eaaf8c2a235cd37 is not authorized to perform: ssm:GetParameters on resource: … because no identity-based policy allows the ssm:GetParameters action status code: 400, request id: …",
            stopCode: "TaskFailedToStart", containers: app(nil), kind: .executionRoleDenied,
            failureClass: .executionRoleDenied, container: "app", action: "ssm:GetParameters",
            role: "aits-demo-app-test-demo-app-ExecutionRole-28VBAJL3T0YT", session: "f83b93a4dc3442a18eaaf8c2a235cd37",
            errorCode: "AccessDeniedException"),
        StopCase(
            stoppedReason: "ResourceInitializationError: unable to pull secrets or registry auth: … failed to fetch secret arn:aws:secretsmanager:…:secret:DBPasswordSecret-* from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration.",
            stopCode: "TaskFailedToStart", containers: app(nil), kind: .startFailure, failureClass: .startFailure,
            container: "app"),
        StopCase(
            stoppedReason: "ResourceInitializationError: failed to download env files: file download command: non-empty error stream: failed to download file 1.env: failed to write to a temporary file: AccessDenied: Access Denied",
            stopCode: "TaskFailedToStart", containers: app(nil), kind: .executionRoleDenied,
            failureClass: .executionRoleDenied, container: "app", errorCode: "AccessDenied"),
        StopCase(
            stoppedReason: #"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref quay.io/deepfenceio/cloud-scanner:latest: failed to do request: Head "https://quay.io/v2/deepfenceio/cloud-scanner/manifests/latest": dial tcp 3.210.148.47:443: i/o timeout"#,
            stopCode: "TaskFailedToStart", containers: app(nil), kind: .imagePullError, failureClass: .startFailure,
            container: "app"),
        StopCase(
            stoppedReason: "CannotPullContainerError: API error (404): repository 111122223333.dkr.ecr.us-east-1.amazonaws.com/<repo>/<image> not found",
            stopCode: "TaskFailedToStart", containers: app(nil), kind: .imagePullError, failureClass: .startFailure,
            container: "app"),
        StopCase(
            stoppedReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:latest: pulling from host 123456789012.dkr.ecr.eu-west-1.amazonaws.com failed with status code [manifests latest]: 403 Forbidden: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/orders-exec-role/26feeb2c30cf4d7cb3ae44fd0e17719b is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:eu-west-1:123456789012:repository/orders",
            stopCode: "TaskFailedToStart", containers: app(nil), kind: .executionRoleDenied,
            failureClass: .executionRoleDenied, container: "app", action: "ecr:BatchGetImage", role: "orders-exec-role",
            session: "26feeb2c30cf4d7cb3ae44fd0e17719b", errorCode: "AccessDeniedException"),
        StopCase(
            stoppedReason: "Task failed to start", stopCode: "TaskFailedToStart",
            containers: app(nil, "CannotPullContainerError: pull access denied for orders, repository does not exist or may require 'docker login'"),
            kind: .imagePullError, failureClass: .startFailure, container: "app"),
        StopCase(
            stoppedReason: "Task failed to start", stopCode: "TaskFailedToStart",
            containers: app(nil, "CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: container init was OOM-killed (memory limit too low?): unknown"),
            kind: .oom, failureClass: .oom, container: "app"),
        StopCase(
            stoppedReason: "Timeout waiting for network interface provisioning to complete.", stopCode: "TaskFailedToStart",
            containers: app(nil), kind: .startFailure, failureClass: .startFailure, container: "app"),
        StopCase(
            stoppedReason: "Task failed to start", stopCode: "TaskFailedToStart", containers: app(nil),
            kind: .startFailure, failureClass: .startFailure, container: "app"),
    ]

    @Test("every stop reason of the catalogue is classified", arguments: stops, [false, true])
    func stop(_ c: StopCase, escaped: Bool) throws {
        let json = TaskEventFixture.event(
            stoppedReason: c.stoppedReason, stopCode: c.stopCode, containers: c.containers, group: c.group)
        let s = try #require(MatcherFixture.match(json, kind: .eventBridge, escaped: escaped))
        #expect(s.kind == c.kind)
        #expect(s.detail.failureClass == c.failureClass)
        #expect(s.detail.exitCode == c.exitCode)
        #expect(s.detail.container == c.container)
        #expect(s.detail.targetGroup == c.targetGroup)
        #expect(s.detail.action == c.action)
        #expect(s.detail.role == c.role)
        #expect(s.detail.session == c.session)
        #expect(s.detail.errorCode == c.errorCode)
        #expect(s.detail.stopCode == c.stopCode)
        #expect(s.detail.group == c.group)
        #expect(s.service == (c.group.hasPrefix("service:") ? "orders-api" : nil))
        #expect(s.cluster == "prod")
        #expect(s.task == TaskID("26feeb2c30cf4d7cb3ae44fd0e17719b"))
        #expect(s.detail.startedAt == EventTime(milliseconds: 1_795_166_043_120))
        #expect(s.detail.stoppedAt == EventTime(milliseconds: 1_795_166_103_500))
        // The reason is the text that decided: a container's reason when one is given, else the stop reason.
        #expect(s.detail.reason == (c.containers.compactMap(\.reason).first ?? c.stoppedReason))
        #expect(s.detail.deployment == "ecs-svc/5888882704497679006")
        #expect(!s.line.contains("\n"))
    }

    @Test("Fargate trims stop reasons to ~128 characters: prefixes still classify")
    func trimmedReasons() throws {
        let cases: [(String, SignalKind, TaskFailureClass)] = [
            ("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve s", .startFailure, .startFailure),
            ("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatc", .loggerError, .loggerFailure),
            ("Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders/01234", .taskStopped, .elbHealthCheck),
        ]
        for (reason, kind, failure) in cases {
            let json = TaskEventFixture.event(stoppedReason: reason, stopCode: "TaskFailedToStart", containers: Self.app(nil))
            let s = try #require(MatcherFixture.match(json, kind: .eventBridge))
            #expect(s.kind == kind, "\(reason)")
            #expect(s.detail.failureClass == failure, "\(reason)")
        }
    }

    @Test("RUNNING gives task-running with startedAt; PENDING and PROVISIONING give nothing")
    func lifecycle() throws {
        let running = try #require(MatcherFixture.match(
            TaskEventFixture.event(lastStatus: "RUNNING", containers: Self.app(nil)), kind: .eventBridge))
        #expect(running.kind == .taskRunning)
        #expect(running.detail.startedAt == EventTime(milliseconds: 1_795_166_043_120))
        #expect(running.detail.failureClass == nil)
        #expect(running.service == "orders-api")
        for status in ["PENDING", "PROVISIONING", "ACTIVATING", "DEACTIVATING", "STOPPING", "DEPROVISIONING"] {
            #expect(MatcherFixture.match(TaskEventFixture.event(lastStatus: status), kind: .eventBridge) == nil)
        }
    }

    @Test("old-format task ARNs and standalone tasks")
    func oldTaskArn() throws {
        let json = TaskEventFixture.event(
            lastStatus: "RUNNING", group: "family:sample-fargate",
            taskArn: "arn:aws:ecs:us-west-2:111122223333:task/b3c69762-5472-4d27-b6a4-8cf9492fc1f7")
        let s = try #require(MatcherFixture.match(json, kind: .eventBridge))
        #expect(s.task?.description == "b3c69762-5472-4d27-b6a4-8cf9492fc1f7")
        #expect(s.service == nil)
        #expect(s.detail.group == "family:sample-fargate")
    }

    /// aws-formats §2.1, verbatim apart from indentation.
    static let storedEvent = """
        {
            "version": "0",
            "id": "d005c784-98bd-b9c9-043f-c924cd120f54",
            "detail-type": "ECS Task State Change",
            "source": "aws.ecs",
            "account": "0123456789",
            "time": "2020-06-05T12:17:11Z",
            "region": "eu-west-1",
            "resources": [
                "arn:aws:ecs:eu-west-1:0123456789:task/Features/33a7f27282624543abd4a00c3e84d0ee"
            ],
            "detail": {
                "attachments": [ { "id": "f552fb81-5170-4191-ae84-c1921505ef1c", "type": "sdi", "status": "DELETED", "details": [] } ],
                "availabilityZone": "eu-west-1a",
                "capacityProviderName": "FeaturesASG",
                "clusterArn": "arn:aws:ecs:eu-west-1:0123456789:cluster/Features",
                "containerInstanceArn": "arn:aws:ecs:eu-west-1:0123456789:container-instance/Features/0c304770a74540689f5bf39622b3d781",
                "containers": [
                    {
                        "containerArn": "arn:aws:ecs:eu-west-1:0123456789:container/0a97d723-d9c4-45d7-8109-471e94afa4af",
                        "exitCode": 0,
                        "lastStatus": "STOPPED",
                        "name": "Webapp",
                        "image": "0123456789.dkr.ecr.eu-west-1.amazonaws.com/webapp:d1a3f22",
                        "imageDigest": "sha256:48b2652a7a9a104300046dc3be4aba5e3e19a2ead82a593f63846739a7429230",
                        "runtimeId": "8a78a445b4e66ee0f2c7624d9b52af4e3685039444a44999d884e1af2283e804",
                        "networkBindings": [ { "bindIP": "0.0.0.0", "containerPort": 80, "hostPort": 32771, "protocol": "tcp" } ],
                        "taskArn": "arn:aws:ecs:eu-west-1:0123456789:task/Features/33a7f27282624543abd4a00c3e84d0ee",
                        "networkInterfaces": [],
                        "cpu": "0",
                        "memoryReservation": "128"
                    }
                ],
                "createdAt": "2020-06-02T09:15:42.131Z",
                "launchType": "EC2",
                "cpu": "0",
                "memory": "128",
                "desiredStatus": "STOPPED",
                "group": "service:Webapp",
                "lastStatus": "STOPPED",
                "overrides": { "containerOverrides": [ { "name": "Webapp" } ] },
                "connectivity": "CONNECTED",
                "connectivityAt": "2020-06-02T09:15:42.131Z",
                "pullStartedAt": "2020-06-02T09:15:42.626Z",
                "startedAt": "2020-06-02T09:16:17.544Z",
                "startedBy": "ecs-svc/5888882704497679006",
                "stoppingAt": "2020-06-05T12:16:57.199Z",
                "stoppedAt": "2020-06-05T12:17:11.696Z",
                "pullStoppedAt": "2020-06-02T09:15:43.626Z",
                "executionStoppedAt": "2020-06-05T12:17:10Z",
                "stoppedReason": "Task stopped by user",
                "stopCode": "UserInitiated",
                "updatedAt": "2020-06-05T12:17:11.696Z",
                "taskArn": "arn:aws:ecs:eu-west-1:0123456789:task/Features/33a7f27282624543abd4a00c3e84d0ee",
                "taskDefinitionArn": "arn:aws:ecs:eu-west-1:0123456789:task-definition/webapp:15",
                "version": 7
            }
        }
        """

    @Test("the real stored STOPPED event")
    func storedEvent() throws {
        let s = try #require(MatcherFixture.match(Self.storedEvent, kind: .eventBridge, time: nil))
        #expect(s.kind == .taskStopped)
        #expect(s.detail.failureClass == .benign)
        #expect(s.cluster == "Features")
        #expect(s.service == "Webapp")
        #expect(s.task == TaskID("33a7f27282624543abd4a00c3e84d0ee"))
        #expect(s.detail.container == "Webapp")
        #expect(s.detail.exitCode == 0)
        #expect(s.detail.stopCode == "UserInitiated")
        #expect(s.detail.reason == "Task stopped by user")
        #expect(s.detail.startedAt == EventTime(milliseconds: 1_591_089_377_544))
        #expect(s.detail.stoppedAt == EventTime(milliseconds: 1_591_359_431_696))
        #expect(s.time == EventTime(milliseconds: 0))
        #expect(s.line.hasPrefix(#"{ "version": "0", "id": "d005c784"#))
        #expect(!s.line.contains("\n"))
        #expect(s.line.utf8.count <= SignalMatcher.maximumLineBytes)
    }

    // MARK: Service actions and deployments

    static func serviceAction(_ name: String, resource: String, reason: String? = nil) -> String {
        let r = reason.map { #", "reason": "\#($0)""# } ?? ""
        return #"{"version":"0","id":"57c9506e-9d21-294c-d2fe-e8738da7e67d","detail-type":"ECS Service Action","source":"aws.ecs","account":"111122223333","time":"2019-11-19T19:55:38Z","region":"us-west-2","resources":["\#(resource)"],"detail":{"eventType":"WARN","eventName":"\#(name)","clusterArn":"arn:aws:ecs:us-west-2:111122223333:cluster/default","createdAt":"2019-11-19T19:55:38.725Z"\#(r)}}"#
    }

    @Test("ECS Service Action events", arguments: [
        ("SERVICE_STEADY_STATE", SignalKind?.some(.steadyState)),
        ("SERVICE_TASK_START_IMPAIRED", .startFailure),
        ("SERVICE_TASK_PLACEMENT_FAILURE", .placementFailure),
        ("SERVICE_DESIRED_COUNT_UPDATED", .serviceCounts),
        ("TASKSET_STEADY_STATE", nil),
        ("CAPACITY_PROVIDER_STEADY_STATE", nil),
        ("SERVICE_DISCOVERY_INSTANCE_UNHEALTHY", nil),
        ("ECS_OPERATION_THROTTLED", nil),
    ])
    func serviceAction(_ name: String, kind: SignalKind?) throws {
        for resource in ["arn:aws:ecs:us-west-2:111122223333:service/default/servicetest",
                         "arn:aws:ecs:us-west-2:111122223333:service/servicetest"] {
            let s = MatcherFixture.match(
                Self.serviceAction(name, resource: resource, reason: "RESOURCE:CPU"), kind: .eventBridge)
            #expect(s?.kind == kind)
            guard let s else { continue }
            #expect(s.service == "servicetest")
            #expect(s.cluster == "default")
            #expect(s.detail.desiredCount == nil)
            if kind == .placementFailure { #expect(s.detail.reason == "RESOURCE:CPU") }
        }
    }

    @Test("ECS Deployment State Change: only a failed deployment is a start failure")
    func deployment() throws {
        func event(_ name: String, _ reason: String) -> String {
            #"{"version":"0","detail-type":"ECS Deployment State Change","source":"aws.ecs","resources":["arn:aws:ecs:us-west-2:111122223333:service/default/servicetest"],"detail":{"eventType":"ERROR","eventName":"\#(name)","deploymentId":"ecs-svc/123","updatedAt":"2020-05-23T11:11:11Z","reason":"\#(reason)"}}"#
        }
        let failed = try #require(MatcherFixture.match(
            event("SERVICE_DEPLOYMENT_FAILED", "ECS deployment circuit breaker: task failed to start."), kind: .eventBridge))
        #expect(failed.kind == .startFailure)
        #expect(failed.detail.reason == "ECS deployment circuit breaker: task failed to start.")
        #expect(failed.detail.deployment == "ecs-svc/123")
        #expect(failed.service == "servicetest")
        #expect(MatcherFixture.match(
            event("SERVICE_DEPLOYMENT_IN_PROGRESS", "ECS deployment ecs-svc/123 in progress."), kind: .eventBridge) == nil)
        #expect(MatcherFixture.match(
            event("SERVICE_DEPLOYMENT_COMPLETED", "ECS deployment ecs-svc/123 completed."), kind: .eventBridge) == nil)
    }

    @Test("other events and malformed JSON give nothing")
    func others() {
        #expect(MatcherFixture.match(#"{"detail-type":"ECS Container Instance State Change","detail":{"agentConnected":false}}"#, kind: .eventBridge) == nil)
        #expect(MatcherFixture.match(#"{"detail-type":"ECS Task State Change","detail":{"lastStatus":"STOPP"#, kind: .eventBridge) == nil)
        #expect(MatcherFixture.match("not json", kind: .eventBridge) == nil)
        #expect(MatcherFixture.match("", kind: .eventBridge) == nil)
    }
}
