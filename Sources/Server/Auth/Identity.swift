public import Factory
public import Fleet
import Store

/// Who is calling, resolved once per request from an API key or a session cookie.
///
/// A thin HTTP-side view of `Factory.Caller`, the capability the authentication path
/// (`Factory.Authenticator`) alone can make; routes hand `caller` to the read model.
public struct Identity: Sendable, Hashable {
    public let caller: Caller

    init(_ caller: Caller) {
        self.caller = caller
    }

    public var user: User { caller.user }
    /// The key that authenticated the request (directly or through the session it opened).
    public var keyID: String { caller.keyID }
    /// The caller's tenant; `nil` for site operators.
    public var tenant: String? { user.tenant }
}

extension Identity {
    /// Whose records a list shows: every tenant's for an operator (`nil`), the caller's own
    /// tenant's otherwise; a user with neither is refused.
    func listedTenant() throws -> String? {
        if user.isOperator { return nil }
        guard let tenant else { throw APIError.forbidden("no tenant") }
        return tenant
    }
}

extension Store {
    /// Names for the user ids that started runs, as `identity` may read them: a tenant reading
    /// a run an operator started sees "site operator", not the operator's login.
    func requesterNames(_ ids: Set<String>, for identity: Identity) async throws -> [String: String] {
        var names: [String: String] = [:]
        for id in ids {
            guard let user = try await user(id: id) else { continue }
            names[id] = user.kind == .siteOperator && !identity.user.isOperator ? "site operator" : user.name
        }
        return names
    }
}
