/// Splits a rule's remediation text into prose, shell commands and JSON snippets, so reports can show commands on
/// their own lines (text) or in fenced code blocks (Markdown) while the words around them stay prose.
///
/// The rules write remediations as one paragraph: `Grant s3:GetObject … : aws iam put-role-policy … '{…}'. Then …`.
/// A command starts at `aws <service>` on a word boundary and runs, outside quotes, to a sentence end (`. `), a
/// `; `, an unbalanced `)` or a ` — `; `a && b` stays one command, shown on two lines. A snippet is a JSON member
/// `"name": {…}` (braces balanced outside strings) in prose.
public enum RemediationText {
    /// One part of a remediation.
    public enum Part: Sendable, Equatable {
        /// Words.
        case prose(String)
        /// A shell command (one logical command, possibly `a && b`).
        case command(String)
        /// A JSON snippet.
        case snippet(String)

        /// The part's text.
        public var text: String {
            switch self {
            case .prose(let s), .command(let s), .snippet(let s): s
            }
        }

        /// `prose`, `command` or `snippet`.
        public var kind: String {
            switch self {
            case .prose: "prose"
            case .command: "command"
            case .snippet: "snippet"
            }
        }
    }

    /// The parts of `text`, in order; prose parts are trimmed and empty ones dropped.
    public static func parts(_ text: String) -> [Part] {
        let chars = Array(text)
        var out: [Part] = []
        var prose: [Character] = []
        var i = 0
        func flushProse() {
            let s = String(prose).trimmed
            if !s.isEmpty && s != "." && s != ";" { out.append(.prose(s)) }
            prose.removeAll()
        }
        while i < chars.count {
            if startsCommand(chars, at: i) {
                let end = commandEnd(chars, from: i)
                // `(aws …)` in a sentence: the parentheses go with the command's own line.
                let parenthesised = prose.last == "(" && end < chars.count && chars[end] == ")"
                if parenthesised { prose.removeLast() }
                flushProse()
                out.append(.command(String(chars[i..<end]).trimmed))
                i = parenthesised ? end + 1 : end
                // The sentence's own full stop or semicolon after the command belongs to neither part.
                if i < chars.count, chars[i] == "." || chars[i] == ";" { i += 1 }
                continue
            }
            if chars[i] == "\"", let end = snippetEnd(chars, from: i) {
                flushProse()
                out.append(.snippet(String(chars[i..<end])))
                i = end
                if i < chars.count, chars[i] == "." || chars[i] == ";" { i += 1 }
                continue
            }
            prose.append(chars[i])
            i += 1
        }
        flushProse()
        return out
    }

    /// The commands of a command part, one per `&&`-joined step.
    public static func steps(_ command: String) -> [String] {
        let chars = Array(command)
        var steps: [String] = []
        var current: [Character] = []
        var quote: Character?
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "&", i + 1 < chars.count, chars[i + 1] == "&" {
                steps.append(String(current).trimmed)
                current.removeAll()
                i += 2
                continue
            }
            current.append(c)
            i += 1
        }
        steps.append(String(current).trimmed)
        return steps.filter { !$0.isEmpty }
    }

    private static func startsCommand(_ c: [Character], at i: Int) -> Bool {
        guard i + 5 <= c.count, c[i] == "a", c[i + 1] == "w", c[i + 2] == "s", c[i + 3] == " ",
              c[i + 4].isLetter, c[i + 4].isLowercase
        else { return false }
        if i > 0 {
            let p = c[i - 1]
            guard p == " " || p == "(" || p == "\n" || p == ":" else { return false }
        }
        // `aws <service> <operation>`: operations are dashed (`update-service`), except the `s3` shortcuts.
        var j = i + 4
        let serviceStart = j
        while j < c.count, c[j].isLetter || c[j].isNumber || c[j] == "-" { j += 1 }
        let service = String(c[serviceStart..<j])
        guard j < c.count, c[j] == " " else { return false }
        j += 1
        let opStart = j
        while j < c.count, c[j].isLetter || c[j].isNumber || c[j] == "-" { j += 1 }
        let operation = c[opStart..<j]
        guard operation.count >= 2, operation.first?.isLowercase == true else { return false }
        return operation.contains("-") || (service == "s3" && ["ls", "cp", "mv", "rm", "sync", "mb", "rb", "presign"].contains(String(operation)))
    }

    private static func commandEnd(_ c: [Character], from start: Int) -> Int {
        var quote: Character?
        var depth = 0
        var i = start
        while i < c.count {
            let ch = c[i]
            if let q = quote {
                if ch == q { quote = nil }
                i += 1
                continue
            }
            switch ch {
            case "'", "\"":
                quote = ch
            case "(":
                depth += 1
            case ")":
                if depth == 0 { return i }
                depth -= 1
            case ";":
                if i + 1 == c.count || c[i + 1] == " " { return i }
            case ".":
                if i + 1 == c.count || c[i + 1] == " " || c[i + 1] == "\n" { return i }
            case "—":
                if i > start, c[i - 1] == " " { return i - 1 }
            case "\n":
                return i
            default:
                break
            }
            i += 1
        }
        return c.count
    }

    /// End (exclusive) of a `"name": {…}` member starting at `start`, or nil.
    private static func snippetEnd(_ c: [Character], from start: Int) -> Int? {
        var i = start + 1
        while i < c.count, c[i] != "\"" {
            guard c[i].isLetter || c[i].isNumber || c[i] == "-" || c[i] == "_" else { return nil }
            i += 1
        }
        guard i < c.count, i > start + 1 else { return nil }
        i += 1
        guard i < c.count, c[i] == ":" else { return nil }
        i += 1
        while i < c.count, c[i] == " " { i += 1 }
        guard i < c.count, c[i] == "{" else { return nil }
        var depth = 0
        var inString = false
        var escaped = false
        while i < c.count {
            let ch = c[i]
            if inString {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
            } else if ch == "\"" {
                inString = true
            } else if ch == "{" {
                depth += 1
            } else if ch == "}" {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return nil
    }
}

extension String {
    /// Without leading and trailing spaces and newlines.
    fileprivate var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\n" { s.removeLast() }
        return String(s)
    }
}
