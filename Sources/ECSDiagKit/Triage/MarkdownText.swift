/// Makes untrusted log text inert in Markdown (CommonMark / GitHub / chat): control characters become visible
/// escapes (as in ``TerminalText``), Markdown punctuation is backslash-escaped so it cannot open emphasis, code,
/// links, images, HTML, headings or table cells, and long text is capped.
public enum MarkdownText {
    /// Characters escaped wherever they appear. `#`, `+`, `-`, `=` and digits followed by `.` matter only at line
    /// start; `#` is escaped everywhere (cheap and safe), the others only at the start of the text.
    static let punctuation: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~", "&"]

    /// Escapes `s` for inline Markdown (a paragraph, list item or table cell): one line, at most `limit` characters
    /// of the original text (an ellipsis marks the cut).
    public static func escape(_ s: String, limit: Int = 2000) -> String {
        let inert = TerminalText.sanitize(s, keepNewlines: false, limit: limit)
        var out = ""
        out.reserveCapacity(inert.utf8.count + 16)
        var atStart = true
        for ch in inert {
            if punctuation.contains(ch) {
                out.append("\\")
                out.append(ch)
            } else if atStart, ch == "-" || ch == "+" || ch == "=" {
                out.append("\\")
                out.append(ch)
            } else {
                out.append(ch)
            }
            if ch != " " { atStart = false }
        }
        // `1. text` / `1) text` at the start would become an ordered list.
        if let dot = out.firstIndex(where: { !$0.isNumber }), dot != out.startIndex,
           out[dot] == "." || out[dot] == ")" {
            let next = out.index(after: dot)
            if next == out.endIndex || out[next] == " " { out.insert("\\", at: dot) }
        }
        return out
    }

    /// A fenced code block holding `content` verbatim (control characters made inert, newlines kept). The fence is
    /// longer than any backtick run inside, so the content cannot close it.
    public static func codeBlock(_ content: String, language: String = "") -> String {
        let inert = TerminalText.sanitize(content, keepNewlines: true, limit: 20_000)
        var longest = 0
        var run = 0
        for ch in inert {
            if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return "\(fence)\(language)\n\(inert)\n\(fence)"
    }

    /// An inline code span for trusted, simple text (rule and cause names): backticks around it.
    static func code(_ s: String) -> String {
        let inert = TerminalText.sanitize(s, limit: 400)
        var longest = 0
        var run = 0
        for ch in inert {
            if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = inert.hasPrefix("`") || inert.hasSuffix("`") ? " " : ""
        return "\(fence)\(pad)\(inert.replacing("|", with: "\\|"))\(pad)\(fence)"
    }
}
