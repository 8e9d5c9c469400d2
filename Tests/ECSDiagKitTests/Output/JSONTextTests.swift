import ECSDiagKit
import Testing

struct JSONTextTests {
    @Test func buildsMembersInOrderAndEscapes() {
        var j = JSONText()
        j.openObject()
        j.string("b", "quote \" backslash \\ nl \n esc \u{1B} c1 \u{85}")
        j.string("a", nil)
        j.int("n", 3)
        j.number("x", 34.8)
        j.number("y", 60)
        j.openArray("ids")
        j.element("t1")
        j.element("t2")
        j.closeArray()
        j.openObject("o")
        j.bool("f", false)
        j.closeObject()
        j.closeObject()
        #expect(j.text == #"{"b":"quote \" backslash \\ nl \n esc \u001b c1 \u0085","a":null,"n":3,"x":34.8,"y":60,"ids":["t1","t2"],"o":{"f":false}}"#)
    }

    @Test(arguments: [(0.125, "0.125"), (-2.5, "-2.5"), (1e6, "1000000"), (0.0004, "0"), (99.999, "99.999")])
    func formatsNumbers(value: Double, text: String) {
        #expect(JSONText.format(value) == text)
    }
}
