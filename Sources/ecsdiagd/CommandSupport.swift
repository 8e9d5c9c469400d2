import ArgumentParser
import DiagnosisRules
import ECSDiagKit

/// Helpers shared by the commands that read saved logs.
enum CommandSupport {
    /// Expands PATH arguments; an unreadable path prints a clear error and exits with status 2.
    static func inputs(_ paths: [String]) throws -> [InputFile] {
        do {
            return try InputPaths.expand(paths)
        } catch {
            FileOutput.standardError.write("ecsdiagd: cannot read \(TerminalText.sanitize(error.description))\n")
            throw ExitCode(2)
        }
    }

    /// Loads `--config` (rule settings) when given; a bad config prints file:line: key: message and exits 2.
    static func settings(configPath: String?) throws -> Configuration {
        guard let configPath else { return Configuration() }
        do {
            return try ConfigurationLoader.load(path: configPath)
        } catch {
            FileOutput.standardError.write("ecsdiagd: \(TerminalText.sanitize(error.description))\n")
            throw ExitCode(2)
        }
    }

    /// Loads `--context` documents; problems are reported on standard error and skipped.
    static func context(_ paths: [String]) throws -> ServiceContext {
        guard !paths.isEmpty else { return ServiceContext() }
        for path in paths {
            _ = try inputs([path])
        }
        let result = ContextDocumentReader.load(paths: paths)
        for problem in result.problems {
            FileOutput.standardError.write("ecsdiagd: context \(TerminalText.sanitize(problem.path)): \(TerminalText.sanitize(problem.message))\n")
        }
        return result.context
    }

    /// Prints the end-of-run summary on standard error.
    static func summarize(_ report: PipelineReport) {
        FileOutput.standardError.write(report.summary)
    }
}
