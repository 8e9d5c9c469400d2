import Testing
@testable import DiagnosisRules

@Suite struct AlertLifecycleTests {
    static let key = AlertKey(.crash, ServiceKey(cluster: "prod", service: "orders-api"))

    static func ev(_ s: Double) -> Evidence { Evidence(time: Scenario.at(s), source: "f:\(Int(s))", line: "line \(s)") }

    static func update(_ s: Double, fire: Bool = false) -> RuleAction {
        var log = EvidenceLog()
        log.append(ev(s))
        let u = AlertUpdate(key: key, at: Scenario.at(s), evidence: log, taskIDs: [Scenario.task(Int(s))],
                            summary: "at \(s)", remediation: "fix", figures: [Figure("n", "\(s)")])
        return fire ? .fire(u) : .update(u)
    }

    @Test func oneFiringPerKeyAndUpdatesWithoutRefiring() throws {
        var lc = AlertLifecycle(minimumFiringSeconds: 300)
        let applied = lc.apply(Self.update(0, fire: true))
        let first = try #require(applied)
        #expect(first.status == .firing)
        #expect(first.summary == "at 0.0")
        #expect(lc.apply(Self.update(10, fire: true)) == nil)
        for s in 20..<30 { #expect(lc.apply(Self.update(Double(s))) == nil) }
        let snap = try #require(lc.snapshot.first)
        #expect(snap.count == 12)
        #expect(snap.lastSeen == Scenario.at(29))
        #expect(snap.evidence.map(\.time) == [0, 10, 20, 28, 29].map { Scenario.at(Double($0)) })
        #expect(snap.taskIDs.count == 12)
        #expect(snap.summary == "at 29.0")
    }

    @Test func updatesForAnAlertThatIsNotFiringAreIgnored() {
        var lc = AlertLifecycle()
        #expect(lc.apply(Self.update(0)) == nil)
        #expect(lc.snapshot.isEmpty)
    }

    @Test func clearBeforeTheMinimumFiringTimeIsDeferred() {
        var lc = AlertLifecycle(minimumFiringSeconds: 300)
        _ = lc.apply(Self.update(0, fire: true))
        #expect(lc.apply(.clear(Self.key, at: Scenario.at(100), summary: "ok")) == nil)
        #expect(lc.nextDue == Scenario.at(300).milliseconds)
        #expect(lc.advance(to: Scenario.at(299)).isEmpty)
        let r = lc.advance(to: Scenario.at(1000))
        #expect(r.count == 1)
        #expect(r[0].status == .resolved)
        #expect(r[0].at == Scenario.at(300))
        #expect(r[0].summary == "ok")
        #expect(lc.snapshot.isEmpty)
    }

    @Test func clearAfterTheMinimumResolvesAtOnce() throws {
        var lc = AlertLifecycle(minimumFiringSeconds: 300)
        _ = lc.apply(Self.update(0, fire: true))
        let applied = lc.apply(.clear(Self.key, at: Scenario.at(600), summary: "ok"))
        let r = try #require(applied)
        #expect(r.status == .resolved)
        #expect(r.at == Scenario.at(600))
    }

    @Test func newEvidenceCancelsAPendingResolution() {
        var lc = AlertLifecycle(minimumFiringSeconds: 300)
        _ = lc.apply(Self.update(0, fire: true))
        _ = lc.apply(.clear(Self.key, at: Scenario.at(100), summary: "ok"))
        _ = lc.apply(Self.update(200))
        #expect(lc.nextDue == nil)
        #expect(lc.advance(to: Scenario.at(1000)).isEmpty)
        #expect(lc.isFiring(Self.key))
    }

    @Test func afterResolutionOnlyAFireReopens() throws {
        var lc = AlertLifecycle(minimumFiringSeconds: 0)
        _ = lc.apply(Self.update(0, fire: true))
        _ = lc.apply(.clear(Self.key, at: Scenario.at(10), summary: "ok"))
        #expect(lc.apply(Self.update(20)) == nil)
        let applied = lc.apply(Self.update(30, fire: true))
        let again = try #require(applied)
        #expect(again.status == .firing)
        #expect(again.count == 1)
        #expect(again.firstSeen == Scenario.at(30))
    }

    @Test func evidenceLogKeepsFirstThreeAndLastTwo() {
        var log = EvidenceLog()
        for s in 0..<10 { log.append(Self.ev(Double(s))) }
        #expect(log.count == 10)
        #expect(log.lines.map(\.time) == [0, 1, 2, 8, 9].map { Scenario.at(Double($0)) })
        var merged = EvidenceLog()
        merged.append(Self.ev(-1))
        merged.append(contentsOf: log)
        #expect(merged.count == 11)
        #expect(merged.lines.map(\.time) == [-1, 0, 1, 8, 9].map { Scenario.at(Double($0)) })
    }
}
