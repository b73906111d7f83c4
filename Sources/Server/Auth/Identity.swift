public import Factory
public import Fleet

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
