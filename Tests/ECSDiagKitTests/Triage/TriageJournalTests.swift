import DiagnosisRules
import ECSDiagKit
import Foundation
import SystemdJournal
import Testing

/// `triage --journal` against the real journald: entries written the way the daemon's sink writes them
/// (`AlertJournalEntry.fields(of:)` through `SystemdJournalWriter`), read back with `TriageJournal`.
@Suite(.serialized)
struct TriageJournalTests {
    typealias F = TriageFixtures

    static let socket = "/run/systemd/journal/socket"

    static var journaldIsRunning: Bool {
        var info = stat()
        return stat(socket, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    static let missing = Comment(rawValue:
        "journald is not running (no \(socket)): run scripts/start-journald.sh as root, then re-run the tests")

    static func now() -> EventTime {
        EventTime(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
    }

    /// A service name no other test or daemon uses: the run marker.
    static func marker() -> String {
        "triage-test-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }

    /// Reads until `expected` transitions of `service` appeared (journald stores asynchronously), at most 5 s.
    static func read(_ window: TriageWindow, service: String, expected: Int, useMatch: Bool = true) throws -> [AlertTransition] {
        var found: [AlertTransition] = []
        let deadline = ContinuousClock.now + .seconds(5)
        repeat {
            let matches = useMatch ? [JournalField(name: "ECSDIAG_SERVICE", value: service)] : []
            found = try TriageJournal.transitions(window: window, additionalMatches: matches).transitions
                .filter { $0.service == service }
            if found.count >= expected { break }
            Thread.sleep(forTimeInterval: 0.1)
        } while ContinuousClock.now < deadline
        return found
    }

    @Test func reportFromTheDaemonsJournalEntries() throws {
        guard Self.journaldIsRunning else {
            Issue.record(Self.missing)
            return
        }
        let service = Self.marker()
        let since = Self.now().adding(milliseconds: -2000)
        let writer = SystemdJournalWriter()
        var story = F.story
        for i in story.indices {
            story[i].service = service
            story[i].evidence = [Evidence(time: story[i].firstSeen, source: "logs/app.json:\(i + 1)", line: "line \(i) \u{1B}[31mred | `x`")]
        }
        for t in story { try writer.send(AlertJournalEntry.fields(of: t)) }
        // Same MESSAGE_ID and service, but not written by ecsdiagd: must not be read.
        var impostor = AlertJournalEntry.fields(of: story[0])
        impostor.removeAll { $0.name == "SYSLOG_IDENTIFIER" }
        impostor.append(JournalField(name: "SYSLOG_IDENTIFIER", value: "not-ecsdiagd"))
        try writer.send(impostor)

        let window = TriageWindow(since: since, until: nil)
        let transitions = try Self.read(window, service: service, expected: story.count)
        try #require(transitions.count == story.count, "the \(story.count) entries did not all appear within 5 s")
        #expect(transitions.map(\.rule) == story.map(\.rule))
        #expect(transitions.map(\.status) == story.map(\.status))

        let report = TriageReportBuilder().build(journal: transitions, window: window)
        #expect(report.origin == .journal)
        #expect(report.findings.map(\.rule) == [.accessDenied, .restartLoop, .saturation, .missingLogs])
        #expect(report.findings.map(\.cause) == [.taskRoleMissingPermission, .healthCheckGracePeriod, .fixedDesiredCount, .noLogOutput])
        #expect(report.findings.map(\.status) == [.resolved, .resolved, .resolved, .firing])
        let denied = report.findings[0]
        #expect(denied.firstSeen == F.at(9, 0, 12.301))
        #expect(denied.count == 38)
        #expect(denied.summary == "3 AccessDenied on s3:GetObject as role orders-task-role")
        #expect(denied.resolution?.hasPrefix("No denial for 10 min after 38") == true)
        #expect(denied.evidence.first?.source == "logs/app.json:1")
        #expect(denied.remediation.contains("aws ecs update-service"))
        #expect(report.headline.services == ["prod/\(service)"])
        #expect(report.headline.firingCount == 1)
        #expect(report.timelines.isEmpty)
        #expect(report.checks.last?.subject == .timeline && report.checks.last?.verdict == .notJudged)

        // Rendered, the journal's (sanitized) evidence stays inert.
        let text = TriageTextRenderer(width: 100, color: false).render(report)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("could not be judged".uppercased()))
        let json = TriageJSONRenderer().render(report)
        #expect(json.contains("\"origin\": \"journal\""))
    }

    @Test func matchesOnMessageIDAndIdentifierAlone() throws {
        guard Self.journaldIsRunning else {
            Issue.record(Self.missing)
            return
        }
        let service = Self.marker()
        let since = Self.now().adding(milliseconds: -2000)
        let t = F.transition(.healthCheckGracePeriod, .firing, first: F.at(10, 0), last: F.at(10, 5), at: F.at(10, 5), service: service)
        try SystemdJournalWriter().send(AlertJournalEntry.fields(of: t))
        let found = try Self.read(TriageWindow(since: since, until: nil), service: service, expected: 1, useMatch: false)
        #expect(found.count == 1)
        #expect(found.first?.cause == .healthCheckGracePeriod)

        // A window that ends before the entry was written holds none of it.
        let before = try TriageJournal.transitions(window: TriageWindow(since: since.adding(milliseconds: -60_000), until: since))
        #expect(!before.transitions.contains { $0.service == service })
    }
}
