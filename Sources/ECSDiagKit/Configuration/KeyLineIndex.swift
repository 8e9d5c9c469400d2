/// Maps dotted TOML keys to the line that defines them, so configuration errors can name a line.
///
/// TOMLKit reports positions only for syntax errors; this scans the text once, following `[table]`,
/// `[[array]]` headers (numbered `source[0]`, `source[1]` …) and `key = value` lines.
struct KeyLineIndex {
    private var lines: [String: Int] = [:]

    init(text: String) {
        var table = ""
        var arrayCounts: [String: Int] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[[") {
                let name = KeyLineIndex.unquote(line.dropFirst(2).prefix { $0 != "]" })
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                table = "\(name)[\(index)]"
                lines[table] = lines[table] ?? n + 1
            } else if line.hasPrefix("[") {
                table = KeyLineIndex.unquote(line.dropFirst().prefix { $0 != "]" })
                lines[table] = lines[table] ?? n + 1
            } else if let eq = line.firstIndex(of: "=") {
                let key = KeyLineIndex.unquote(line[..<eq])
                let full = table.isEmpty ? key : "\(table).\(key)"
                lines[full] = lines[full] ?? n + 1
            }
        }
    }

    /// The line of `key`, or of its table, or 0.
    func line(of key: String) -> Int {
        var k = key
        while !k.isEmpty {
            if let n = lines[k] { return n }
            guard let dot = k.lastIndex(of: ".") else { break }
            k = String(k[..<dot])
        }
        return 0
    }

    private static func unquote(_ s: Substring) -> String {
        s.trimmingCharacters(in: " \t").split(separator: ".").map { part in
            var p = part.trimmingCharacters(in: " \t")
            if p.count >= 2, p.first == "\"" || p.first == "'", p.last == p.first { p = String(p.dropFirst().dropLast()) }
            return p
        }.joined(separator: ".")
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
