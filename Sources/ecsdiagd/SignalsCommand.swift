import ArgumentParser
import DiagnosisRules
import ECSDiagKit

/// `ecsdiagd signals`: what the matcher recognised in each record, to see why something fired or did not.
struct SignalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signals",
        abstract: "Print what the matcher recognised in each record (like fail2ban-regex for filters)."
    )

    @Option(name: .long, help: "Output format: text, or json (one object per recognised record).")
    var output: OutputFormat = .text

    @Argument(help: "Files, directories or - (standard input).")
    var paths: [String]

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("Give at least one PATH.") }
    }

    func run() throws {
        let inputs = try CommandSupport.inputs(paths)
        let out = FileOutput.standardOutput
        let format = output
        let pipeline = DiagnosisPipeline(inputs: inputs)
        let report: PipelineReport
        do {
            report = try pipeline.run(.init(signal: { s in
                out.write((format == .json ? SignalRenderer.json(s) : SignalRenderer.text(s)) + "\n")
            }))
        } catch {
            out.flush()
            FileOutput.standardError.write("ecsdiagd: cannot read \(TerminalText.sanitize(error.description))\n")
            throw ExitCode(2)
        }
        out.flush()
        CommandSupport.summarize(report)
    }
}
