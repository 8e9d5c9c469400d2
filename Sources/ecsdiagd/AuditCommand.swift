import ArgumentParser
import DiagnosisRules
import ECSDiagKit

/// `ecsdiagd audit`: checks a service's configuration documents against the four footguns, before a deploy.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check AWS CLI configuration documents (task definition, service, target groups, scaling, IAM) against the four footguns.",
        discussion: "Exit status: 1 when a finding reaches --fail-on, 2 when a path cannot be read, else 0."
    )

    enum FailOn: String, ExpressibleByArgument, CaseIterable { case warning, error, critical }

    @Option(name: .long, help: "Report format: text or json.")
    var format: AuditCommandRunner.Format = .text

    @Option(name: .long, help: "Exit with status 1 when a finding has at least this severity: warning, error or critical.")
    var failOn: FailOn?

    @Argument(help: "Files or directories of AWS CLI JSON documents.")
    var paths: [String]

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("Give at least one PATH.") }
    }

    func run() throws {
        let severity = failOn.flatMap { Severity(rawValue: $0.rawValue) }
        let result = AuditCommandRunner.run(paths: paths, format: format, failOn: severity)
        FileOutput.standardOutput.write(result.output.hasSuffix("\n") ? result.output : result.output + "\n")
        FileOutput.standardOutput.flush()
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}

extension AuditCommandRunner.Format: ExpressibleByArgument {}
