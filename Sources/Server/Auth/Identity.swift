import Fleet

/// Who is calling, resolved once per request from an API key or a session cookie.
public struct Identity: Sendable, Hashable {
    public var user: User
    /// The key that authenticated the request (directly or through the session it opened).
    public var keyID: String

    /// The caller's tenant; `nil` for site operators.
    public var tenant: String? { user.tenant }
}
