/// Service keys, service names and log groups numbered densely (ids index arrays), so the engine folds per-task
/// counts per service without hashing strings per task.
struct ServiceInterner: Sendable {
    /// Ids handed out (of each kind) before the engine renumbers.
    static let maxIDs = 65_536

    /// Keys by id.
    private(set) var keys: [ServiceKey] = []
    /// The id in `names` of each key's service name.
    private(set) var nameOfKey: [Int32] = []
    /// Service names by id.
    private(set) var names: [String] = []
    private var keyIDs: [ServiceKey: Int32] = [:]
    private var nameIDs: [String: Int32] = [:]
    private var groupIDs: [String: Int32] = [:]

    /// Whether any kind of id has reached `maxIDs`.
    var isFull: Bool { max(keys.count, names.count, groupIDs.count) >= Self.maxIDs }

    /// The id of `key`, numbering it when new.
    mutating func id(of key: ServiceKey) -> Int32 {
        if let id = keyIDs[key] { return id }
        let id = Int32(keys.count)
        keys.append(key)
        nameOfKey.append(nameID(of: key.service))
        keyIDs[key] = id
        return id
    }

    /// The id of a service name, numbering it when new.
    mutating func nameID(of name: String) -> Int32 {
        if let id = nameIDs[name] { return id }
        let id = Int32(names.count)
        names.append(name)
        nameIDs[name] = id
        return id
    }

    /// The id of a log group, numbering it when new.
    mutating func groupID(of group: String) -> Int32 {
        if let id = groupIDs[group] { return id }
        let id = Int32(groupIDs.count)
        groupIDs[group] = id
        return id
    }
}
