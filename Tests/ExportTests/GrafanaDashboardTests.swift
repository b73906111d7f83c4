import Export
import Foundation
import PromQL
import Testing

@Suite("GrafanaDashboard")
struct GrafanaDashboardTests {
    static let dashboard = GrafanaDashboard.standard()

    /// Replaces Grafana variables with values a real dashboard would send.
    static func substitute(_ query: String) -> String {
        var text = query
        for (variable, value) in [
            ("$__rate_interval", "5m"), ("$__interval", "1m"), ("$__range", "1h"),
            ("${datasource}", "prometheus"), ("$tenant", "acme"), ("$node", "acme-h100-1"), ("$model_name", "(m1|m2)"),
        ] {
            text = text.replacingOccurrences(of: variable, with: value)
        }
        return text
    }

    @Test("every panel query parses with our PromQL parser after variable substitution")
    func queriesParse() throws {
        #expect(Self.dashboard.queries.count > 30)
        for query in Self.dashboard.queries {
            let text = Self.substitute(query)
            #expect(!text.contains("$"), "unsubstituted variable in \(text)")
            #expect(throws: Never.self, "\(query)") { _ = try Parser.parse(text) }
        }
    }

    @Test("the rendered JSON is valid and its queries are exactly `queries`")
    func renderedJSON() throws {
        let data = Data(Self.dashboard.renderJSON().utf8)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(root["panels"] as? [[String: Any]])
        let exprs = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(exprs == Self.dashboard.queries)
        let variables = ((root["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(Set(["tenant", "node", "model_name"]).isSubset(of: Set(variables)))
        let ids = panels.compactMap { $0["id"] as? Int }
        #expect(Set(ids).count == panels.count, "panel ids are unique")
    }

    @Test("has the four companion rows and GPU health rows")
    func rows() {
        let rows = Self.dashboard.panels.filter { $0.kind == .row }.map(\.title)
        for title in ["Golden signals (vLLM)", "Tenant usage", "Pool health", "Prefix-cache efficiency", "GPU health (DCGM)", "GPU faults"] {
            #expect(rows.contains(title))
        }
    }

    @Test("keeps the eight panels of NVIDIA's dcgm-exporter dashboard, by title and metric")
    func nvidiaPanels() throws {
        let url = Repository.url("Tests/Fixtures/dcgm-exporter-dashboard.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let theirs = try #require(root["panels"] as? [[String: Any]])
        #expect(theirs.count == 8)
        for panel in theirs {
            let title = try #require(panel["title"] as? String)
            let ours = Self.dashboard.panels.first { $0.title == title }
            #expect(ours != nil, "missing NVIDIA panel \(title)")
            let metric = ((panel["targets"] as? [[String: Any]])?.first?["expr"] as? String)?
                .split(whereSeparator: { "({ ".contains($0) }).first { $0.hasPrefix("DCGM_") }
            if let metric, let ours {
                #expect(ours.targets.contains { $0.expr.contains(metric) }, "\(title) should read \(metric)")
            }
        }
    }

    @Test("every query is scoped by the tenant variable")
    func tenantScoped() {
        for query in Self.dashboard.queries {
            #expect(query.contains(#"tenant=~"$tenant""#), "\(query)")
        }
    }

    @Test("no two panels overlap on the grid")
    func layout() {
        var cells: Set<[Int]> = []
        for panel in Self.dashboard.panels {
            for x in panel.x..<(panel.x + panel.width) {
                for y in panel.y..<(panel.y + panel.height) {
                    #expect(cells.insert([x, y]).inserted, "\(panel.title) overlaps at \(x),\(y)")
                }
            }
            #expect(panel.x + panel.width <= 24)
        }
    }
}
