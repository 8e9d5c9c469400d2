/// Makes untrusted log text inert before it reaches a terminal: control characters (ESC, C0, C1, DEL)
/// become visible escapes, so a log line cannot move the cursor, recolour the screen or set a title.
public enum TerminalText {
    /// Escapes control characters; keeps newlines only when `keepNewlines` is true; caps at `limit` characters.
    public static func sanitize(_ s: String, keepNewlines: Bool = false, limit: Int = 2000) -> String {
        var out = ""
        out.reserveCapacity(min(s.utf8.count, limit + 8))
        var count = 0
        for scalar in s.unicodeScalars {
            if count >= limit { out += "…"; break }
            count += 1
            let v = scalar.value
            if scalar == "\n" && keepNewlines { out += "\n"; continue }
            if scalar == "\t" { out += " "; continue }
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                switch scalar {
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\u{1B}": out += "\\e"
                default:
                    let hex = String(v, radix: 16, uppercase: false)
                    out += v <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u{\(hex)}"
                }
                continue
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
