import Testing
@testable import DiagnosisRules

/// One SDK denial string (aws-formats §4.1, verbatim) and what must be read from it.
struct DenialCase: Sendable, CustomTestStringConvertible {
    var sdk: String
    var text: String
    var errorCode: String?
    var action: String?
    var resource: String?
    var principal: String?
    var role: String?
    var session: String?
    var testDescription: String { sdk }
}

/// One SDK no-credentials string (aws-formats §4.3, verbatim).
struct NoCredentialsCase: Sendable, CustomTestStringConvertible {
    var sdk: String
    var text: String
    var errorCode: String?
    var action: String? = nil
    var testDescription: String { sdk }
}

@Suite("AccessDeniedParser")
struct AccessDeniedParserTests {
    static let denials: [DenialCase] = [
        DenialCase(
            sdk: "boto3 SQS",
            text: "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the ReceiveMessage operation: Access to the resource https://eu-west-3.queue.amazonaws.com/ is denied.",
            errorCode: "AccessDenied", action: "sqs:ReceiveMessage", resource: "https://eu-west-3.queue.amazonaws.com/"),
        DenialCase(
            sdk: "boto3 S3",
            text: #""errorMessage": "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied","#,
            errorCode: "AccessDenied", action: "s3:GetObject"),
        DenialCase(
            sdk: "boto3/CLI HEAD",
            text: "fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden",
            errorCode: "403", action: "s3:GetObject"),
        DenialCase(
            sdk: "boto3 STS task role",
            text: "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::123456789012:assumed-role/dataall-dev-ecs-tasks-role/2d84243e241b45a5a0b4dbee09e50d97 is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/dataall-dev-ecs-tasks-role",
            errorCode: "AccessDenied", action: "sts:AssumeRole",
            resource: "arn:aws:iam::123456789012:role/dataall-dev-ecs-tasks-role",
            principal: "arn:aws:sts::123456789012:assumed-role/dataall-dev-ecs-tasks-role/2d84243e241b45a5a0b4dbee09e50d97",
            role: "dataall-dev-ecs-tasks-role", session: "2d84243e241b45a5a0b4dbee09e50d97"),
        DenialCase(
            sdk: "Java v1 SQS",
            text: "com.amazonaws.services.sqs.model.AmazonSQSException: Access to the resource https://sqs.us-east-1.amazonaws.com/ is denied. (Service: AmazonSQS; Status Code: 403; Error Code: AccessDenied; Request ID: 586aa9b5-fe97-585a-j765-fb72c2fc0746)",
            errorCode: "AccessDenied", resource: "https://sqs.us-east-1.amazonaws.com/"),
        DenialCase(
            sdk: "Java v1 S3",
            text: "Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: R2H8QVBHDTX5SE9W; S3 Extended Request ID: /YIorWddq7/…=)",
            errorCode: "AccessDenied"),
        DenialCase(
            sdk: "Java v1 JSON service",
            text: "… is not authorized to perform: iam:PassRole on resource: arn:aws:iam::01234567890:role/ecsTaskExecutionRole (Service: AmazonECS; Status Code: 400; Error Code: AccessDeniedException; Request ID: 37158697-a9c5-4ce8-8044-812c988dea0a)",
            errorCode: "AccessDeniedException", action: "iam:PassRole",
            resource: "arn:aws:iam::01234567890:role/ecsTaskExecutionRole"),
        DenialCase(
            sdk: "Java v2 S3",
            text: "software.amazon.awssdk.services.s3.model.S3Exception: Access Denied (Service: S3, Status Code: 403, Request ID: G7WJJ5HW0BBZB1WR, Extended Request ID: ZsA5…=)"),
        DenialCase(
            sdk: "Java v2 SQS",
            text: "… is not authorized to perform: sqs:createqueue on resource: … because no identity-based policy allows the sqs:createqueue action (Service: Sqs, Status Code: 403, Request ID: fa4ced72-…, Extended Request ID: null)",
            action: "sqs:createqueue"),
        DenialCase(
            sdk: "JS v2",
            text: #"{"message":"User: arn:aws:sts::123456789012:assumed-role/crossfeed-staging-us-east-1-lambdaRole/crossfeed-staging-scheduler is not authorized to perform: iam:PassRole on resource: …","code":"AccessDeniedException","time":"2020-07-21T07:05:10.343Z","requestId":"…","statusCode":400,"retryable":false,"retryDelay":23.56…}"#,
            errorCode: "AccessDeniedException", action: "iam:PassRole",
            principal: "arn:aws:sts::123456789012:assumed-role/crossfeed-staging-us-east-1-lambdaRole/crossfeed-staging-scheduler",
            role: "crossfeed-staging-us-east-1-lambdaRole", session: "crossfeed-staging-scheduler"),
        DenialCase(sdk: "JS v2 inspected object", text: "  code: 'AccessDenied',", errorCode: "AccessDenied"),
        DenialCase(
            sdk: "JS v3",
            text: #""errorType": "AccessDenied", "errorMessage": "Access Denied", "Code": "AccessDenied", "name": "AccessDenied", "$fault": "client", "$metadata": {"httpStatusCode": 403, …}"#,
            errorCode: "AccessDenied"),
        DenialCase(
            sdk: "JS v3 structured app log",
            text: #"…"error":{"$fault":"client","$metadata":{"attempts":1,"httpStatusCode":403,…},"Code":"AccessDenied",…},"message":"unhandledRejection: Access to the resource https://sqs.eu-west-1.amazonaws.com/ is denied.\nAccessDenied: …"#,
            errorCode: "AccessDenied", resource: "https://sqs.eu-west-1.amazonaws.com/"),
        DenialCase(
            sdk: "Go v1",
            text: "AccessDenied: Access Denied\n        status code: 403, request id: x:x:x:x, host id: x",
            errorCode: "AccessDenied"),
        DenialCase(
            sdk: "Go v1 EC2",
            text: "UnauthorizedOperation: You are not authorized to perform this operation.\n        status code: 403, request id: d001de6e-…",
            errorCode: "UnauthorizedOperation"),
        DenialCase(
            sdk: "Go v2 JSON service",
            text: "panic: operation error ECS: CreateService, https response error StatusCode: 400, RequestID: 4b95afb3-25ab-48dc-a2ba-1a9e4c0ecbda, AccessDeniedException: User: arn:aws:sts::xxxxxxxxx:assumed-role/xxxxxxxxxxx is not authorized to perform: ecs:CreateService on resource: … because no identity-based policy allows the ecs:CreateService action",
            errorCode: "AccessDeniedException", action: "ecs:CreateService",
            principal: "arn:aws:sts::xxxxxxxxx:assumed-role/xxxxxxxxxxx", role: "xxxxxxxxxxx"),
        DenialCase(
            sdk: "Go v2 S3",
            text: "operation error S3: GetObject, https response error StatusCode: 403, RequestID: 4YJ8RZ0T3C1N, HostID: Zm9vYmFy=, api error AccessDenied: Access Denied",
            errorCode: "AccessDenied", action: "s3:GetObject"),
        DenialCase(
            sdk: "Go v2 S3 HEAD",
            text: "operation error S3: HeadObject, https response error StatusCode: 403, RequestID: 4YJ8RZ0T3C1N, HostID: Zm9vYmFy=, api error Forbidden: Forbidden",
            errorCode: "Forbidden", action: "s3:GetObject"),
        DenialCase(
            sdk: ".NET Secrets Manager",
            text: "Amazon.SecretsManager.AmazonSecretsManagerException: User: [obfuscated] is not authorized to perform: secretsmanager:ListSecrets because no permissions boundary allows the secretsmanager:ListSecrets action",
            action: "secretsmanager:ListSecrets"),
        DenialCase(
            sdk: ".NET HEAD",
            text: "Amazon.S3.AmazonS3Exception: Error making request with Error Code Forbidden and Http Status Code Forbidden. No further error information was returned by the service.",
            errorCode: "Forbidden"),
        DenialCase(
            sdk: "PHP",
            text: "… AWS HTTP error: Client error: `POST https://dynamodb.eu-central-1.amazonaws.com` resulted in a `400 Bad Request` response:\n{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"Message\":\"User: arn:aws:sts::123456789012:assumed-role/aws-e (truncated...)",
            errorCode: "AccessDeniedException", principal: "arn:aws:sts::123456789012:assumed-role/aws-e", role: "aws-e"),
        DenialCase(
            sdk: "raw S3 XML",
            text: "<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>24D20E9A24DCBE40</RequestId><HostId>…</HostId></Error>",
            errorCode: "AccessDenied"),
        DenialCase(
            sdk: "EC2 instance role fallback",
            text: "An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::123456789012:assumed-role/xtdb-stack-ecs-EC2InstanceRole-cq4KLVh142Ez/i-0221dfee3da46d752 is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::orders-archive/2026/11/20/42.json\" because no identity-based policy allows the s3:PutObject action",
            errorCode: "AccessDenied", action: "s3:PutObject", resource: "arn:aws:s3:::orders-archive/2026/11/20/42.json",
            principal: "arn:aws:sts::123456789012:assumed-role/xtdb-stack-ecs-EC2InstanceRole-cq4KLVh142Ez/i-0221dfee3da46d752",
            role: "xtdb-stack-ecs-EC2InstanceRole-cq4KLVh142Ez", session: "i-0221dfee3da46d752"),
        DenialCase(
            sdk: "IAM user principal",
            text: "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf",
            errorCode: "AccessDeniedException", action: "secretsmanager:GetSecretValue",
            resource: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf",
            principal: "arn:aws:iam::123456789012:user/deployer"),
    ]

    @Test("every SDK's denial is an access-denied signal with its facts", arguments: denials, [false, true])
    func sdkDenial(_ c: DenialCase, escaped: Bool) throws {
        let s = try #require(MatcherFixture.match(c.text, escaped: escaped))
        #expect(s.kind == .accessDenied)
        #expect(s.detail.errorCode == c.errorCode)
        #expect(s.detail.action == c.action)
        #expect(s.detail.resource == c.resource)
        #expect(s.detail.principal == c.principal)
        #expect(s.detail.role == c.role)
        #expect(s.detail.session == c.session)
        #expect(s.service == nil)
    }

    static let hardNegatives: [String] = [
        "ERROR 1045 (28000): Access denied for user 'app'@'10.0.1.5' (using password: YES)",
        "2026-11-20 09:14:03.120 ERROR 1 --- [nio-8080-exec-3] o.s.s.w.a.ExceptionTranslationFilter : org.springframework.security.access.AccessDeniedException: Access is denied",
        "AccessDeniedException: Access is denied",
        "java.nio.file.AccessDeniedException: /var/lib/orders/cache.db",
        "2026-11-20 09:14:03.120 DEBUG 1 --- [nio-8080-exec-3] o.s.s.w.a.AccessDeniedHandlerImpl : Responding with 403 status code",
        #"10.0.1.7 - - [20/Nov/2026:09:14:03 +0000] "GET /admin HTTP/1.1" 403 153 "-" "curl/8.4.0""#,
        #"INFO:     10.0.1.7:51234 - "GET /admin HTTP/1.1" 403 Forbidden"#,
        #"{"level":"warn","msg":"403 Forbidden: token lacks scope orders:write","status":403}"#,
        "ERROR:  permission denied for table orders",
        "open /var/lib/orders/cache.db: Permission denied",
        "User alice is not authorized to perform this action",
        "Access Denied",
    ]

    @Test("look-alikes are not access-denied (nor any other signal)", arguments: hardNegatives, [false, true])
    func hardNegative(_ text: String, escaped: Bool) {
        #expect(MatcherFixture.match(text, escaped: escaped) == nil)
    }

    @Test("a Spring AccessDeniedException that quotes an IAM denial is a denial")
    func qualifiedClassWithIAMMessage() throws {
        let text = "org.springframework.security.access.AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/orders-task/0b0c11fa47b04ed0a669fa3ce6345afa is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::orders/a.json"
        let s = try #require(MatcherFixture.match(text))
        #expect(s.kind == .accessDenied)
        #expect(s.detail.action == "s3:GetObject")
        #expect(s.detail.role == "orders-task")
    }

    @Test("an AWS SDK class named AccessDeniedException is a denial")
    func awsQualifiedClass() throws {
        let text = "software.amazon.awssdk.services.sso.model.AccessDeniedException: Session token not found or invalid (Service: Sso, Status Code: 401)"
        let s = try #require(MatcherFixture.match(text))
        #expect(s.detail.errorCode == "AccessDeniedException")
    }

    @Test("principals split into role and session")
    func roleAndSession() {
        let cases: [(String, String?, String?)] = [
            ("User: arn:aws:sts::1:assumed-role/orders-task-role/0b0c11fa47b04ed0a669fa3ce6345afa is not", "orders-task-role", "0b0c11fa47b04ed0a669fa3ce6345afa"),
            ("User: arn:aws:sts::1:assumed-role/orders-task-role is not", "orders-task-role", nil),
            ("User: arn:aws:iam::1:user/deployer is not", nil, nil),
            ("User: arn:aws:iam::1:role/path/to/orders-role is not", "orders-role", nil),
        ]
        for (text, role, session) in cases {
            MatcherFixture.withText(text) { t in
                let d = SignalMatcher.AccessDeniedParser.details(t)
                #expect(d.role == role, "\(text)")
                #expect(d.session == session, "\(text)")
            }
        }
    }

    @Test("operation names map to IAM actions, with the service from the context")
    func operationTable() {
        let cases: [(String, String?)] = [
            ("An error occurred (AccessDenied) when calling the ListObjectsV2 operation: Access Denied", "s3:ListBucket"),
            ("An error occurred (AccessDeniedException) when calling the GetItem operation: …", "dynamodb:GetItem"),
            ("An error occurred (AccessDeniedException) when calling the GetParameter operation: …", "ssm:GetParameter"),
            ("An error occurred (AccessDeniedException) when calling the Decrypt operation: …", "kms:Decrypt"),
            ("An error occurred (AccessDenied) when calling the SendMessage operation: …", "sqs:SendMessage"),
            ("An error occurred (AccessDenied) when calling the Publish operation: …", "sns:Publish"),
            ("operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, AccessDeniedException: …", "secretsmanager:GetSecretValue"),
            ("operation error CloudWatch Logs: PutLogEvents, https response error StatusCode: 400, AccessDeniedException: …", "logs:PutLogEvents"),
            ("operation error DynamoDB: Query, https response error StatusCode: 400, AccessDeniedException: …", "dynamodb:Query"),
            ("An error occurred (AccessDenied) when calling the FrobnicateWidget operation: …", nil),
            ("An error occurred (AccessDenied) when calling the FrobnicateWidget operation: on resource: arn:aws:widgets:eu-west-1:1:widget/a", "widgets:FrobnicateWidget"),
            ("(Service: Amazon S3; Status Code: 403; Error Code: AccessDenied) when calling the CopyObject operation", "s3:CopyObject"),
        ]
        for (text, action) in cases {
            MatcherFixture.withText(text) { t in
                #expect(SignalMatcher.AccessDeniedParser.parse(t)?.action == action, "\(text)")
            }
        }
    }

    @Test("the evidence line is the line that holds the denial")
    func evidenceLine() throws {
        let text = "Traceback (most recent call last):\n  File \"/app/orders.py\", line 12, in handler\nbotocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: Access Denied"
        let s = try #require(MatcherFixture.match(text, escaped: true))
        #expect(s.line == "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: Access Denied")
    }
}

@Suite("NoCredentialsParser")
struct NoCredentialsParserTests {
    static let cases: [NoCredentialsCase] = [
        NoCredentialsCase(sdk: "AWS CLI", text: #"Unable to locate credentials. You can configure credentials by running "aws configure"."#, errorCode: nil),
        NoCredentialsCase(sdk: "botocore", text: "botocore.exceptions.NoCredentialsError: Unable to locate credentials", errorCode: "NoCredentialsError"),
        NoCredentialsCase(sdk: "Go v1", text: "NoCredentialProviders: no valid providers in chain. Deprecated.\n\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors", errorCode: "NoCredentialProviders"),
        NoCredentialsCase(sdk: "Go v2", text: "Error: no EC2 IMDS role found, operation error ec2imds: GetMetadata, canceled, context deadline exceeded", errorCode: nil),
        NoCredentialsCase(sdk: "Go v2 with the call", text: "operation error S3: GetObject, failed to sign request: failed to retrieve credentials: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, request canceled, context deadline exceeded", errorCode: nil, action: "s3:GetObject"),
        NoCredentialsCase(sdk: "JS v3", text: "CredentialsProviderError: Could not load credentials from any providers", errorCode: "CredentialsProviderError"),
        NoCredentialsCase(sdk: "JS v2", text: "Error [CredentialsError]: Missing credentials in config, if using AWS_CONFIG_FILE, set AWS_SDK_LOAD_CONFIG=1", errorCode: "CredentialsError"),
        NoCredentialsCase(sdk: "Java v1", text: "com.amazonaws.SdkClientException: Unable to load AWS credentials from any provider in the chain", errorCode: "SdkClientException"),
        NoCredentialsCase(sdk: "Java v2", text: "software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(credentialsProviders=[…, ContainerCredentialsProvider(), InstanceProfileCredentialsProvider()]) : […]", errorCode: "SdkClientException"),
        NoCredentialsCase(sdk: ".NET", text: "Unable to get IAM security credentials from EC2 Instance Metadata Service.", errorCode: nil),
        NoCredentialsCase(sdk: "rusoto", text: #"Credentials(CredentialsError { message: "Couldn't find AWS credentials in environment, credentials file, or IAM role." })"#, errorCode: "CredentialsError"),
        NoCredentialsCase(sdk: "botocore container-role", text: "botocore.exceptions.CredentialRetrievalError: Error when retrieving credentials from container-role: Error retrieving metadata: Received non 200 response (400) from ECS metadata: ", errorCode: "CredentialRetrievalError"),
    ]

    @Test("every SDK's missing-credentials error is a no-credentials signal", arguments: cases, [false, true])
    func noCredentials(_ c: NoCredentialsCase, escaped: Bool) throws {
        let s = try #require(MatcherFixture.match(c.text, escaped: escaped))
        #expect(s.kind == .noCredentials)
        #expect(s.detail.errorCode == c.errorCode)
        #expect(s.detail.action == c.action)
    }

    @Test("credential lines that report success are not signals", arguments: [
        "Found credentials in environment variables.",
        "Found credentials from IAM Role: orders-task-role",
        "Loaded credentials from container credentials endpoint",
    ])
    func successIsNotASignal(_ text: String) {
        #expect(MatcherFixture.match(text) == nil)
    }
}
