import Testing
@testable import DiagnosisRules

@Suite struct ServiceInternerTests {
    @Test func numbersKeysNamesAndGroupsDenselyAndStably() {
        var interner = ServiceInterner()
        let a = ServiceKey(cluster: "prod", service: "orders")
        let b = ServiceKey(cluster: nil, service: "orders")
        let c = ServiceKey(cluster: "prod", service: "cart")
        #expect(interner.id(of: a) == 0)
        #expect(interner.id(of: b) == 1)
        #expect(interner.id(of: c) == 2)
        #expect(interner.id(of: a) == 0)
        #expect(interner.keys == [a, b, c])
        #expect(interner.names == ["orders", "cart"])
        #expect(interner.nameOfKey == [0, 0, 1])
        #expect(interner.nameID(of: "cart") == 1)
        #expect(interner.nameID(of: "search") == 2)
        #expect(interner.names == ["orders", "cart", "search"])
        #expect(interner.groupID(of: "/ecs/orders") == 0)
        #expect(interner.groupID(of: "/ecs/cart") == 1)
        #expect(interner.groupID(of: "/ecs/orders") == 0)
        #expect(!interner.isFull)
    }

    @Test func isFullAtTheLimitOfAnyKind() {
        var interner = ServiceInterner()
        for i in 0..<ServiceInterner.maxIDs - 1 { _ = interner.groupID(of: "/ecs/\(i)") }
        #expect(!interner.isFull)
        _ = interner.groupID(of: "/ecs/last")
        #expect(interner.isFull)
    }
}
