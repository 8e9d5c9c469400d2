import DiagnosisRules

/// Renders a ``TriageReport`` as Markdown that pastes cleanly into an incident document or a chat: headings, a
/// table for the root-cause chain, figures as tables, commands and JSON snippets in fenced code blocks, timelines as
/// sparklines in a `text` block.
///
/// Log-derived text is untrusted: in prose and tables it goes through ``MarkdownText/escape(_:limit:)`` (control
/// characters made inert, Markdown punctuation backslash-escaped, so `|`, `*`, `_`, backticks, `<script>`,
/// `[x](javascript:…)` and `#` show as typed); in code blocks through ``MarkdownText/codeBlock(_:language:)``
/// (fence longer than any backtick run inside). Evidence lines are capped at ``evidenceLimit`` characters.
public struct TriageMarkdownRenderer: Sendable {
    /// Evidence lines are cut at this many characters.
    public var evidenceLimit = 200
    /// Width of the timeline charts (a document is not a terminal: fixed, so the output is stable).
    public var chartWidth = 80

    /// Creates a renderer.
    public init() {}

    private func md(_ s: String, limit: Int = 2000) -> String { MarkdownText.escape(s, limit: limit) }

    /// The whole report, ending with a newline.
    public func render(_ report: TriageReport) -> String {
        var out: [String] = []
        let h = report.headline
        let title = h.services.isEmpty ? "ecsdiagd triage" : "ecsdiagd triage: \(md(h.services.joined(separator: ", "), limit: 400))"
        out.append("# \(title)")
        out.append("")
        if let w = report.window {
            let parts = [w.since.map { "since \(TriageTime.long($0))" }, w.until.map { "until \(TriageTime.long($0))" }].compactMap { $0 }
            out.append("*Source: alerts journaled by the ecsdiagd daemon, \(parts.isEmpty ? "whole journal" : parts.joined(separator: ", ")).*")
            out.append("")
        }
        if h.findingCount == 0 {
            out.append("**\(md(h.text))**")
        } else {
            var line = "**\(md(h.services.joined(separator: ", "), limit: 400))** affected since **\(h.since.map(TriageTime.long) ?? "?")**: "
            line += "\(h.findingCount) finding\(h.findingCount == 1 ? "" : "s"), "
            line += h.firingCount == 0 ? "all resolved." : "**\(h.firingCount) still firing**."
            out.append(line)
            if let n = h.worst, let w = report.finding(number: n) {
                out.append("")
                out.append("**Worst:** #\(w.number) \(MarkdownText.code(w.rule.rawValue)) (\(w.cause.rawValue)), \(w.severity.rawValue), "
                    + (w.status == .firing ? "still firing" : "resolved") + " — \(md(w.consequence)).")
            }
        }
        if !report.findings.isEmpty {
            out.append("")
            out += chain(report)
            out.append("")
            out.append("## Findings")
            for f in report.findings {
                out.append("")
                out += finding(f)
            }
        }
        if !report.timelines.isEmpty {
            out.append("")
            out.append("## Timeline")
            for t in report.timelines {
                out.append("")
                out.append("### \(md(t.target, limit: 200)) — \(TriageTime.day(t.start)) \(TriageTime.minute(t.start))–\(TriageTime.minute(t.end)) UTC")
                out.append("")
                out.append(MarkdownText.codeBlock(TriageChart.render(t, width: chartWidth).joined(separator: "\n"), language: "text"))
            }
        }
        out.append("")
        out += checks(report)
        if !report.inputs.isEmpty {
            out.append("")
            out += inputs(report)
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func chain(_ r: TriageReport) -> [String] {
        var out = ["## Root-cause chain", "", "Ordered by first evidence.", ""]
        let multiService = r.headline.services.count > 1
        out.append("| # | Finding | Consequence | Fix |")
        out.append("|---|---|---|---|")
        for f in r.findings {
            var cell = "\(MarkdownText.code(f.rule.rawValue)) (\(f.cause.rawValue))"
            if multiService { cell += " — \(md(f.target, limit: 120))" }
            cell += "<br>\(TriageTime.minute(f.firstSeen)), " + (f.status == .firing ? "**firing**" : "resolved")
            out.append("| \(f.number) | \(cell) | \(md(f.consequence)) | \(md(f.fix, limit: 400)) |")
        }
        return out
    }

    private func finding(_ f: TriageFinding) -> [String] {
        var out: [String] = []
        out.append("### \(f.number). \(md(f.title)) — \(MarkdownText.code(f.rule.rawValue)) (\(f.cause.rawValue))")
        out.append("")
        let status = f.status == .firing ? "**firing**" : "resolved at \(f.resolvedAt.map(TriageTime.long) ?? "?")"
        out.append("- **Service:** \(md(f.target, limit: 200)) · **severity:** \(f.severity.rawValue) · **status:** \(status)")
        var when = "- **First evidence:** \(TriageTime.long(f.firstSeen)) · **fired:** \(TriageTime.long(f.firedAt))"
        when += " · **last evidence:** \(TriageTime.long(f.lastSeen)) · **records:** \(f.count)"
        if f.episodes > 1 { when += " · **fired \(f.episodes) times**" }
        out.append(when)
        if !f.taskIDs.isEmpty {
            let shown = f.taskIDs.prefix(5).map { md($0, limit: 80) }.joined(separator: ", ")
            out.append("- **Tasks:** \(shown)\(f.taskIDs.count > 5 ? " (+\(f.taskIDs.count - 5) more)" : "")")
        }
        out.append("")
        out.append("**Cause.** \(md(f.explanation))")
        if !f.summary.isEmpty {
            out.append("")
            out.append("**\(f.status == .firing ? "Measured" : "When it fired")**. \(md(f.summary))")
        }
        if let r = f.resolution, !r.isEmpty {
            out.append("")
            out.append("**Resolved.** \(md(r))")
        }
        if !f.figures.isEmpty {
            out.append("")
            out.append("| Figure | Value |")
            out.append("|---|---|")
            for fig in f.figures { out.append("| \(md(fig.name, limit: 80)) | \(md(fig.value, limit: 400)) |") }
        }
        if !f.evidence.isEmpty {
            out.append("")
            out.append("**Evidence**")
            out.append("")
            for e in f.evidence {
                out.append("- \(TriageTime.precise(e.time)) \(md(e.source, limit: 200)) — \(md(e.line, limit: evidenceLimit))")
            }
        }
        if !f.remediation.isEmpty {
            out.append("")
            out.append("**Fix**")
            for part in RemediationText.parts(f.remediation) {
                out.append("")
                switch part {
                case .prose(let s):
                    out.append(md(s, limit: 4000))
                case .command(let s):
                    let steps = RemediationText.steps(s)
                    let text = steps.enumerated().map { i, step in i < steps.count - 1 ? step + " &&" : step }.joined(separator: "\n")
                    out.append(MarkdownText.codeBlock(text, language: "sh"))
                case .snippet(let s):
                    out.append(MarkdownText.codeBlock(s, language: "json"))
                }
            }
        }
        return out
    }

    private func checks(_ r: TriageReport) -> [String] {
        var out = ["## Checked and found fine", ""]
        let fine = r.checks.filter { $0.verdict == .fine }
        if fine.isEmpty { out.append("*None: every rule either found something (see the findings) or could not be judged.*") }
        for c in fine {
            out.append("- **\(c.subject.name)**: \(md(c.checked ?? "")) — nothing found.")
        }
        out.append("")
        out.append("## Could not be judged")
        out.append("")
        let missing = r.checks.filter { $0.notJudged != nil }
        if missing.isEmpty { out.append("*Nothing: every rule had the inputs it needs.*") }
        for c in missing {
            out.append("- **\(c.subject.name)**: \(md(c.notJudged ?? ""))")
        }
        return out
    }

    private func inputs(_ r: TriageReport) -> [String] {
        var out = ["## Inputs", "", "| Path | Records | Bytes | Formats | Problems |", "|---|---:|---:|---|---:|"]
        for i in r.inputs {
            out.append("| \(md(i.path, limit: 300)) | \(i.records) | \(i.bytes) | \(md(i.formats.joined(separator: ", "))) | \(i.problems) |")
        }
        return out
    }
}
