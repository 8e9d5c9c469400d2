import DiagnosisRules
import Foundation

/// `ecsdiagd audit [--format text|json] [--fail-on warning|error|critical] PATH...` as a library function; the
/// command-line layer only parses arguments, prints `output` and exits with `exitCode`.
public enum AuditCommandRunner {
    /// The report format.
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    /// Reads the context documents under `paths`, audits them and renders the report.
    ///
    /// - Parameters:
    ///   - paths: files or directories of AWS CLI JSON documents (recognised by content).
    ///   - format: `.text` (for people) or `.json` (schema in ``renderJSON(_:load:)``).
    ///   - failOn: the severity from which a finding fails the run (critical > error > warning); nil never fails.
    ///   - observedStartupSeconds: measured startup time per service name, when logs were analysed.
    /// - Returns: the report, and the exit status: 2 when a path is missing or unreadable, else 1 when a finding
    ///   reaches `failOn`, else 0. Unknown or broken documents are reported but do not change the status.
    public static func run(paths: [String], format: Format, failOn: Severity?,
                           observedStartupSeconds: [String: Double] = [:]) -> (output: String, exitCode: Int32) {
        var load = ContextDocumentReader.load(paths: paths)
        if paths.isEmpty {
            load.problems.append(ContextProblem(path: "", code: .unreadable, message: "no PATH given"))
        }
        let findings = ConfigurationAuditor(observedStartupSeconds: observedStartupSeconds, details: load.details)
            .audit(load.context)
        let output = switch format {
        case .text: renderText(findings, load: load)
        case .json: renderJSON(findings, load: load)
        }
        return (output, exitCode(findings, load: load, failOn: failOn))
    }

    /// The exit status for a run (see ``run(paths:format:failOn:observedStartupSeconds:)``).
    public static func exitCode(_ findings: [AuditFinding], load: ContextLoadResult, failOn: Severity?) -> Int32 {
        if load.hasUnreadablePath { return 2 }
        if let failOn, findings.contains(where: { $0.severity.reaches(failOn) }) { return 1 }
        return 0
    }

    // MARK: Text

    /// The report for people: one block per finding (severity, check, title, evidence, detail, fix), the
    /// problems, then a final count line `N findings: C critical, E error, W warning`. No colour; text from the
    /// documents goes through `TerminalText.sanitize`, so a crafted name cannot drive the terminal.
    public static func renderText(_ findings: [AuditFinding], load: ContextLoadResult) -> String {
        var lines: [String] = []
        let kinds = Set(load.documents.map(\.kind.rawValue)).sorted()
        lines.append("ecsdiagd audit: \(load.documents.count) document\(load.documents.count == 1 ? "" : "s") read"
            + (kinds.isEmpty ? "" : " (\(kinds.joined(separator: ", ")))"))
        for finding in findings {
            lines.append("")
            var heading = "\(finding.severity.rawValue.uppercased())  \(finding.check.rawValue)  [\(finding.rule.rawValue)"
            if let service = finding.service { heading += ", service \(service)" }
            lines.append(heading + "]")
            lines.append("  \(finding.title)")
            lines.append("  evidence: \(finding.evidence.document)" + (finding.evidence.path.isEmpty ? "" : "  \(finding.evidence.path)"))
            lines.append("  why: \(finding.detail)")
            lines.append("  fix:")
            lines += finding.fix.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }
        }
        if !load.problems.isEmpty {
            lines.append("")
            lines.append("problems (skipped or read in part):")
            for problem in load.problems {
                lines.append("  \(problem.path.isEmpty ? "-" : problem.path): \(problem.message) [\(problem.code)]")
            }
        }
        lines.append("")
        lines.append(countLine(findings))
        return lines.map { TerminalText.sanitize($0, limit: 20_000) }.joined(separator: "\n") + "\n"
    }

    /// `N findings: C critical, E error, W warning`.
    public static func countLine(_ findings: [AuditFinding]) -> String {
        let counts = Severity.allCases.map { severity in "\(findings.filter { $0.severity == severity }.count) \(severity.rawValue)" }
        return "\(findings.count) finding\(findings.count == 1 ? "" : "s"): \(counts.joined(separator: ", "))"
    }

    // MARK: JSON

    /// The report for machines. Keys are sorted, arrays keep the report order; `null` is written, never
    /// omitted. Schema (stable; new keys may be added):
    ///
    /// ```
    /// {
    ///   "documents": [{"kind": "task-definition" | "services" | "target-groups" | …, "path": String}],
    ///   "findings": [{
    ///     "cause": String | null,          // the diagnosis cause it would produce (Cause raw value)
    ///     "check": String,                 // AuditCheck raw value, e.g. "grace-period-zero"
    ///     "detail": String,
    ///     "evidence": {"document": String, "path": String},   // file path and JSON path
    ///     "fix": String,                   // CLI commands / JSON snippet, lines separated by "\n"
    ///     "rule": String,                  // RuleID raw value: the footgun
    ///     "service": String | null,
    ///     "severity": "critical" | "error" | "warning",
    ///     "title": String
    ///   }],
    ///   "problems": [{"code": String, "message": String, "path": String}],
    ///   "summary": {"critical": Int, "error": Int, "warning": Int}
    /// }
    /// ```
    public static func renderJSON(_ findings: [AuditFinding], load: ContextLoadResult) -> String {
        let report = JSONReport(
            documents: load.documents,
            findings: findings.map(JSONFinding.init),
            problems: load.problems.map { JSONProblem(code: $0.code.rawValue, message: $0.message, path: $0.path) },
            summary: Dictionary(uniqueKeysWithValues: Severity.allCases.map { severity in
                (severity.rawValue, findings.filter { $0.severity == severity }.count)
            })
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private struct JSONReport: Encodable {
        var documents: [LoadedDocument]
        var findings: [JSONFinding]
        var problems: [JSONProblem]
        var summary: [String: Int]
    }

    private struct JSONProblem: Encodable {
        var code: String
        var message: String
        var path: String
    }

    private struct JSONFinding: Encodable {
        var finding: AuditFinding

        init(_ finding: AuditFinding) { self.finding = finding }

        enum CodingKeys: String, CodingKey {
            case cause, check, detail, evidence, fix, rule, service, severity, title
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(finding.check.cause?.rawValue, forKey: .cause)
            try container.encode(finding.check.rawValue, forKey: .check)
            try container.encode(finding.detail, forKey: .detail)
            try container.encode(finding.evidence, forKey: .evidence)
            try container.encode(finding.fix, forKey: .fix)
            try container.encode(finding.rule.rawValue, forKey: .rule)
            try container.encode(finding.service, forKey: .service)
            try container.encode(finding.severity.rawValue, forKey: .severity)
            try container.encode(finding.title, forKey: .title)
        }
    }
}
