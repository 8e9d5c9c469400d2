import DiagnosisRules
import ECSDiagKit
import Foundation
import Testing

@Suite("AuditCommandRunner")
struct AuditCommandRunnerTests {
    private let broken = StoryFixtures.directory("broken")
    private let fixed = StoryFixtures.directory("fixed")

    /// A temporary directory with `files` (name → text), removed by the caller.
    private func directory(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: root.appendingPathComponent(name)) }
        return root
    }

    // MARK: Text

    @Test func brokenTextReportNamesEveryFindingAndCounts() {
        let run = AuditCommandRunner.run(paths: [broken], format: .text, failOn: nil)
        #expect(run.exitCode == 0)
        for check in ["app-permissions-on-execution-role", "grace-period-zero", "no-scalable-target", "no-log-configuration"] {
            #expect(run.output.contains(check), "\(check)")
        }
        #expect(run.output.contains("CRITICAL  grace-period-zero  [restart-loop, service orders-api]"))
        #expect(run.output.contains("  evidence: \(broken)/services.json  services[0].healthCheckGracePeriodSeconds"))
        #expect(run.output.contains("    aws ecs update-service --cluster prod --service orders-api --health-check-grace-period-seconds 60"))
        #expect(run.output.hasPrefix("ecsdiagd audit: 12 documents read"))
        #expect(run.output.hasSuffix("\n4 findings: 2 critical, 2 error, 0 warning\n"))
        #expect(!run.output.contains("\u{1B}["), "no colour")
    }

    @Test func fixedReportsNothing() {
        let run = AuditCommandRunner.run(paths: [fixed], format: .text, failOn: .warning)
        #expect(run.exitCode == 0)
        #expect(run.output == "ecsdiagd audit: 12 documents read (attached-role-policies, log-groups, policy-version, role-policy, role-policy-names, scalable-targets, scaling-policies, services, target-groups, task-definition)\n\n0 findings: 0 critical, 0 error, 0 warning\n")
    }

    // MARK: Exit status

    @Test(arguments: [
        (Severity?.none, Int32(0)), (.critical, 1), (.error, 1), (.warning, 1),
    ])
    func failOnGatesTheBrokenService(failOn: Severity?, expected: Int32) {
        #expect(AuditCommandRunner.run(paths: [broken], format: .text, failOn: failOn).exitCode == expected)
    }

    @Test(arguments: [(Severity.critical, Int32(0)), (.error, 0), (.warning, 1)])
    func failOnComparesSeverities(failOn: Severity, expected: Int32) throws {
        // Only a warning: the task role is the execution role.
        var files = StoryFixtures.files("fixed")
        files["task-definition.json"] = StoryFixtures.taskDefinition(taskRoleArn: StoryFixtures.executionRoleArn)
        let root = try directory(files)
        defer { try? FileManager.default.removeItem(at: root) }
        let run = AuditCommandRunner.run(paths: [root.path], format: .text, failOn: failOn)
        #expect(run.output.hasSuffix("1 finding: 0 critical, 0 error, 1 warning\n"))
        #expect(run.exitCode == expected)
    }

    @Test func unreadablePathExitsTwo() {
        let run = AuditCommandRunner.run(paths: [fixed, "/nonexistent/ecsdiagd/td.json"], format: .text, failOn: nil)
        #expect(run.exitCode == 2)
        #expect(run.output.contains("/nonexistent/ecsdiagd/td.json: no such file or directory [unreadable]"))
        #expect(AuditCommandRunner.run(paths: [], format: .text, failOn: nil).exitCode == 2)
    }

    @Test func unknownAndBrokenDocumentsAreReportedNotFatal() throws {
        var files = StoryFixtures.files("fixed")
        files["events.json"] = "{\"events\": [{\"timestamp\": 1715703629114, \"message\": \"GET /health 200\"}]}"
        files["truncated.json"] = "{\"services\": [{\"serviceName\": \"orders-api\""
        let root = try directory(files)
        defer { try? FileManager.default.removeItem(at: root) }
        let run = AuditCommandRunner.run(paths: [root.path], format: .text, failOn: .warning)
        #expect(run.exitCode == 0)
        #expect(run.output.contains("\(root.path)/events.json: not a known context document (top-level keys: events) [unknown-document]"))
        #expect(run.output.contains("\(root.path)/truncated.json: not valid JSON"))
        #expect(run.output.hasSuffix("0 findings: 0 critical, 0 error, 0 warning\n"))
    }

    @Test func textFromDocumentsCannotDriveTheTerminal() throws {
        var files = StoryFixtures.files("fixed")
        files["task-definition.json"] = StoryFixtures.taskDefinition(
            containers: [StoryFixtures.container(name: "evil\\u001b]0;pwned\\u0007", logConfiguration: nil)]
        )
        let root = try directory(files)
        defer { try? FileManager.default.removeItem(at: root) }
        let run = AuditCommandRunner.run(paths: [root.path], format: .text, failOn: nil)
        #expect(run.output.contains("Container evil\\e]0;pwned\\x07 of orders-api:10"))
        #expect(!run.output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test func noPathIsAUsageError() {
        let run = AuditCommandRunner.run(paths: [], format: .text, failOn: nil)
        #expect(run.exitCode == 2)
        #expect(run.output.contains("-: no PATH given [unreadable]"))
    }

    // MARK: JSON

    @Test func jsonReportFollowsTheSchema() throws {
        let run = AuditCommandRunner.run(paths: [broken, "/nonexistent.json"], format: .json, failOn: .critical)
        #expect(run.exitCode == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["documents", "findings", "problems", "summary"])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.map { $0["check"] as? String } == [
            "app-permissions-on-execution-role", "grace-period-zero", "no-scalable-target", "no-log-configuration",
        ])
        let first = findings[0]
        #expect(Set(first.keys) == ["cause", "check", "detail", "evidence", "fix", "rule", "service", "severity", "title"])
        #expect(first["severity"] as? String == "critical")
        #expect(first["rule"] as? String == "access-denied")
        #expect(first["cause"] as? String == "execution-role-used-by-app")
        #expect(first["service"] as? String == "orders-api")
        let evidence = try #require(first["evidence"] as? [String: String])
        #expect(evidence == ["document": "\(broken)/iam-execution-role-inline-policy.json", "path": "PolicyDocument.Statement[0].Action"])
        #expect((object["documents"] as? [[String: String]])?.count == 12)
        #expect((object["documents"] as? [[String: String]])?.last == ["kind": "task-definition", "path": "\(broken)/task-definition.json"])
        #expect((object["problems"] as? [[String: String]]) == [["code": "unreadable", "message": "no such file or directory", "path": "/nonexistent.json"]])
        #expect((object["summary"] as? [String: Int]) == ["critical": 2, "error": 2, "warning": 0])
    }

    @Test func jsonWritesNullServiceAndIsStable() throws {
        let root = try directory(["td.json": StoryFixtures.taskDefinition(taskRoleArn: nil, executionRoleArn: nil)])
        defer { try? FileManager.default.removeItem(at: root) }
        let first = AuditCommandRunner.run(paths: [root.path], format: .json, failOn: nil)
        #expect(first.output == AuditCommandRunner.run(paths: [root.path], format: .json, failOn: nil).output)
        #expect(first.output.contains("\"service\" : null") || first.output.contains("\"service\": null"))
        #expect(first.output.contains("\"check\" : \"no-task-role\"") || first.output.contains("\"check\": \"no-task-role\""))
    }

    @Test func jsonForTheFixedServiceHasNoFindings() throws {
        let run = AuditCommandRunner.run(paths: [fixed], format: .json, failOn: .warning)
        #expect(run.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect((object["findings"] as? [Any])?.isEmpty == true)
        #expect((object["problems"] as? [Any])?.isEmpty == true)
    }
}
