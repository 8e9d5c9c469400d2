import DiagnosisRules
import ECSDiagKit
import Foundation
import LogDecoding
import Testing

struct TriageRendererTests {
    typealias F = TriageFixtures

    /// Log text an attacker controls: terminal escapes (SGR colour, OSC window title, CSI clear screen, C1 CSI),
    /// carriage returns that overwrite the line, bidi overrides, and Markdown that would become a table cell, code,
    /// emphasis, a link, HTML or a heading.
    static let hostile = "ok \u{1B}[31mRED\u{1B}[0m \u{1B}]0;pwned title\u{07} \u{1B}[2J \u{9B}2J\rOVERWRITE \u{202E}evil "
        + "| col | `rm -rf /` *bold* _it_ [x](javascript:alert(1)) <script>alert(1)</script> ![i](http://e/x.png)\n# injected heading"

    static var hostileReport: TriageReport {
        let evidence = [
            Evidence(time: F.at(9, 0, 12.301), source: "logs/\u{1B}[1mapp|x.json:12", line: hostile),
            Evidence(time: F.at(9, 0, 13), source: "logs/app.json:13", line: String(repeating: "x", count: 1000)),
        ]
        var t = F.transition(
            .taskRoleMissingPermission, .firing, first: F.at(9, 0, 12.301), last: F.at(9, 1), at: F.at(9, 1),
            service: "orders|api\u{1B}[5m", summary: "3 AccessDenied as role " + hostile, evidence: evidence,
            remediation: "Grant s3:GetObject to the task role: aws iam put-role-policy --role-name 'x```y\u{1B}[31m' --policy-document '{}'. Then " + hostile,
            figures: [Figure("role", hostile), Figure("action", "s3:Get*|`x`")])
        t.taskIDs = ["t1\u{1B}[31m"]
        var run = F.fullRun
        run.inputs[0].path = "in/\u{1B}]0;t\u{07}|a*b.log"
        return TriageReportBuilder().build(transitions: [t], timelines: F.timelines, run: run)
    }

    static func controlScalars(_ s: String) -> [UInt32] {
        s.unicodeScalars.map(\.value).filter { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F || (0x80...0x9F).contains($0) || $0 == 0x202E }
    }

    // MARK: Untrusted text is inert in every format

    @Test func textOutputHasNoControlCharacters() {
        let out = TriageTextRenderer(width: 100, color: false).render(Self.hostileReport)
        #expect(Self.controlScalars(out).isEmpty)
        #expect(out.contains("\\e[31mRED\\e[0m"))
        #expect(out.contains("\\e]0;pwned"))
        #expect(out.contains("title\\x07"))
        #expect(out.contains("\\rOVERWRITE"))
        #expect(!out.contains("\u{1B}"))
    }

    @Test func textColourWrapsOnlyTheReportsOwnWords() {
        let out = TriageTextRenderer(width: 100, color: true).render(Self.hostileReport)
        #expect(out.contains("\u{1B}[1m"))  // our headings
        // Every escape in the output is one of ours: SGR of the fixed styles.
        let allowed: Set<String> = ["\u{1B}[0m", "\u{1B}[1m", "\u{1B}[2m", "\u{1B}[31m", "\u{1B}[32m", "\u{1B}[33m", "\u{1B}[36m", "\u{1B}[1;31m"]
        var rest = Substring(out)
        while let r = rest.range(of: "\u{1B}") {
            let tail = rest[r.lowerBound...]
            let seq = allowed.first { tail.hasPrefix($0) }
            #expect(seq != nil, "unexpected escape: \(String(tail.prefix(12)).debugDescription)")
            rest = rest[r.upperBound...]
        }
        #expect(!out.contains("\u{1B}]"))
        #expect(!out.contains("\u{1B}[2J"))
        #expect(!out.contains("\u{1B}[5m"))
        #expect(!out.contains("\r"))
    }

    @Test func markdownOutputIsInert() {
        let out = TriageMarkdownRenderer().render(Self.hostileReport)
        #expect(Self.controlScalars(out).isEmpty)
        #expect(!out.contains("<script>"))
        #expect(!out.contains("[x](javascript"))
        #expect(!out.contains("![i]("))
        #expect(out.contains("\\<script\\>"))
        #expect(out.contains("\\[x\\](javascript:alert(1))"))
        #expect(out.contains("\\`rm -rf /\\`"))
        #expect(out.contains("\\*bold\\*"))
        #expect(out.contains("\\_it\\_"))
        // The newline before "# injected heading" is shown, not followed: only our own level-1 heading exists.
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0.hasPrefix("# ") }.count == 1)
        #expect(!lines.contains { $0.hasPrefix("# injected") })
        // Table rows keep their shape: unescaped pipes only at cell borders.
        for line in lines where line.hasPrefix("| ") {
            let cells = Self.unescapedPipes(String(line))
            #expect(cells == 5 || cells == 3 || cells == 6, "row has \(cells) cell borders: \(line)")
        }
        // The remediation's code block fence is longer than the backticks inside it.
        #expect(out.contains("````sh\naws iam put-role-policy --role-name 'x```y\\e[31m' --policy-document '{}'\n````"))
    }

    @Test func markdownCapsEvidenceLines() {
        let out = TriageMarkdownRenderer().render(Self.hostileReport)
        #expect(out.contains(String(repeating: "x", count: 200) + "…"))
        #expect(!out.contains(String(repeating: "x", count: 201)))
    }

    @Test func jsonOutputEscapesAndRoundTrips() throws {
        let out = TriageJSONRenderer().render(Self.hostileReport)
        #expect(Self.controlScalars(out).isEmpty)
        #expect(!out.contains("\u{1B}"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        let evidence = try #require(findings.first?["evidence"] as? [[String: Any]])
        #expect(evidence.first?["line"] as? String == Self.hostile)
        #expect(findings.first?["service"] as? String == "orders|api\u{1B}[5m")
        let inputs = try #require(object["inputs"] as? [[String: Any]])
        #expect(inputs.first?["path"] as? String == "in/\u{1B}]0;t\u{07}|a*b.log")
    }

    // MARK: Text layout

    @Test func textIsLaidOutInTheGivenWidth() {
        var t = F.story
        for i in t.indices {
            t[i].remediation = "Short fix words that wrap when the width is narrow enough to need it, and then some more words."
            t[i].summary = String(repeating: "measured figure ", count: 12)
        }
        let builder = TriageReportBuilder()
        let reports = [
            builder.build(transitions: t, timelines: F.timelines, run: F.fullRun),
            builder.build(transitions: [], timelines: [], run: F.run([.tailShort], applicationLogs: true)),
            builder.build(journal: t, window: TriageWindow(since: F.at(8, 0), until: F.at(13, 0))),
        ]
        for report in reports {
            for width in [60, 80, 100, 140] {
                let out = TriageTextRenderer(width: width, color: false).render(report)
                for line in out.split(separator: "\n") {
                    #expect(line.count <= width, "width \(width): \(line.count) > \(width): \(line)")
                }
            }
        }
    }

    @Test func textShowsTheChainFindingsTimelineAndChecks() {
        let report = TriageReportBuilder().build(transitions: F.story, timelines: F.timelines, run: F.fullRun)
        let out = TriageTextRenderer(width: 100, color: false).render(report)
        for heading in ["ROOT-CAUSE CHAIN", "FINDINGS", "TIMELINE", "CHECKED AND FOUND FINE", "COULD NOT BE JUDGED", "INPUTS"] {
            #expect(out.contains(heading))
        }
        let order = ["#1 access-denied", "#2 restart-loop", "#3 saturation", "#4 missing-logs"].compactMap { out.range(of: $0)?.lowerBound }
        #expect(order.count == 4 && order == order.sorted())
        #expect(out.contains("$ aws ecs update-service --cluster prod --service orders-api"))
        #expect(out.contains("1 column = 4 min"))  // 191 minutes in 63 columns
        #expect(out.contains("█"))
    }

    // MARK: Markdown and JSON shape

    @Test func markdownHasTheChainTableAndFencedCommands() {
        let report = TriageReportBuilder().build(transitions: F.story, timelines: F.timelines, run: F.fullRun)
        let out = TriageMarkdownRenderer().render(report)
        #expect(out.contains("| # | Finding | Consequence | Fix |\n|---|---|---|---|\n| 1 | `access-denied` (task-role-missing-permission)"))
        #expect(out.contains("```sh\naws ecs update-service --cluster prod --service orders-api\n```"))
        #expect(out.contains("```text\n"))
        #expect(out.contains("## Could not be judged"))
    }

    @Test func jsonHasTheDocumentedMembersInOrder() throws {
        let report = TriageReportBuilder().build(transitions: F.story, timelines: F.timelines, run: F.fullRun)
        let out = TriageJSONRenderer().render(report)
        let keys = ["\"schemaVersion\"", "\"origin\"", "\"window\"", "\"span\"", "\"headline\"", "\"findings\"", "\"timelines\"", "\"checks\"", "\"inputs\""]
        let positions = keys.compactMap { out.range(of: $0)?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        let timelines = try #require(object["timelines"] as? [[String: Any]])
        let denials = try #require(timelines.first?["denials"] as? [Int])
        #expect(denials.count == 191 && denials.prefix(3) == [3, 0, 1])
        let cpu = try #require(timelines.first?["maxCpuPercent"] as? [Any])
        #expect(cpu[121] as? Double == 99.6)
        #expect(cpu[0] is NSNull)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.map { $0["rule"] as? String } == ["access-denied", "restart-loop", "saturation", "missing-logs"])
        let parts = try #require(findings.first?["remediationParts"] as? [[String: Any]])
        #expect(parts.map { $0["kind"] as? String } == ["prose", "command"])
        // Same report, same bytes.
        #expect(TriageJSONRenderer().render(report) == out)
    }

    static func unescapedPipes(_ line: String) -> Int {
        var count = 0
        var escaped = false
        for ch in line {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "|" { count += 1 }
        }
        return count
    }
}
