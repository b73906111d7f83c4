import Factory

extension APIError {
    /// Maps the read model's refusals: missing or not the caller's 404 (the same body either
    /// way), impossible requests 400, an unconfigured backend 503.
    init(_ error: FactoryError) {
        switch error {
        case .notFound(let what): self = .notFound(what)
        case .badRequest(let message): self = .badRequest(message)
        case .notConfigured(let message): self = .unavailable(message)
        case .forbidden(let message): self = .forbidden(message)
        }
    }
}
