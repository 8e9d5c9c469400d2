import ArgumentParser
import DiagnosisRules
import ECSDiagKit

/// `ecsdiagd rules`: every rule, its MESSAGE_ID, causes, defaults and what the footgun is.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules, their journal MESSAGE_IDs, causes, defaults and the footgun each one catches."
    )

    @Option(name: .long, help: "Show the settings of this configuration instead of the defaults.")
    var config: String?

    func run() throws {
        let settings = try CommandSupport.settings(configPath: config).settings
        let out = FileOutput.standardOutput
        for entry in RuleCatalog.entries(settings: settings) {
            out.write("\(entry.rule.rawValue) — \(entry.title)\n")
            out.write("  MESSAGE_ID \(entry.messageID)   severity \(entry.severity.rawValue)\n")
            out.write("  fires: \(entry.fires)\n")
            out.write(wrap(entry.footgun, indent: "  ") + "\n")
            out.write("  causes:\n")
            for cause in entry.causes { out.write("    \(cause.cause.rawValue): \(cause.summary)\n") }
            out.write("  settings ([rules.\(entry.rule.rawValue)] in the configuration):\n")
            for s in entry.settings { out.write("    \(s.key) = \(s.value)  — \(s.meaning)\n") }
            if !entry.notFiredBy.isEmpty {
                out.write("  does not fire on:\n")
                for n in entry.notFiredBy { out.write("    - \(n)\n") }
            }
            out.write("\n")
        }
        out.write("engine ([engine] in the configuration):\n")
        for s in RuleCatalog.engineSettings(settings) { out.write("  \(s.key) = \(s.value)  — \(s.meaning)\n") }
        out.flush()
    }

    private func wrap(_ text: String, indent: String, width: Int = 100) -> String {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width, line != indent {
                lines.append(line)
                line = indent
            }
            line += (line == indent ? "" : " ") + word
        }
        if line != indent { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
