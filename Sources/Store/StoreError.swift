/// Why a store call failed, in terms the server can map to a status without reading SQL.
///
/// The server maps `.duplicate` to 409, `.invalid` to 422, `.notFound` to 404 and `.unavailable` to
/// 503. Associated values never contain SQL text, connection strings or key material, so
/// `userMessage` is safe to return to a client; the underlying cause goes to the log instead.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A unique name is taken, e.g. `duplicate(entity: "tenant", name: "acme")`.
    case duplicate(entity: String, name: String)
    /// A referenced entity does not exist, e.g. `notFound(entity: "pool", id: "shared")`.
    case notFound(entity: String, id: String)
    /// A field failed validation; `field` is the API/JSON field name.
    case invalid(field: String, reason: String)
    /// The database cannot be opened or reached; the message is safe to show (no URL, no password).
    case unavailable(String)
    /// The entity cannot be removed now, e.g. `inUse(entity: "node", name: "gpu-1", reason: "diagnostic run d_1 is running")`.
    case inUse(entity: String, name: String, reason: String)

    /// A sentence for people: API error bodies and CLI stderr.
    public var userMessage: String {
        switch self {
        case .duplicate(let entity, let name): "\(entity) '\(name)' already exists"
        case .notFound(let entity, let id): "\(entity) '\(id)' not found"
        case .invalid(let field, let reason): "invalid \(field): \(reason)"
        case .unavailable(let message): "database unavailable: \(message)"
        case .inUse(let entity, let name, let reason): "\(entity) '\(name)' cannot be removed now: \(reason)"
        }
    }

    public var description: String { userMessage }
}
