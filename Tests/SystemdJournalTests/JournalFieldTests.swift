import SystemdJournal
import Testing

struct JournalFieldTests {
    @Test(arguments: ["MESSAGE", "MESSAGE_ID", "ECS_SERVICE", "A", "A1_B_", String(repeating: "X", count: 64)])
    func acceptsValidNames(_ name: String) {
        #expect(JournalField.isValidName(name))
    }

    @Test(arguments: [
        "", "_PID", "__CURSOR", "1ABC", "message", "Message", "MESSAGE-ID", "MESSAGE ID", "MESSAGE=X", "ÉCS",
        String(repeating: "X", count: 65),
    ])
    func rejectsInvalidNames(_ name: String) {
        #expect(!JournalField.isValidName(name))
    }

    @Test func validateRejectsEmptyEntry() {
        #expect(throws: JournalError.emptyEntry) { try JournalField.validate([]) }
    }

    @Test func validateNamesTheFirstInvalidField() {
        let fields = [
            JournalField(name: "MESSAGE", value: "ok"),
            JournalField(name: "_SYSTEMD_UNIT", value: "forged.service"),
            JournalField(name: "bad", value: "x"),
        ]
        #expect(throws: JournalError.invalidFieldName("_SYSTEMD_UNIT")) { try JournalField.validate(fields) }
    }

    @Test func permanentAndTransientErrorsAreDistinguished() {
        #expect(!JournalError.invalidFieldName("x").isTransient)
        #expect(!JournalError.emptyEntry.isTransient)
        #expect(JournalError.sendFailed(errno: 2).isTransient)
        #expect(JournalError.sendFailed(errno: 2).description.contains("No such file or directory"))
    }
}
