import Testing
@testable import PromQL

/// The typed scopes over `LabelScope`: a tenant scope narrowed in one rewrite, the fleet scope,
/// and the pool aggregate (one label-free number over the pool's contributing nodes).
@Suite("Scopes")
struct ScopesTests {
    @Test("a tenant scope narrowed to a node rewrites once and records every matcher")
    func tenantNarrowed() throws {
        let scope = try TenantScope(tenant: "acme").narrowed(toNode: "gpu-01")
        let query = try scope.rewrite(#"sum by (gpu) (rate(x{node!="other", tenant=~"acme|beta"}[5m]))"#)
        #expect(query.text == #"sum by (gpu) (rate(x{node="gpu-01", tenant="acme"}[5m]))"#)
        #expect(query.tenant == "acme")
        #expect(query.matchers.map(\.label) == [ScopeLabel.tenant, ScopeLabel.node])
        #expect(query.matchers.map(\.value) == ["acme", "gpu-01"])
    }

    @Test("narrowing can only read less: another node, or the tenant label again, is refused")
    func narrowingRefusals() throws {
        let scope = try TenantScope(tenant: "acme").narrowed(toNode: "gpu-01")
        #expect(throws: PromQLError.self) { try scope.rewrite(#"up{node="gpu-02"}"#) }
        #expect(throws: LabelScope.ConfigurationError.duplicateLabel(ScopeLabel.tenant)) {
            try TenantScope(tenant: "acme").narrowed(to: ScopeLabel.tenant, "beta")
        }
        #expect(throws: PromQLError.self) { try scope.rewrite(#"label_replace(up, "node", "x", "", "")"#) }
    }

    @Test("the fleet scope prints canonically and confines only to its narrowing")
    func fleet() throws {
        #expect(try FleetScope().rewrite("up{job='dcgm'}").text == #"up{job="dcgm"}"#)
        let node = try FleetScope(narrowing: [(ScopeLabel.node, "gpu-01")]).rewrite("count by (tenant) (x)")
        #expect(node.text == #"count by (tenant) (x{node="gpu-01"})"#)
        #expect(node.matchers.map(\.label) == [ScopeLabel.node])
    }

    @Test("a pool aggregate is confined to the pool and its contributing nodes")
    func poolConfined() throws {
        let scope = try PoolAggregateScope(pool: "shared", nodes: ["b-2", "a.1", "b-2"])
        #expect(scope.nodes == ["a.1", "b-2"])
        let query = try scope.rewrite(#"avg(DCGM_FI_DEV_GPU_UTIL{job="dcgm"})"#)
        #expect(query.text == #"avg(DCGM_FI_DEV_GPU_UTIL{job="dcgm", pool="shared", node=~"a\\.1|b-2"})"#)
        let ratio = try scope.rewrite("sum(rate(a[5m])) / sum(rate(b[5m])) * 100")
        #expect(ratio.text.contains(#"a{pool="shared", node=~"a\\.1|b-2"}"#))
    }

    @Test(
        "a pool aggregate must be one label-free number",
        arguments: [
            "DCGM_FI_DEV_GPU_UTIL", "avg by (node) (x)", "avg without (gpu) (x)", "topk(1, x)", "sum(x) + x",
            "count_values(\"v\", x)", "histogram_quantile(0.9, sum by (le) (rate(x[5m])))", "label_replace(sum(x), \"node\", \"a\", \"\", \"\")",
        ])
    func poolLabelFree(query: String) throws {
        let scope = try PoolAggregateScope(pool: "shared", nodes: ["n1"])
        #expect(throws: PromQLError.self) { try scope.rewrite(query) }
    }

    @Test("a pool aggregate may not choose its own nodes or another pool")
    func poolForgery() throws {
        let scope = try PoolAggregateScope(pool: "shared", nodes: ["n1"])
        #expect(throws: PromQLError.self) { try scope.rewrite(#"avg(x{node="n2"})"#) }
        #expect(throws: PromQLError.self) { try scope.rewrite(#"avg(x{pool="other"})"#) }
        #expect(throws: PoolAggregateScope.ConfigurationError.noContributingNodes(pool: "empty")) {
            try PoolAggregateScope(pool: "empty", nodes: [])
        }
    }

    @Test("the tenant label is spelled once")
    func labels() {
        #expect(ScopeLabel.tenant == "tenant")
        #expect(!ScopeLabel.dedicatedPool.isEmpty && ScopeLabel.dedicatedPool.first == "_", "never a valid pool name")
    }
}
