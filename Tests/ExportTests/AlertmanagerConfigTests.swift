import Export
import Testing
import Foundation

@Suite("AlertmanagerConfig")
struct AlertmanagerConfigTests {
    static let tenants: [String: TenantReceivers] = [
        "acme": TenantReceivers(webhookURL: "https://a.example/hook", slack: .init(channel: "#acme", apiURL: "https://hooks.slack.com/x"),
                                pagerDutyRoutingKey: "key-acme"),
        "globex": TenantReceivers(webhookURL: "https://g.example/hook"),
    ]
    static let text = AlertmanagerConfig(tenants: tenants, operatorWebhookURL: "http://127.0.0.1:9099/ops").render()

    @Test("one route per tenant matching its tenant label, with critical and warning sub-routes")
    func tenantRoutes() {
        for tenant in ["acme", "globex"] {
            #expect(Self.text.contains("- tenant=\"\(tenant)\""))
            #expect(Self.text.contains("name: tenant-\(tenant)\n"))
        }
        #expect(Self.text.contains("receiver: tenant-acme-page"), "acme has PagerDuty, so critical pages")
        #expect(!Self.text.contains("tenant-globex-page"), "globex has no PagerDuty")
        #expect(Self.text.contains("routing_key: key-acme"))
        #expect(Self.text.contains("- severity=\"critical\""))
        #expect(Self.text.contains("- severity=~\"warning|info\""))
    }

    @Test("groups by alertname, tenant, node")
    func grouping() {
        #expect(Self.text.contains("group_by:\n  - alertname\n  - tenant\n  - node\n"))
    }

    @Test("operator-only alerts (no tenant label) and the Watchdog go to the operator receiver")
    func operatorRoutes() throws {
        #expect(Self.text.contains("- tenant=\"\""))
        #expect(Self.text.contains("- alertname=\"Watchdog\""))
        #expect(Self.text.contains("url: http://127.0.0.1:9099/ops"))
        let operatorRoute = try #require(Self.text.range(of: "- tenant=\"\""))
        let firstTenantRoute = try #require(Self.text.range(of: "- tenant=\"acme\""))
        #expect(operatorRoute.lowerBound < firstTenantRoute.lowerBound, "operator-only route comes first")
    }

    @Test("exporter down inhibits the node's GPU alerts on tenant and node")
    func inhibition() {
        #expect(Self.text.contains("""
            - source_matchers:
              - alertname="ExporterDown"
              - job="dcgm"
              target_matchers:
              - alertname=~"GPU.+"
              equal:
              - tenant
              - node
            """))
    }

    @Test("reads the tenants file, rejecting unknown keys")
    func parsesTenants() throws {
        let parsed = try AlertmanagerConfig.parseTenants(yaml: """
            acme:
              webhook: https://a.example/hook
              slack: {channel: "#acme", api_url: https://hooks.slack.com/x}
              pagerduty: {routing_key: key-acme}
            globex: {webhook: https://g.example/hook}
            quiet:
            """)
        #expect(parsed["acme"] == Self.tenants["acme"])
        #expect(parsed["globex"] == Self.tenants["globex"])
        #expect(parsed["quiet"] == TenantReceivers())
        #expect(throws: ExportError.self) { try AlertmanagerConfig.parseTenants(yaml: "acme: {webhok: x}") }
        #expect(throws: ExportError.self) { try AlertmanagerConfig.parseTenants(yaml: "acme: {slack: {channel: x}}") }
        #expect(throws: ExportError.self) { try AlertmanagerConfig.parseTenants(yaml: "- a\n- b") }
    }
}
