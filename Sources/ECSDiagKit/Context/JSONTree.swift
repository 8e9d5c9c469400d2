import Foundation

/// A parsed JSON value, for the small and rare configuration documents (task definitions, IAM policies …).
///
/// The log hot path never uses this: it scans bytes (`DiagnosisRules.JSONScanner`). Context documents are a few
/// kilobytes read once, so a plain tree built with `JSONDecoder` keeps the readers simple.
enum JSONTree: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONTree])
    case object([String: JSONTree])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONTree].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONTree].self))
        }
    }

    /// Parses `data`; throws the decoder's error for malformed JSON.
    static func parse(_ data: Data) throws -> JSONTree {
        try JSONDecoder().decode(JSONTree.self, from: data)
    }

    /// The member `key` of an object, nil otherwise.
    subscript(key: String) -> JSONTree? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var object: [String: JSONTree]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var array: [JSONTree]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// A number, or a string holding one (the CLI prints some numbers as strings).
    var double: Double? {
        switch self {
        case .number(let value): value
        case .string(let text): Double(text)
        default: nil
        }
    }

    var int: Int? {
        guard let value = double, value.isFinite, value.rounded() == value, abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    /// A boolean, or the strings `"true"`/`"false"` (`awslogs-create-group` and `IsDefaultVersion` are strings).
    var bool: Bool? {
        switch self {
        case .bool(let value): value
        case .string(let text) where text.lowercased() == "true": true
        case .string(let text) where text.lowercased() == "false": false
        default: nil
        }
    }

    /// A string or an array of strings as a list (IAM `Action`, `Resource`).
    var stringList: [String]? {
        switch self {
        case .string(let value): [value]
        case .array(let elements): elements.compactMap(\.string)
        default: nil
        }
    }

    /// An object's string members (e.g. `logConfiguration.options`); other member types are rendered as text.
    var stringMap: [String: String] {
        guard let members = object else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in members {
            switch value {
            case .string(let text): result[key] = text
            case .bool(let flag): result[key] = flag ? "true" : "false"
            case .number(let number): result[key] = Int(exactly: number).map { String($0) } ?? String(number)
            default: break
            }
        }
        return result
    }
}
