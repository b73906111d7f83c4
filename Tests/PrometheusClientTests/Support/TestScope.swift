import PromQL

/// Tenant scoping as production does it: every query the tests send goes through `TenantScope`.
enum TestScope {
    static func acme(_ query: String) throws -> ScopedQuery {
        try TenantScope(tenant: "acme").rewrite(query)
    }
}
