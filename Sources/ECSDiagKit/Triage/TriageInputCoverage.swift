import DiagnosisRules
import LogDecoding

/// Which kinds of evidence a run's inputs held, from the format names the decoders reported: what each rule could
/// judge. A rule judged without its inputs would report a clean bill of health it never checked.
struct TriageInputCoverage: Sendable, Equatable {
    /// CloudWatch application log records were read (the app's own stdout: SDK errors, readiness lines).
    var applicationLogs: Bool
    /// Formats that carry ECS task and service events (task state changes, stopped reasons, service events).
    var ecsEvents: [String]
    /// Formats that carry Container Insights or metric-stream utilisation (CPU, memory).
    var utilisation: [String]
    /// Formats that carry ALB access logs (latency, 5xx).
    var loadBalancer: [String]
    /// Formats that carry application logs (names), for the checks' basis.
    var logFormats: [String]

    static let ecsEventFormats: [InputFormat] = [
        .eventBridge, .describeServicesJSON, .describeServicesText, .serviceEventLines, .serviceEventObjects,
    ]
    static let utilisationFormats: [InputFormat] = [.containerInsights, .metricStream]
    static let loadBalancerFormats: [InputFormat] = [.albAccessLog]
    static let logFormats: [InputFormat] = [
        .cloudWatchFilterLogEvents, .cloudWatchGetLogEvents, .cloudWatchEventLines, .tailDetailed, .tailShort,
        .tailJSON, .s3Export, .subscriptionDataMessage, .kinesisRecords, .lambdaEnvelope, .firehoseObject,
    ]

    /// Coverage of a pipeline run.
    init(_ report: PipelineReport) {
        self.init(formatNames: report.inputs.flatMap(\.formats), sawApplicationLogs: report.sawApplicationLogs)
    }

    /// Coverage of the given format names (`InputFormat.name`).
    init(formatNames: [String], sawApplicationLogs: Bool) {
        let present = Set(formatNames)
        func names(_ formats: [InputFormat]) -> [String] { formats.map(\.name).filter(present.contains) }
        applicationLogs = sawApplicationLogs
        ecsEvents = names(Self.ecsEventFormats)
        utilisation = names(Self.utilisationFormats)
        loadBalancer = names(Self.loadBalancerFormats)
        logFormats = sawApplicationLogs ? names(Self.logFormats) : []
    }

    var hasECSEvents: Bool { !ecsEvents.isEmpty }
    var hasUtilisation: Bool { !utilisation.isEmpty }
    var hasLoadBalancer: Bool { !loadBalancer.isEmpty }

    private var logBasis: [String] { applicationLogs ? (logFormats.isEmpty ? ["CloudWatch application logs"] : logFormats) : [] }

    /// What a rule could be judged on: (checked, notJudged, basis). `checked` nil: nothing could be judged.
    func judgement(of rule: RuleID) -> (checked: String?, notJudged: String?, basis: [String]) {
        switch rule {
        case .accessDenied:
            var checked: [String] = []
            var missing: String?
            if applicationLogs {
                checked.append("the application's AWS SDK errors (AccessDenied, not authorized, no credentials) in its CloudWatch logs")
            } else {
                missing = "no CloudWatch application logs among the inputs: the app's AWS calls are denied in its own logs, so runtime denials (task role vs execution role) could not be judged"
            }
            if hasECSEvents {
                checked.append("agent-side denials at task start (secrets, registry, env files) in the ECS events")
            } else if applicationLogs {
                missing = "no ECS events (EventBridge task state changes or service events): agent-side denials at task start (execution role) could not be judged"
            }
            return (checked.isEmpty ? nil : checked.joined(separator: "; "), missing, logBasis + ecsEvents)
        case .restartLoop:
            guard hasECSEvents else {
                return (nil, "no ECS events (EventBridge task state changes, describe-services or service events): task stops and their reasons are only there, so restart loops could not be judged", [])
            }
            var checked = "task stops and stopped reasons (ELB health checks, container health checks, crashes, OOM, start failures) in the ECS events"
            var missing: String?
            if applicationLogs {
                checked += "; startup times from readiness lines in the application logs"
            } else {
                missing = "no CloudWatch application logs: app startup times (for the grace period to set) could not be measured"
            }
            return (checked, missing, ecsEvents + logBasis)
        case .saturation:
            var checked: [String] = []
            var missing: [String] = []
            if hasUtilisation {
                checked.append("CPU and memory % of reserved per minute")
            } else {
                missing.append("no Container Insights or metric stream: CPU and memory saturation could not be judged")
            }
            if hasLoadBalancer {
                checked.append("ALB target latency p90 and ELB 502/503/504 per minute")
            } else {
                missing.append("no ALB access logs: latency and ELB 5xx could not be judged")
            }
            if checked.isEmpty {
                return (nil, "no Container Insights, metric stream or ALB access logs: no utilisation or latency measurement, so saturation could not be judged", [])
            }
            return (checked.joined(separator: "; "), missing.isEmpty ? nil : missing.joined(separator: "; "), utilisation + loadBalancer)
        case .missingLogs:
            var checked: [String] = []
            var missing: [String] = []
            if hasECSEvents {
                checked.append("logger failures at task start (log group missing, logger permission) in the ECS events")
            }
            if hasECSEvents && applicationLogs {
                checked.append("RUNNING tasks without a single log record (no-log-output)")
            } else if !applicationLogs {
                missing.append("no CloudWatch application logs among the inputs: a task that logs nothing cannot be told from a log source that was not given, so silent tasks (no-log-output) could not be judged")
            } else {
                missing.append("no ECS events: which tasks were RUNNING is unknown, so silent tasks (no-log-output) could not be judged")
            }
            if !hasECSEvents {
                missing.append("no ECS events: logger failures at task start could not be judged")
            }
            return (checked.isEmpty ? nil : checked.joined(separator: "; "), missing.isEmpty ? nil : missing.joined(separator: "; "), ecsEvents + logBasis)
        }
    }
}
