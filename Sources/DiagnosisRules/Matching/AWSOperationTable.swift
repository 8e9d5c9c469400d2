extension SignalMatcher {
    /// Maps SDK operation names and service spellings to IAM actions, for denials that name the operation
    /// (`when calling the GetObject operation`, `operation error S3: GetObject`) but not the action.
    enum AWSOperationTable {
        /// Operation name → the IAM action it needs. Where the action differs from `prefix:Operation`
        /// (`HeadObject` needs `s3:GetObject`, `ListObjectsV2` needs `s3:ListBucket`) the table says so.
        static let actions: [String: String] = {
            var table: [String: String] = [:]
            func add(_ prefix: String, _ operations: [String]) {
                for op in operations { table[op] = "\(prefix):\(op)" }
            }
            add("s3", ["GetObject", "PutObject", "DeleteObject", "CopyObject", "GetObjectAcl", "PutObjectAcl",
                       "GetBucketLocation", "GetObjectTagging", "PutObjectTagging", "RestoreObject"])
            table["HeadObject"] = "s3:GetObject"
            table["GetObjectAttributes"] = "s3:GetObject"
            table["ListObjects"] = "s3:ListBucket"
            table["ListObjectsV2"] = "s3:ListBucket"
            table["HeadBucket"] = "s3:ListBucket"
            table["DeleteObjects"] = "s3:DeleteObject"
            table["CreateMultipartUpload"] = "s3:PutObject"
            table["UploadPart"] = "s3:PutObject"
            table["CompleteMultipartUpload"] = "s3:PutObject"
            add("sqs", ["ReceiveMessage", "SendMessage", "DeleteMessage", "GetQueueUrl", "GetQueueAttributes",
                        "ChangeMessageVisibility", "PurgeQueue", "CreateQueue"])
            table["SendMessageBatch"] = "sqs:SendMessage"
            table["DeleteMessageBatch"] = "sqs:DeleteMessage"
            table["ChangeMessageVisibilityBatch"] = "sqs:ChangeMessageVisibility"
            add("dynamodb", ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
                             "BatchWriteItem", "DescribeTable", "TransactWriteItems", "TransactGetItems",
                             "ConditionCheckItem"])
            add("secretsmanager", ["GetSecretValue", "DescribeSecret", "ListSecrets", "PutSecretValue"])
            add("ssm", ["GetParameter", "GetParameters", "GetParametersByPath", "PutParameter"])
            add("kms", ["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncrypt",
                        "DescribeKey"])
            add("sts", ["AssumeRole", "AssumeRoleWithWebIdentity", "GetSessionToken", "GetFederationToken"])
            add("sns", ["Publish", "Subscribe", "CreateTopic"])
            add("logs", ["CreateLogGroup", "CreateLogStream", "PutLogEvents", "DescribeLogStreams",
                         "DescribeLogGroups"])
            add("kinesis", ["PutRecord", "PutRecords", "GetRecords", "GetShardIterator"])
            add("firehose", ["PutRecordBatch"])
            add("events", ["PutEvents"])
            add("lambda", ["InvokeFunction"])
            table["Invoke"] = "lambda:InvokeFunction"
            add("ecr", ["GetAuthorizationToken", "BatchGetImage", "GetDownloadUrlForLayer"])
            add("ecs", ["RunTask", "CreateService", "UpdateService", "DescribeServices", "DescribeTasks",
                        "RegisterTaskDefinition"])
            add("ses", ["SendEmail", "SendRawEmail"])
            add("cloudwatch", ["PutMetricData"])
            return table
        }()

        /// The IAM service prefix of an SDK service spelling: a Go v2 service id (`S3`, `Secrets Manager`,
        /// `CloudWatch Logs`), a Java `(Service: …)` name (`Amazon S3`, `AmazonSQS`, `AmazonDynamoDBv2`, `Sqs`).
        static func prefix(ofService name: String) -> String? {
            var s = Substring(name)
            for lead in ["Amazon ", "Amazon", "AWS ", "AWS", "Aws"] where s.hasPrefix(lead) && s.count > lead.count {
                s = s.dropFirst(lead.count)
                break
            }
            let key = String(s.filter { $0 != " " && $0 != "-" }).lowercased()
            switch key {
            case "": return nil
            case "dynamodbv2", "dynamodb": return "dynamodb"
            case "cloudwatchlogs", "logs": return "logs"
            case "cloudwatch": return "cloudwatch"
            case "eventbridge", "cloudwatchevents", "events": return "events"
            case "simplesystemsmanagement", "ssm": return "ssm"
            case "simpleemailservice", "sesv2", "ses": return "ses"
            case "kinesisfirehose", "firehose": return "firehose"
            case "securitytokenservice", "sts": return "sts"
            case "identitymanagement", "iam": return "iam"
            default: return key
            }
        }

        /// The IAM action for `operation`, given the service prefix when the text names it.
        static func action(operation: String, servicePrefix: String?) -> String? {
            guard !operation.isEmpty else { return nil }
            if let known = actions[operation] {
                if let prefix = servicePrefix, !known.hasPrefix(prefix + ":") { return "\(prefix):\(operation)" }
                return known
            }
            return servicePrefix.map { "\($0):\(operation)" }
        }
    }
}
