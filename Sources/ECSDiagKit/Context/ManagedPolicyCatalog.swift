/// Actions of well-known AWS managed policies, so that an attachment listed by `list-attached-role-policies`
/// counts without its `get-policy-version` document.
///
/// Lists hold the actions the audit checks care about (ECR pull, CloudWatch Logs, secrets, and the application
/// services); a policy not listed here is "unresolved" until its document is given.
enum ManagedPolicyCatalog {
    static let actionsByName: [String: [String]] = [
        "AmazonECSTaskExecutionRolePolicy": [
            "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents",
        ],
        "AmazonEC2ContainerRegistryReadOnly": [
            "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
            "ecr:GetRepositoryPolicy", "ecr:DescribeRepositories", "ecr:ListImages", "ecr:DescribeImages",
            "ecr:BatchGetImage", "ecr:GetLifecyclePolicy", "ecr:GetLifecyclePolicyPreview",
            "ecr:ListTagsForResource", "ecr:DescribeImageScanFindings",
        ],
        "AmazonS3ReadOnlyAccess": ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"],
        "AmazonS3FullAccess": ["s3:*", "s3-object-lambda:*"],
        "AmazonDynamoDBFullAccess": ["dynamodb:*"],
        "AmazonSQSFullAccess": ["sqs:*"],
        "AmazonSNSFullAccess": ["sns:*"],
        "AmazonKinesisFullAccess": ["kinesis:*"],
        "CloudWatchLogsFullAccess": ["logs:*"],
        "SecretsManagerReadWrite": ["secretsmanager:*"],
        "AmazonSSMReadOnlyAccess": ["ssm:Describe*", "ssm:Get*", "ssm:List*"],
        "AWSXRayDaemonWriteAccess": [
            "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
            "xray:GetSamplingStatisticSummaries",
        ],
        "AdministratorAccess": ["*"],
    ]

    /// The actions of an AWS managed policy, nil for customer managed or unknown policies.
    ///
    /// - Parameters:
    ///   - arn: `PolicyArn`; only `arn:PARTITION:iam::aws:policy/…` ARNs are AWS managed.
    ///   - name: `PolicyName`, used when no ARN is given.
    static func actions(arn: String?, name: String) -> [String]? {
        if let arn {
            let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[2] == "iam", parts[4] == "aws" else { return nil }
            let policyName = arn.split(separator: "/").last.map(String.init) ?? name
            return actionsByName[policyName]
        }
        return actionsByName[name]
    }
}
