import DiagnosisRules

/// Builds JSON text by hand with a fixed member order, so output is byte-identical from run to run.
///
/// `JSONEncoder` sorts keys alphabetically at best; the command-line contract fixes an order that people read.
public struct JSONText {
    /// The text built so far.
    public private(set) var text = ""
    private var needsComma: [Bool] = [false]

    /// Creates an empty builder.
    public init() {}

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func key(_ k: String) {
        separator()
        JSONText.appendQuoted(k, to: &text)
        text += ":"
    }

    /// Opens an object (as a member when `key` is given, else as a value).
    public mutating func openObject(_ k: String? = nil) {
        if let k { key(k) } else { separator() }
        text += "{"
        needsComma.append(false)
    }

    /// Closes the innermost object.
    public mutating func closeObject() {
        needsComma.removeLast()
        text += "}"
    }

    /// Opens an array member.
    public mutating func openArray(_ k: String) {
        key(k)
        text += "["
        needsComma.append(false)
    }

    /// Closes the innermost array.
    public mutating func closeArray() {
        needsComma.removeLast()
        text += "]"
    }

    /// A string member (`null` when nil).
    public mutating func string(_ k: String, _ v: String?) {
        key(k)
        if let v { JSONText.appendQuoted(v, to: &text) } else { text += "null" }
    }

    /// A string array element.
    public mutating func element(_ v: String) {
        separator()
        JSONText.appendQuoted(v, to: &text)
    }

    /// An integer member.
    public mutating func int(_ k: String, _ v: Int?) {
        key(k)
        text += v.map(String.init) ?? "null"
    }

    /// A number member printed with up to 3 decimals, trailing zeros trimmed.
    public mutating func number(_ k: String, _ v: Double?) {
        key(k)
        guard let v, v.isFinite else { text += "null"; return }
        text += JSONText.format(v)
    }

    /// A boolean member.
    public mutating func bool(_ k: String, _ v: Bool) {
        key(k)
        text += v ? "true" : "false"
    }

    /// Formats a number with at most 3 decimals (`34.8`, `60`, `0.125`).
    public static func format(_ v: Double) -> String {
        let scaled = (v * 1000).rounded()
        if scaled == (scaled / 1000).rounded(.towardZero) * 1000 { return String(Int64(scaled / 1000)) }
        var s = String(Int64(scaled.magnitude) / 1000) + "."
        var frac = String(Int64(scaled.magnitude) % 1000)
        while frac.count < 3 { frac = "0" + frac }
        while frac.hasSuffix("0") { frac.removeLast() }
        s += frac
        return (v < 0 ? "-" : "") + s
    }

    /// Appends `s` as a JSON string literal (`JSONString.appendQuoted`).
    public static func appendQuoted(_ s: String, to out: inout String) {
        JSONString.appendQuoted(s, to: &out)
    }
}
