import Fleet

/// Body of `GET /api/v1/me`: who the caller is and how the page should present itself.
public struct MeResponse: Encodable, Sendable {
    public struct UserInfo: Encodable, Sendable {
        var id: String
        var name: String
        var kind: String
    }
    public struct Session: Encodable, Sendable {
        var user: String
        var tenant: String?

        public init(user: String, tenant: String?) {
            self.user = user
            self.tenant = tenant
        }
    }
    var tenant: String?
    var user: UserInfo
    var isAdmin: Bool
    var isOperator: Bool
    var role: String
    var relationships: [Relationship]
    var gpuClasses: [String]
    /// Optional parts of the API this server runs (`loadtests`), so the page shows only panels
    /// that will work instead of probing routes (a 404 in the console) or downloading the
    /// OpenAPI document.
    var features: [String]
}
