import Store

extension APIError {
    /// Maps storage failures: duplicates 409, invalid fields 422 naming the field, unknown ids 404,
    /// an unreachable database 503, a removal refused while the entity is in use 409. The database's own error text never reaches the client.
    init(_ error: StoreError) {
        switch error {
        case .duplicate(let entity, let name):
            self = .conflict("\(entity) '\(name)' already exists")
        case .invalid(let field, let reason):
            self = .unprocessable(field: field, reason)
        case .notFound(let entity, _):
            self = .notFound(entity)
        case .unavailable:
            self = .unavailable("the database is unavailable; try again shortly")
        case .inUse:
            self = .conflict(error.userMessage)
        }
    }
}
