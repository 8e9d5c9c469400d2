import DiagnosisRules
import ECSDiagKit
import SystemdJournal
import Testing

struct AlertJournalEntryTests {
    static func transition(status: AlertStatus = .firing, line: String = "AccessDenied") -> AlertTransition {
        AlertTransition(
            rule: .accessDenied, status: status, cause: .taskRoleMissingPermission, cluster: "prod",
            service: "orders-api", taskIDs: ["248902115909d0545e69158246a9674c"],
            firstSeen: EventTime(milliseconds: 1_795_165_212_301), lastSeen: EventTime(milliseconds: 1_795_165_235_999),
            at: EventTime(milliseconds: 1_795_165_235_999), count: 3,
            summary: "3 AccessDenied on s3:GetObject as role orders-task-role",
            evidence: [Evidence(time: EventTime(milliseconds: 1_795_165_212_301), source: "logs/app.json:12", line: line)],
            remediation: "Grant s3:GetObject to the task role.\naws iam put-role-policy …"
        )
    }

    @Test func fieldsFollowTheJournalContract() {
        let fields = Dictionary(AlertJournalEntry.fields(of: Self.transition()).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(fields["PRIORITY"] == "2")
        #expect(fields["MESSAGE_ID"] == "37afbe3def814795b97ecc35ca3ed520")
        #expect(fields["SYSLOG_IDENTIFIER"] == "ecsdiagd")
        #expect(fields["ECSDIAG_RULE"] == "access-denied")
        #expect(fields["ECSDIAG_STATUS"] == "firing")
        #expect(fields["ECSDIAG_CAUSE"] == "task-role-missing-permission")
        #expect(fields["ECSDIAG_CLUSTER"] == "prod")
        #expect(fields["ECSDIAG_SERVICE"] == "orders-api")
        #expect(fields["ECSDIAG_TASK_IDS"] == "248902115909d0545e69158246a9674c")
        #expect(fields["ECSDIAG_FIRST_SEEN"] == "2026-11-20T09:00:12.301Z")
        #expect(fields["ECSDIAG_COUNT"] == "3")
        #expect(fields["ECSDIAG_EVIDENCE"] == "2026-11-20T09:00:12.301Z logs/app.json:12: AccessDenied")
        #expect(fields["ECSDIAG_REMEDIATION"]?.contains("\n") == true)
        #expect(fields["MESSAGE"]?.contains("\n") == false)
        #expect(fields["ECSDIAG_ALERT_ID"]?.count == 16)
    }

    @Test func resolvedIsNotice() {
        #expect(AlertJournalEntry.priority(of: Self.transition(status: .resolved)) == 5)
    }

    @Test func logTextIsInertInJournalFields() {
        let hostile = "x\u{1B}]0;pwned\u{07}\u{1B}[2J\r\nFAKE_FIELD=1"
        let fields = AlertJournalEntry.fields(of: Self.transition(line: hostile))
        let evidence = fields.first { $0.name == "ECSDIAG_EVIDENCE" }!.value
        #expect(!evidence.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\r" })
    }

    @Test func transitionsRoundTripThroughJournalFields() {
        let t = Self.transition()
        let fields = Dictionary(AlertJournalEntry.fields(of: t).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let back = AlertJournalEntry.transition(from: fields)
        #expect(back?.rule == t.rule)
        #expect(back?.cause == t.cause)
        #expect(back?.service == t.service)
        #expect(back?.firstSeen == t.firstSeen)
        #expect(back?.at == t.at)
        #expect(back?.count == 3)
        #expect(back?.evidence == t.evidence)
        #expect(AlertJournalEntry.transition(from: ["MESSAGE": "unrelated"]) == nil)
    }
}
