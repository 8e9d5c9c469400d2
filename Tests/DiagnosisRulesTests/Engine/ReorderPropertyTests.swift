import PropertyBased
import Testing
@testable import DiagnosisRules

/// Alert output does not depend on how records within the allowed lateness are interleaved.
@Suite struct ReorderPropertyTests {
    /// A compact mix of every rule: denials with 5xx, a crash loop, a sustained CPU run, a silent task.
    static let mixed: Scenario = {
        var s = Scenario()
        let logger = Scenario.task(50)
        s.add(.taskRunning, at: -400, task: logger)
        for x in stride(from: -398.0, through: 1500, by: 15) { s.log(at: x, task: logger) }
        for i in 0..<6 {
            s.denial(at: 20 + Double(i) * 25, task: logger)
            s.add(.httpError, at: 21 + Double(i) * 25) { $0.status = 500; $0.origin = "app" }
        }
        for i in 0..<4 {
            s.add(.taskRunning, at: 100 + Double(i) * 40, task: Scenario.task(60 + i), service: "worker")
            s.add(.taskStopped, at: 110 + Double(i) * 40, task: Scenario.task(60 + i), service: "worker") {
                $0.failureClass = .crash
                $0.exitCode = 2
            }
        }
        for x in stride(from: 0.0, through: 900, by: 30) {
            s.add(.resourceUsage, at: x, task: logger) { $0.cpuPercent = x < 480 ? 95 : 30 }
        }
        s.add(.taskRunning, at: 600, task: Scenario.task(70))
        s.add(.steadyState, at: 1500, service: "worker")
        return s
    }()

    @Test func mixedScenarioFiresEveryRule() {
        let out = Self.mixed.run()
        #expect(Set(out.firing.map(\.rule)) == Set(RuleID.allCases))
    }

    @Test func shufflingWithinTheLatenessKeepsTheTransitions() async {
        let expected = Self.mixed.run()
        await propertyCheck(count: 25, input: Gen.uint64()) { seed in
            let got = Scenario.run(Self.mixed.shuffled(seed: seed)).transitions
            #expect(got == expected)
        }
    }

    @Test func shufflingTheStoryKeepsTheTransitions() async {
        let story = AntiPrimerStory.build(logEvery: 60, requestsPerMinute: 6)
        let expected = Scenario.run(story.sorted).transitions
        #expect(expected.firing.count == 4)
        await propertyCheck(count: 3, input: Gen.uint64()) { seed in
            #expect(Scenario.run(story.shuffled(seed: seed)).transitions == expected)
        }
    }
}
