import ArgumentParser
import ECSDiagKit
#if canImport(Glibc)
import Glibc
#endif

/// Parses the command line and runs the command. Usage errors exit with status 2 (the contract), not
/// ArgumentParser's default 64.
@main
enum EntryPoint {
    static func main() async {
        do {
            var command = try ECSDiag.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = ECSDiag.exitCode(for: error)
            if code == .success || error is CleanExit {
                ECSDiag.exit(withError: error)
            }
            let message = ECSDiag.fullMessage(for: error)
            if !message.isEmpty { FileOutput.standardError.write(message + "\n") }
            exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// `ecsdiagd`: diagnoses broken AWS ECS services from their logs.
struct ECSDiag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecsdiagd",
        abstract: "Diagnoses broken AWS ECS services from their logs: wrong IAM role, restart loops, saturation, missing logs.",
        subcommands: [
            ReplayCommand.self, SignalsCommand.self, TriageCommand.self, AuditCommand.self, RulesCommand.self,
            RunCommand.self, CheckConfigCommand.self,
        ]
    )
}
