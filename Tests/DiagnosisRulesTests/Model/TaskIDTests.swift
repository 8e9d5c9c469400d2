import DiagnosisRules
import Testing

struct TaskIDTests {
    @Test func parsesBothSpellingsAndPrintsThemBack() {
        #expect(TaskID("26feeb2c30cf4d7cb3ae44fd0e17719b")?.description == "26feeb2c30cf4d7cb3ae44fd0e17719b")
        #expect(TaskID("b3c69762-5472-4d27-b6a4-8cf9492fc1f7")?.description == "b3c69762-5472-4d27-b6a4-8cf9492fc1f7")
        #expect(TaskID("26FEEB2C30CF4D7CB3AE44FD0E17719B") == TaskID("26feeb2c30cf4d7cb3ae44fd0e17719b"))
    }

    @Test(arguments: ["", "26feeb2c30cf4d7cb3ae44fd0e17719", "26feeb2c30cf4d7cb3ae44fd0e17719g", "b3c69762x5472-4d27-b6a4-8cf9492fc1f7", "ca675…"])
    func rejectsOtherText(text: String) {
        #expect(TaskID(text) == nil)
    }

    @Test(arguments: [
        ("ecs/orders-api/0b0c11fa47b04ed0a669fa3ce6345afa", "0b0c11fa47b04ed0a669fa3ce6345afa"),
        ("arn:aws:ecs:eu-west-1:0123456789:task/Features/33a7f27282624543abd4a00c3e84d0ee", "33a7f27282624543abd4a00c3e84d0ee"),
        ("arn:aws:ecs:us-east-1:012345678910:task/b3c69762-5472-4d27-b6a4-8cf9492fc1f7", "b3c69762-5472-4d27-b6a4-8cf9492fc1f7"),
    ])
    func findsTheIdAtTheEndOfStreamsAndArns(text: String, id: String) {
        let found = Array(text.utf8).withUnsafeBytes { TaskID.suffix(of: $0) }
        #expect(found?.description == id)
    }

    @Test func streamWithoutTaskIdHasNone() {
        let found = Array("i-0377be99224f".utf8).withUnsafeBytes { TaskID.suffix(of: $0) }
        #expect(found == nil)
    }
}
