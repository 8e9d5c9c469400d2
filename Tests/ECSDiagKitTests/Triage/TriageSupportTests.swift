import DiagnosisRules
import ECSDiagKit
import Testing

struct TriageTimeTests {
    typealias F = TriageFixtures
    static let now = F.at(12, 0)

    @Test(arguments: [
        ("2026-11-20T09:00:00Z", F.at(9, 0)),
        ("2026-11-20T09:00:00.250Z", F.at(9, 0, 0.25)),
        ("2026-11-20T02:00:00-07:00", F.at(9, 0)),
        ("2026-11-20 09:00:00", F.at(9, 0)),
        ("2026-11-20 09:30", F.at(9, 30)),
        ("2026-11-20", F.at(0, 0)),
        ("now", F.at(12, 0)),
        ("2h", F.at(10, 0)),
        ("30min", F.at(11, 30)),
        ("90s", F.at(11, 58, 30)),
        ("-1h30min", F.at(10, 30)),
        ("2h ago", F.at(10, 0)),
        ("45 minutes ago", F.at(11, 15)),
    ])
    func parses(_ text: String, _ expected: EventTime) {
        #expect(TriageTime.parse(text, now: Self.now) == expected)
    }

    @Test(arguments: ["", "yesterday", "2026-13-01 00:00:00", "2h garbage", "12 parsecs", "2026-11-20T09:00:00Zjunk"])
    func rejects(_ text: String) {
        #expect(TriageTime.parse(text, now: Self.now) == nil)
    }

    @Test func formats() {
        #expect(TriageTime.long(F.at(9, 0, 12.301)) == "2026-11-20 09:00:12 UTC")
        #expect(TriageTime.precise(F.at(9, 0, 12.301)) == "09:00:12.301")
        #expect(TriageTime.minute(F.at(9, 5, 59)) == "09:05")
        #expect(TriageTime.duration(milliseconds: 45_000) == "45 s")
        #expect(TriageTime.duration(milliseconds: 3 * 3_600_000 + 25 * 60_000) == "3 h 25 min")
    }
}

struct RemediationTextTests {
    @Test func commandsAreSplitFromProse() {
        let text = "Grant s3:GetObject on arn:aws:s3:::orders-invoices/* to the task role orders-task-role, the role the application's SDK uses: aws iam put-role-policy --role-name orders-task-role --policy-name orders-api-s3-GetObject --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::orders-invoices/*\"}]}'. Then remove s3:GetObject from the execution role x. The execution role is for the ECS agent only."
        let parts = RemediationText.parts(text)
        #expect(parts.map(\.kind) == ["prose", "command", "prose"])
        #expect(parts[1].text.hasPrefix("aws iam put-role-policy --role-name orders-task-role"))
        #expect(parts[1].text.hasSuffix("\"arn:aws:s3:::orders-invoices/*\"}]}'"))
        #expect(parts[2].text.hasPrefix(". Then remove") || parts[2].text.hasPrefix("Then remove"))
    }

    @Test func chainedCommandsAndParenthesesAndSemicolons() {
        let text = "Add target-tracking auto-scaling (the desired count is fixed at 2): aws application-autoscaling register-scalable-target --resource-id service/prod/orders-api --min-capacity 2 --max-capacity 10 && aws application-autoscaling put-scaling-policy --policy-name orders-api-cpu-target --target-tracking-scaling-policy-configuration '{\"TargetValue\":65.0}'."
        let parts = RemediationText.parts(text)
        #expect(parts.map(\.kind) == ["prose", "command"])
        #expect(RemediationText.steps(parts[1].text).count == 2)
        #expect(RemediationText.steps(parts[1].text)[1].hasSuffix("'{\"TargetValue\":65.0}'"))

        let other = "Or create the group yourself (aws logs create-log-group --log-group-name /ecs/orders-api) and drop awslogs-create-group; verify: aws logs describe-log-groups --log-group-name-prefix /ecs/orders-api."
        let p = RemediationText.parts(other)
        #expect(p.map(\.kind) == ["prose", "command", "prose", "command"])
        #expect(p[1].text == "aws logs create-log-group --log-group-name /ecs/orders-api")
        #expect(p[3].text == "aws logs describe-log-groups --log-group-name-prefix /ecs/orders-api")
    }

    @Test func jsonSnippetsInProse() {
        let text = "Give container app a logConfiguration with the awslogs driver — without one stdout goes nowhere: \"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {\"awslogs-group\": \"/ecs/orders-api\"}}. Register the revision."
        let parts = RemediationText.parts(text)
        #expect(parts.map(\.kind) == ["prose", "snippet", "prose"])
        #expect(parts[1].text == "\"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {\"awslogs-group\": \"/ecs/orders-api\"}}")
    }

    @Test func wordsStartingWithAwsAreNotCommands() {
        let parts = RemediationText.parts("Configure the awslogs driver; aws is the CLI. Use aws-vault.")
        #expect(parts.map(\.kind) == ["prose"])
    }
}

struct MarkdownTextTests {
    @Test func punctuationIsEscaped() {
        #expect(MarkdownText.escape("a|b*c_d`e[f]g<h>i#j") == "a\\|b\\*c\\_d\\`e\\[f\\]g\\<h\\>i\\#j")
        #expect(MarkdownText.escape("- item") == "\\- item")
        #expect(MarkdownText.escape("1. item") == "1\\. item")
        #expect(MarkdownText.escape("back\\slash") == "back\\\\slash")
    }

    @Test func controlsAreInertAndTextIsCapped() {
        #expect(MarkdownText.escape("a\u{1B}[31mb\rc\nd") == "a\\\\e\\[31mb\\\\rc\\\\nd")
        #expect(MarkdownText.escape(String(repeating: "y", count: 500), limit: 200).count == 201)
    }

    @Test func codeBlockFenceOutrunsBackticks() {
        #expect(MarkdownText.codeBlock("echo ```x```", language: "sh") == "````sh\necho ```x```\n````")
        #expect(MarkdownText.codeBlock("plain") == "```\nplain\n```")
    }
}

struct TriageChartTests {
    @Test func bucketsFitTheColumns() {
        #expect(TriageChart.bucketMinutes(minutes: 60, columns: 60) == 1)
        #expect(TriageChart.bucketMinutes(minutes: 206, columns: 62) == 4)
        #expect(TriageChart.bucketMinutes(minutes: 1440, columns: 50) == 29)
    }

    @Test func chartSumsCountsAndKeepsCPUMaxima() {
        let start = TriageFixtures.at(9, 0)
        var minutes = (0..<200).map { TimelineMinute(minute: start.adding(milliseconds: Int64($0) * 60_000)) }
        minutes[0].denials = 2
        minutes[1].denials = 3
        minutes[5].maxCPUPercent = 40
        minutes[6].maxCPUPercent = 95
        let t = TriageTimeline(cluster: "prod", service: "orders-api", start: start, minutes: minutes)
        let lines = TriageChart.render(t, width: 100)
        #expect(lines.count == 6)
        #expect(lines.allSatisfy { $0.count <= 100 })
        let denials = lines[1]
        #expect(denials.contains("peak 5/col  total 5"))
        let cpu = lines[4]
        #expect(cpu.contains("peak 95 %"))
        #expect(lines[0].contains("09:00") && lines[0].contains("12:19") && lines[0].contains("1 column = 4 min"))
        #expect(lines[3].hasSuffix("none"))
    }

    @Test func sparklineShowsEveryNonZeroValue() {
        #expect(TriageChart.render(
            TriageTimeline(cluster: nil, service: "s", start: TriageFixtures.at(9, 0), minutes: [TimelineMinute(minute: TriageFixtures.at(9, 0))]),
            width: 80)[1].contains("none"))
    }
}

struct ProgressLineTests {
    @Test func lineShowsBytesRecordsRateAndEstimate() {
        let line = ProgressLine.line(bytes: 50 * 1_048_576, records: 400_000, elapsedSeconds: 2, totalBytes: 100 * 1_048_576)
        #expect(line == "ecsdiagd: read 50 MiB, 400000 records, 25 MiB/s, 50 %, ~2 s left")
    }

    @Test func disabledLineWritesNothing() {
        let progress = ProgressLine(totalBytes: 10, output: FileOutput(fd: -1), enabled: false)
        progress.update(bytes: 5, records: 1)
        progress.finish()
    }
}
