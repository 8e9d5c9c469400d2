import Foundation
import Testing
@testable import ECSDiagKit

@Suite("JSONTree")
struct JSONTreeTests {
    @Test("stringMap renders numbers as text: integers without a fraction, huge values without trapping")
    func stringMapNumbers() throws {
        let tree = try JSONTree.parse(Data(#"{"a":3,"b":3.5,"c":1e300,"d":-12,"e":true,"f":"x","g":[1]}"#.utf8))
        let map = tree.stringMap
        #expect(map["a"] == "3")
        #expect(map["b"] == "3.5")
        #expect(map["c"] == String(1e300))
        #expect(map["d"] == "-12")
        #expect(map["e"] == "true")
        #expect(map["f"] == "x")
        #expect(map["g"] == nil)
    }
}
