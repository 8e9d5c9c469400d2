import DiagnosisRules

/// Renders a ``TriageReport`` for a terminal: headline, root-cause chain table, findings, timelines as sparklines,
/// checks and inputs, laid out in `terminal.width` columns; ANSI colour only when `terminal.color`.
///
/// Every string that came from a log goes through `TerminalText.sanitize`: escape sequences, carriage returns and
/// other control characters are shown as visible escapes (`\e`, `\r`) and cannot act on the terminal. Colour codes
/// are only ever added around the report's own words.
public struct TriageTextRenderer: Sendable {
    /// Width and colour.
    public var terminal: TriageTerminal
    /// Evidence lines are cut at this many characters.
    public var evidenceLimit = 300

    /// Creates a renderer.
    public init(terminal: TriageTerminal) {
        self.terminal = terminal
    }

    /// Creates a renderer for `width` columns, with or without colour.
    public init(width: Int = TriageTerminal.defaultWidth, color: Bool = false) {
        self.init(terminal: TriageTerminal(width: width, color: color))
    }

    private var width: Int { max(terminal.width, 60) }

    // MARK: Style

    private enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", cyan = "36", boldRed = "1;31"
    }

    private func paint(_ s: String, _ style: Style) -> String {
        terminal.color ? "\u{1B}[\(style.rawValue)m\(s)\u{1B}[0m" : s
    }

    private func heading(_ s: String) -> String { paint(s, .bold) }

    private func severity(_ s: Severity) -> String {
        switch s {
        case .critical: paint("critical", .boldRed)
        case .error: paint("error", .red)
        case .warning: paint("warning", .yellow)
        }
    }

    private func status(_ f: TriageFinding) -> String {
        switch f.status {
        case .firing: paint("FIRING", .boldRed)
        case .resolved: paint("resolved", .green) + (f.resolvedAt.map { " " + TriageTime.long($0) } ?? "")
        }
    }

    /// Untrusted text made inert.
    private func inert(_ s: String, limit: Int = 2000) -> String { TerminalText.sanitize(s, limit: limit) }

    private func wrapped(_ s: String, indent: Int, first: String? = nil) -> [String] {
        let pad = String(repeating: " ", count: indent)
        let lines = TextLayout.wrap(s, width: width - indent)
        return lines.enumerated().map { i, l in (i == 0 ? (first ?? pad) : pad) + l }
    }

    // MARK: Render

    /// The whole report, ending with a newline.
    public func render(_ report: TriageReport) -> String {
        var out: [String] = []
        out += headline(report)
        if !report.findings.isEmpty {
            out.append("")
            out += chain(report)
            out.append("")
            out.append(heading("FINDINGS"))
            for f in report.findings {
                out.append("")
                out += finding(f)
            }
        }
        if !report.timelines.isEmpty {
            out.append("")
            out.append(heading("TIMELINE") + paint("  (per minute, UTC; · = none)", .dim))
            for t in report.timelines {
                out.append("")
                out.append("  " + paint(TextLayout.truncate(inert(t.target, limit: 200), width - 32), .bold) + "  \(TriageTime.day(t.start)) "
                    + "\(TriageTime.minute(t.start))–\(TriageTime.minute(t.end)) UTC")
                out += TriageChart.render(t, width: width)
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

    private func headline(_ r: TriageReport) -> [String] {
        var title = "ecsdiagd triage"
        switch r.origin {
        case .logs: title += " — saved logs"
        case .journal: title += " — journal of the ecsdiagd daemon"
        }
        var out = [heading(title)]
        if let w = r.window {
            let range = [w.since.map { "since " + TriageTime.long($0) }, w.until.map { "until " + TriageTime.long($0) }]
                .compactMap { $0 }.joined(separator: ", ").nonEmpty(or: "whole journal")
            out += wrapped("journal window: " + range, indent: 2, first: "")
        }
        let h = r.headline
        guard h.findingCount > 0 else {
            out += wrapped(inert(h.text), indent: 0).map { paint($0, .green) }
            return out
        }
        var line = inert(h.services.joined(separator: ", "), limit: 400) + " affected since " + (h.since.map(TriageTime.long) ?? "?")
        line += " — \(h.findingCount) finding\(h.findingCount == 1 ? "" : "s"), "
        line += h.firingCount == 0 ? "all resolved" : "\(h.firingCount) still firing"
        out += wrapped(line, indent: 0).map { paint($0, h.firingCount == 0 ? .bold : .boldRed) }
        if let n = h.worst, let w = r.finding(number: n) {
            let text = "Worst: #\(w.number) \(w.rule.rawValue) (\(w.cause.rawValue)), \(w.severity.rawValue), "
                + (w.status == .firing ? "still firing" : "resolved") + " — \(w.consequence)."
            out += wrapped(inert(text), indent: 0)
        }
        return out
    }

    private func chain(_ r: TriageReport) -> [String] {
        var out = [heading("ROOT-CAUSE CHAIN") + paint("  (ordered by first evidence)", .dim)]
        let available = width - 2 - 3 * 2
        let findingWidth = max(min(28, available / 2), available * 30 / 100)
        let consequenceWidth = (available - findingWidth) / 2
        let fixWidth = available - findingWidth - consequenceWidth
        let multiService = r.headline.services.count > 1
        var rows: [[String]] = [["#", "Finding", "Consequence", "Fix"]]
        for f in r.findings {
            var cell = "\(f.rule.rawValue)\n\(f.cause.rawValue)"
            if multiService { cell += "\n" + inert(f.target, limit: 120) }
            cell += "\n" + TriageTime.minute(f.firstSeen) + (f.status == .firing ? " FIRING" : " resolved")
            rows.append(["\(f.number)", cell, f.consequence, inert(f.fix, limit: 400)])
        }
        let lines = TextLayout.table(rows, widths: [2, findingWidth, consequenceWidth, fixWidth])
        out.append(paint(lines[0], .dim))
        out += lines.dropFirst()
        return out
    }

    private func finding(_ f: TriageFinding) -> [String] {
        var out: [String] = []
        let ind = 3
        let pad = String(repeating: " ", count: ind)
        out.append(paint("#\(f.number) \(f.rule.rawValue)", .bold) + " · \(f.cause.rawValue)")
        out.append(pad + severity(f.severity) + " · " + status(f))
        out += wrapped("\(f.title) — \(inert(f.target, limit: 200))", indent: ind)
        var when = "first evidence \(TriageTime.long(f.firstSeen)) · fired \(TriageTime.minute(f.firedAt))"
        when += " · last evidence \(TriageTime.minute(f.lastSeen)) · \(f.count) record\(f.count == 1 ? "" : "s")"
        if f.episodes > 1 { when += " · fired \(f.episodes) times" }
        out += wrapped(when, indent: ind).map { paint($0, .dim) }
        if !f.taskIDs.isEmpty {
            let shown = f.taskIDs.prefix(5).map { inert($0, limit: 80) }.joined(separator: ", ")
            let more = f.taskIDs.count > 5 ? " (+\(f.taskIDs.count - 5) more)" : ""
            out += wrapped("tasks: \(shown)\(more)", indent: ind).map { paint($0, .dim) }
        }
        out += wrapped(f.explanation, indent: ind + 7, first: pad + paint("Cause", .cyan) + "  ")
        if !f.summary.isEmpty {
            // A resolved alert's summary is the one it fired with; its resolution carries the final counts.
            let label = f.status == .firing ? "Measured" : "Fired on"
            out += wrapped(inert(f.summary), indent: ind + 10, first: pad + paint(label, .cyan) + "  ")
        }
        if let r = f.resolution, !r.isEmpty {
            out += wrapped(inert(r), indent: ind + 10, first: pad + paint("Resolved", .cyan) + "  ")
        }
        if !f.figures.isEmpty {
            out.append(pad + paint("Figures", .cyan))
            let nameWidth = min(max(f.figures.map { $0.name.count }.max() ?? 0, 10), 36)
            for fig in f.figures {
                let name = TextLayout.pad(inert(fig.name, limit: 60), nameWidth)
                out += wrapped(inert(fig.value, limit: 400), indent: ind + 2 + nameWidth + 2, first: pad + "  " + name + "  ")
            }
        }
        if !f.evidence.isEmpty {
            out.append(pad + paint("Evidence", .cyan))
            for e in f.evidence {
                out.append(pad + "  " + TriageTime.precise(e.time) + "  "
                    + paint(TextLayout.truncateMiddle(inert(e.source, limit: 400), width - ind - 16), .dim))
                let lines = TextLayout.wrap(inert(e.line, limit: evidenceLimit), width: width - ind - 6)
                for (i, l) in lines.prefix(4).enumerated() {
                    let cut = i == 3 && lines.count > 4 && !l.hasSuffix("…")
                    out.append(pad + "      " + (cut ? TextLayout.truncate(l + " …", width - ind - 6) : l))
                }
            }
        }
        if !f.remediation.isEmpty {
            out.append(pad + paint("Fix", .cyan))
            for part in RemediationText.parts(f.remediation) {
                switch part {
                case .prose(let s):
                    out += wrapped(inert(s, limit: 4000), indent: ind + 2)
                case .command(let s):
                    let steps = RemediationText.steps(s)
                    for (i, step) in steps.enumerated() {
                        let line = inert(step, limit: 4000) + (i < steps.count - 1 ? " &&" : "")
                        out.append(pad + (i == 0 ? "  $ " : "      ") + paint(line, .yellow))
                    }
                case .snippet(let s):
                    out.append(pad + "    " + paint(inert(s, limit: 4000), .yellow))
                }
            }
        }
        return out
    }

    private func checks(_ r: TriageReport) -> [String] {
        var out: [String] = []
        let fine = r.checks.filter { $0.verdict == .fine }
        let missing = r.checks.filter { $0.notJudged != nil }
        out.append(heading("CHECKED AND FOUND FINE"))
        if fine.isEmpty {
            out += wrapped("(none: every rule either found something or could not be judged)", indent: 2).map { paint($0, .dim) }
        }
        for c in fine {
            out += wrapped("\(c.subject.name): \(c.checked ?? "") — nothing found", indent: 4, first: "  " + paint("✓", .green) + " ")
        }
        out.append("")
        out.append(heading("COULD NOT BE JUDGED"))
        if missing.isEmpty {
            out += wrapped("(nothing: every rule had the inputs it needs)", indent: 2).map { paint($0, .dim) }
        }
        for c in missing {
            out += wrapped("\(c.subject.name): \(inert(c.notJudged ?? ""))", indent: 4, first: "  " + paint("?", .yellow) + " ")
        }
        return out
    }

    private func inputs(_ r: TriageReport) -> [String] {
        var out = [heading("INPUTS") + paint("  (\(r.inputs.count) file\(r.inputs.count == 1 ? "" : "s"), \(r.inputs.reduce(0) { $0 + $1.records }) records)", .dim)]
        for i in r.inputs {
            var line = "\(inert(i.path, limit: 300)) — \(i.records) records, \(Self.bytes(i.bytes))"
            if !i.formats.isEmpty { line += " — " + i.formats.joined(separator: ", ") }
            if i.problems > 0 { line += " — \(i.problems) skipped or flagged" }
            out += wrapped(line, indent: 4, first: "  ")
        }
        return out
    }

    /// `1.2 MiB`, `931 KiB`, `27 B`.
    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return "\(JSONText.format((Double(n) / 1024 * 10).rounded() / 10)) KiB" }
        return "\(JSONText.format((Double(n) / 1_048_576 * 10).rounded() / 10)) MiB"
    }
}

extension String {
    fileprivate func nonEmpty(or fallback: String) -> String { isEmpty ? fallback : self }
}
