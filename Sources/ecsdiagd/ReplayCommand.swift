import ArgumentParser
import DiagnosisRules
import ECSDiagKit

/// `ecsdiagd replay`: diagnoses saved logs on event time and prints alert transitions.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay saved logs on event time and print alert transitions (deterministic).",
        discussion: """
            PATH may be a file (any supported CloudWatch, ECS, EventBridge, Container Insights or ALB shape, \
            plain or gzip), a directory (read recursively) or - for standard input. Formats are detected by content.
            Exit status: 0 whether or not alerts fired; 2 for usage errors and unreadable paths.
            """
    )

    @Option(name: .long, help: "Output format: text for people, json for JSON Lines (one object per transition).")
    var output: OutputFormat = .text

    @Option(name: .long, help: "A TOML configuration whose [engine] and [rules.*] settings override the defaults.")
    var config: String?

    @Option(name: .long, help: "An AWS CLI JSON document (task definition, describe-services, target groups, scaling, IAM) that sharpens causes and fixes. Repeatable.")
    var context: [String] = []

    @Argument(help: "Files, directories or - (standard input).")
    var paths: [String]

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("Give at least one PATH.") }
    }

    func run() throws {
        let configuration = try CommandSupport.settings(configPath: config)
        let partition = InputPartition.split(try CommandSupport.inputs(paths))
        let serviceContext = try CommandSupport.context(context + configuration.contextPaths + partition.contextPaths)
        let inputs = partition.logs
        let out = FileOutput.standardOutput
        var transitions = 0
        let pipeline = DiagnosisPipeline(inputs: inputs, settings: configuration.settings, context: serviceContext)
        let format = output
        let report: PipelineReport
        do {
            report = try pipeline.run(.init(transition: { t in
                transitions += 1
                out.write(format == .json ? AlertRenderer.json(t) + "\n" : AlertRenderer.text(t) + "\n")
            }))
        } catch {
            out.flush()
            FileOutput.standardError.write("ecsdiagd: cannot read \(TerminalText.sanitize(error.description))\n")
            throw ExitCode(2)
        }
        if format == .text, transitions == 0 { out.write("No alerts: none of the four ECS footguns was diagnosed in this input.\n") }
        out.flush()
        CommandSupport.summarize(report)
    }
}
