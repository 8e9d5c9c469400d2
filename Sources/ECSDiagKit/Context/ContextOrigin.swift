/// Where a context fact was read: `PATH#JSONPATH` (e.g. `td.json#taskDefinition.containerDefinitions[0]`).
///
/// The `origin` fields of `ServiceContext` use this form; a document's root is just `PATH`. JSON paths never
/// contain `#`, so the last `#` separates the two parts.
public enum ContextOrigin {
    /// `PATH#JSONPATH`, or `PATH` for the document root.
    public static func make(path: String, jsonPath: String) -> String {
        jsonPath.isEmpty ? path : "\(path)#\(jsonPath)"
    }

    /// The document path and JSON path of an origin made by ``make(path:jsonPath:)``.
    public static func split(_ origin: String) -> (document: String, jsonPath: String) {
        guard let hash = origin.lastIndex(of: "#") else { return (origin, "") }
        return (String(origin[..<hash]), String(origin[origin.index(after: hash)...]))
    }

    /// `base.child`, or `child` when `base` is the root.
    static func join(_ base: String, _ child: String) -> String {
        if base.isEmpty { return child }
        if child.hasPrefix("[") { return base + child }
        return "\(base).\(child)"
    }
}
