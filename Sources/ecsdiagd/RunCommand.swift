import ArgumentParser
import ECSDiagKit

/// `ecsdiagd run`: follows the configured sources and writes alert transitions to the systemd journal.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run as a systemd service: follow log files, write alerts to the journal (sd_notify, watchdog, SIGHUP reload)."
    )

    @Option(name: .long, help: "The TOML configuration file.")
    var config: String = "/etc/ecsdiagd/ecsdiagd.toml"

    func run() async throws {
        let status = await DaemonRunner.run(configPath: config)
        if status != 0 { throw ExitCode(status) }
    }
}
