import ArgumentParser
import DiagnosisRules
import ECSDiagKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--format` of `triage`.
enum TriageFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, json
}

/// `ecsdiagd triage`: the on-call report — root-cause chain, timeline, evidence and fixes — from saved logs or
/// from the daemon's alerts in the journal.
struct TriageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "The on-call report: root-cause chain, timeline, evidence and fixes, from saved logs or the journal.",
        discussion: """
            ecsdiagd triage [--format text|markdown|json] [--config FILE] [--context FILE]... PATH...
            ecsdiagd triage --journal [--since TIME] [--until TIME] [--format text|markdown|json]

            PATH is read as by replay (files, directories, - for standard input; formats detected by content). \
            With --journal the report is built from the alerts the ecsdiagd daemon wrote to the systemd journal \
            (SYSLOG_IDENTIFIER=ecsdiagd, the four rules' MESSAGE_IDs); timelines are not available that way.
            TIME is RFC 3339 (2026-11-20T09:00:00Z), "YYYY-MM-DD HH:MM:SS" (UTC), or a duration ago: 2h, 30min, 1d.
            Text output is coloured only on a terminal without NO_COLOR, and laid out in COLUMNS (or the \
            terminal's) width. A progress line is drawn on standard error only when it is a terminal.
            Exit status: 0 whether or not anything was found; 2 for usage errors and unreadable paths.
            """
    )

    @Option(name: .long, help: "Report format: text (default), markdown (for incident documents and chat) or json.")
    var format: TriageFormat = .text

    @Option(name: .long, help: "A TOML configuration whose [engine] and [rules.*] settings override the defaults.")
    var config: String?

    @Option(name: .long, help: "An AWS CLI JSON document (task definition, describe-services, target groups, scaling, IAM) that sharpens causes and fixes. Repeatable.")
    var context: [String] = []

    @Flag(name: .long, help: "Report the alerts the ecsdiagd daemon wrote to the systemd journal instead of reading logs.")
    var journal = false

    @Option(name: .long, help: "With --journal: entries received at or after TIME (RFC 3339, 'YYYY-MM-DD HH:MM:SS' UTC, or 2h / 30min ago).")
    var since: String?

    @Option(name: .long, help: "With --journal: entries received at or before TIME.")
    var until: String?

    @Argument(help: "Files, directories or - (standard input).")
    var paths: [String] = []

    func validate() throws {
        if journal {
            guard paths.isEmpty else { throw ValidationError("--journal reads the journal: give no PATH.") }
            guard context.isEmpty else { throw ValidationError("--context applies to saved logs, not to --journal.") }
            let now = Self.now()
            if let since, TriageTime.parse(since, now: now) == nil {
                throw ValidationError("--since '\(TerminalText.sanitize(since, limit: 100))': expected RFC 3339, 'YYYY-MM-DD HH:MM:SS' (UTC) or a duration such as 2h or 30min.")
            }
            if let until, TriageTime.parse(until, now: now) == nil {
                throw ValidationError("--until '\(TerminalText.sanitize(until, limit: 100))': expected RFC 3339, 'YYYY-MM-DD HH:MM:SS' (UTC) or a duration such as 2h or 30min.")
            }
        } else {
            guard !paths.isEmpty else { throw ValidationError("Give at least one PATH, or --journal.") }
            guard since == nil, until == nil else { throw ValidationError("--since and --until apply only with --journal.") }
        }
    }

    func run() throws {
        let report = journal ? try journalReport() : try logsReport()
        let out = FileOutput.standardOutput
        switch format {
        case .text: out.write(TriageTextRenderer(terminal: .detect()).render(report))
        case .markdown: out.write(TriageMarkdownRenderer().render(report))
        case .json: out.write(TriageJSONRenderer().render(report))
        }
        out.flush()
    }

    private func logsReport() throws -> TriageReport {
        let configuration = try CommandSupport.settings(configPath: config)
        let partition = InputPartition.split(try CommandSupport.inputs(paths))
        let serviceContext = try CommandSupport.context(context + configuration.contextPaths + partition.contextPaths)
        let inputs = partition.logs
        let progress = ProgressLine(totalBytes: ProgressLine.totalSize(of: inputs.map(\.path)))
        let pipeline = DiagnosisPipeline(inputs: inputs, settings: configuration.settings, context: serviceContext)
        do {
            let report = try TriageReportBuilder().replay(pipeline) { bytes, records in
                progress.update(bytes: bytes, records: records)
            }
            progress.finish()
            return report
        } catch {
            progress.finish()
            FileOutput.standardError.write("ecsdiagd: cannot read \(TerminalText.sanitize(error.description))\n")
            throw ExitCode(2)
        }
    }

    private func journalReport() throws -> TriageReport {
        let now = Self.now()
        let window = TriageWindow(
            since: since.flatMap { TriageTime.parse($0, now: now) }, until: until.flatMap { TriageTime.parse($0, now: now) })
        do {
            let read = try TriageJournal.transitions(window: window)
            if read.unreadable > 0 {
                FileOutput.standardError.write("ecsdiagd: \(read.unreadable) journal entr\(read.unreadable == 1 ? "y" : "ies") with an ecsdiagd MESSAGE_ID could not be read back as alerts (skipped)\n")
            }
            return TriageReportBuilder().build(journal: read.transitions, window: window)
        } catch {
            FileOutput.standardError.write("ecsdiagd: cannot read the systemd journal: \(TerminalText.sanitize(String(describing: error)))\n")
            throw ExitCode(2)
        }
    }

    /// The wall clock, for relative `--since`/`--until`.
    private static func now() -> EventTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return EventTime(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }
}
