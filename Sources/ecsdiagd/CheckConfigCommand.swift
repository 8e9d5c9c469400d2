import ArgumentParser
import ECSDiagKit

/// `ecsdiagd check-config FILE`: validates a configuration (used by the unit before start and reload).
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file; exit non-zero naming file, line and key on errors."
    )

    @Argument(help: "The TOML configuration file.")
    var file: String

    func run() throws {
        do {
            let config = try ConfigurationLoader.load(path: file)
            print("\(file): OK (\(config.sources.count) source(s), state in \(config.stateDirectory))")
        } catch {
            FileOutput.standardError.write("ecsdiagd: \(TerminalText.sanitize(error.description))\n")
            throw ExitCode(1)
        }
    }
}
