import Foundation
import PropertyBased
import Testing
@testable import DiagnosisRules

@Suite struct IdentityDirectoryTests {
    /// The cached, interned resolution of `task`, as a key.
    static func cached(_ directory: inout IdentityDirectory, _ task: TaskID) -> ServiceKey? {
        directory.serviceKeyID(ofTask: task).map { directory.interned.keys[Int($0)] }
    }

    @Test func resolvesFromTheTaskThenTheLogGroupThenTheContainer() {
        var d = IdentityDirectory()
        let a = Scenario.task(1), b = Scenario.task(2), c = Scenario.task(3)
        d.learn(task: a, service: "orders", cluster: "prod", at: 0)
        d.learnStream(task: b, logGroup: "/ecs/cart", logStream: "ecs/cart-web/\(b)", at: 0)
        d.learnStream(task: c, logGroup: nil, logStream: "ecs/worker/\(c)", at: 0)
        d.beginResolving()
        #expect(Self.cached(&d, a) == ServiceKey(cluster: "prod", service: "orders"))
        #expect(Self.cached(&d, b) == ServiceKey(cluster: nil, service: "cart"))
        #expect(Self.cached(&d, c) == ServiceKey(cluster: nil, service: "worker"))
        #expect(Self.cached(&d, Scenario.task(4)) == nil)
        // Side-map changes reach tasks that resolved before them.
        d.learnCluster("prod", of: "cart")
        #expect(Self.cached(&d, b) == ServiceKey(cluster: "prod", service: "cart"))
        d.learn(task: Scenario.task(5), service: "billing", cluster: nil, at: 1)
        d.learnStream(task: Scenario.task(5), logGroup: "/ecs/cart", logStream: nil, at: 1)
        #expect(Self.cached(&d, b) == ServiceKey(cluster: nil, service: "billing"))
        // And the task's own news.
        d.learn(task: c, service: "jobs", cluster: "batch", at: 2)
        #expect(Self.cached(&d, c) == ServiceKey(cluster: "batch", service: "jobs"))
    }

    @Test func aCopyResolvesWithoutCachingAndTheOriginalKeepsItsCache() {
        var d = IdentityDirectory()
        for i in 0..<100 { d.learn(task: Scenario.task(i), service: "s\(i % 7)", cluster: nil, at: 0) }
        d.beginResolving()
        var copy = d
        for i in 0..<100 { #expect(Self.cached(&copy, Scenario.task(i)) == ServiceKey(cluster: nil, service: "s\(i % 7)")) }
        for i in 0..<100 {
            let slot = d.tasks.slot(of: Scenario.task(i))!
            #expect(d.tasks[slot: slot].cacheStamp == 0)
        }
    }

    @Test func checkpointsCarryNoCache() throws {
        var d = IdentityDirectory()
        d.learn(task: Scenario.task(1), service: "orders", cluster: "prod", at: 0)
        d.beginResolving()
        _ = d.serviceKeyID(ofTask: Scenario.task(1))
        let json = String(decoding: try JSONEncoder().encode(d), as: UTF8.self)
        #expect(!json.contains("cache"))
        #expect(!json.contains("interned"))
        var restored = try JSONDecoder().decode(IdentityDirectory.self, from: Data(json.utf8))
        #expect(restored.tasks[Scenario.task(1)] == d.tasks[Scenario.task(1)])
        restored.beginResolving()
        #expect(Self.cached(&restored, Scenario.task(1)) == ServiceKey(cluster: "prod", service: "orders"))
    }

    @Test func renumberingWhenFullKeepsAnswersRight() {
        var d = IdentityDirectory()
        d.learn(task: Scenario.task(1), service: "orders", cluster: nil, at: 0)
        d.beginResolving()
        #expect(Self.cached(&d, Scenario.task(1)) == ServiceKey(cluster: nil, service: "orders"))
        for i in 0..<ServiceInterner.maxIDs { d.learnCluster("c", of: "svc-\(i)") }
        #expect(d.interned.isFull)
        d.beginResolving()
        #expect(!d.interned.isFull)
        #expect(Self.cached(&d, Scenario.task(1)) == ServiceKey(cluster: nil, service: "orders"))
    }

    /// Random learning, cluster conflicts, log groups shared and re-bound, eviction and renumbering: the cached
    /// resolution always equals `service(ofTask:)`.
    @Test func cachedResolutionMatchesDirectResolution() async {
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            var d = IdentityDirectory()
            let services = ["orders", "cart", "search", "worker"]
            let groups = ["/ecs/orders", "/ecs/cart", "/aws/ecs/containerinsights/prod/performance", "/ecs/shared"]
            let clusters = ["prod", "staging"]
            var time: Int64 = 0
            for _ in 0..<400 {
                time += Int64.random(in: 0...1000, using: &rng)
                let task = Scenario.task(Int.random(in: 0..<40, using: &rng))
                // Some news comes late.
                let at = time - (Int.random(in: 0..<8, using: &rng) == 0 ? Int64.random(in: 0...30_000, using: &rng) : 0)
                switch Int.random(in: 0..<100, using: &rng) {
                case 0..<30:
                    d.learn(task: task, service: Bool.random(using: &rng) ? services.randomElement(using: &rng) : nil,
                            cluster: Bool.random(using: &rng) ? clusters.randomElement(using: &rng) : nil, at: at)
                case 30..<55:
                    let group = Bool.random(using: &rng) ? groups.randomElement(using: &rng) : nil
                    let stream = Bool.random(using: &rng) ? "ecs/\(services.randomElement(using: &rng)!)/\(task)" : nil
                    d.learnStream(task: task, logGroup: group, logStream: stream, at: at)
                case 55..<62:
                    d.learnCluster(clusters.randomElement(using: &rng)!, of: services.randomElement(using: &rng)!)
                case 62..<64:
                    let cutoff = time - Int64.random(in: 0...20_000, using: &rng)
                    let idle = Set(d.tasks.filter { $0.value.lastSeen < cutoff }.map(\.key))
                    let before = Set(d.tasks.map(\.key))
                    d.evict(before: cutoff, cap: 40)
                    #expect(Set(d.tasks.map(\.key)) == before.subtracting(idle))
                case 64..<65:
                    d.evict(before: .min, cap: Int.random(in: 5...40, using: &rng))
                    #expect(d.count <= 40)
                case 65..<70:
                    d.beginResolving()
                default:
                    #expect(Self.cached(&d, task) == d.service(ofTask: task))
                }
            }
            for i in 0..<40 { #expect(Self.cached(&d, Scenario.task(i)) == d.service(ofTask: Scenario.task(i))) }
        }
    }
}

@Suite struct IdentityDirectoryStreamTests {
    /// Learning a stream from bytes (log groups repeating, some invalid UTF-8, some absent) leaves the directory
    /// as learning it from the decoded strings does.
    @Test func learningFromBytesMatchesLearningFromStrings() async {
        let groups: [[UInt8]] = [
            [], Array("/ecs/orders".utf8), Array("/ecs/cart".utf8), [0x2F, 0xFF, 0x61],
            Array("/aws/ecs/containerinsights/prod/performance".utf8),
        ]
        let containers: [[UInt8]] = [Array("web".utf8), Array("wörker".utf8), [0xC3], []]
        await propertyCheck(count: 30, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            var fromBytes = IdentityDirectory()
            var fromStrings = IdentityDirectory()
            for step in 0..<200 {
                let task = Scenario.task(Int.random(in: 0..<30, using: &rng))
                if Int.random(in: 0..<5, using: &rng) == 0 {
                    fromBytes.learn(task: task, service: "svc-\(step % 3)", cluster: nil, at: Int64(step))
                    fromStrings.learn(task: task, service: "svc-\(step % 3)", cluster: nil, at: Int64(step))
                    continue
                }
                let group = groups.randomElement(using: &rng)!
                let stream: [UInt8] = Bool.random(using: &rng)
                    ? [] : Array("ecs/".utf8) + containers.randomElement(using: &rng)! + Array("/\(task)".utf8)
                group.withUnsafeBytes { g in
                    stream.withUnsafeBytes { s in
                        fromBytes.learnStream(task: task, logGroupBytes: g, logStreamBytes: s, at: Int64(step))
                    }
                }
                fromStrings.learnStream(
                    task: task, logGroup: group.isEmpty ? nil : String(decoding: group, as: UTF8.self),
                    logStream: stream.isEmpty ? nil : String(decoding: stream, as: UTF8.self), at: Int64(step))
            }
            #expect(Dictionary(uniqueKeysWithValues: fromBytes.tasks.map { ($0.key, $0.value) })
                == Dictionary(uniqueKeysWithValues: fromStrings.tasks.map { ($0.key, $0.value) }))
            #expect(fromBytes.logGroupServices == fromStrings.logGroupServices)
        }
    }
}
