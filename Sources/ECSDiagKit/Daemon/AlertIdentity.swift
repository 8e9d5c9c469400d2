import DiagnosisRules

/// A stable id per alert transition (`ECSDIAG_ALERT_ID`): the same transition always gets the same id, so
/// after a crash the daemon can ask the journal whether a transition it decided was already written.
enum AlertIdentity {
    static func id(of t: AlertTransition) -> String {
        let key = [t.rule.rawValue, t.cluster ?? "", t.service ?? "", t.cause.rawValue, t.status.rawValue,
                   String(t.firstSeen.milliseconds), String(t.at.milliseconds)].joined(separator: "\u{1F}")
        let h = ByteHash.fnv1a(key)
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
