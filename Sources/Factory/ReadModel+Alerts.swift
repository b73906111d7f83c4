import Foundation
import Logging
import PromQL
public import PrometheusClient
import Telemetry

/// Body of `GET /api/v1/factory/alerts`.
public struct AlertsResponse: Encodable, Sendable {
    public var alerts: [PrometheusAlert]
}

/// Which active alerts a caller may see. Prometheus' alerts API cannot be scoped, so this is the
/// filter, and the only one:
/// - a tenant's users see alerts whose tenant label equals their tenant, nothing else (a pool
///   consumer does not see the provider's hardware alerts);
/// - alerts without a tenant label (`Watchdog`, other pipeline checks) are operator-only;
/// - operators see everything.
enum AlertVisibility {
    /// The alerts `caller` may see, narrowed to `node` when given, critical first, then oldest first.
    static func visible(_ alerts: [PrometheusAlert], to caller: Caller, node: String?) -> [PrometheusAlert] {
        alerts
            .filter { alert in
                if caller.operator != nil { return true }
                let tenant = alert.labels[ScopeLabel.tenant].flatMap { $0.isEmpty ? nil : $0 }
                guard let tenant, let own = caller.tenant else { return false }
                return tenant == own.name
            }
            .filter { alert in node.map { alert.labels[ScopeLabel.node] == $0 } ?? true }
            .sorted { lhs, rhs in
                let l = rank(lhs.labels["severity"]), r = rank(rhs.labels["severity"])
                if l != r { return l < r }
                let lt = lhs.activeAt ?? .distantFuture, rt = rhs.activeAt ?? .distantFuture
                if lt != rt { return lt < rt }
                return lhs.name < rhs.name
            }
    }

    private static func rank(_ severity: String?) -> Int {
        switch severity {
        case "critical": 0
        case "warning": 1
        case "info": 2
        default: 3
        }
    }
}

extension ReadModel {
    /// Every active alert, read once per refresh interval for everyone and filtered per caller.
    /// At an interval boundary only the first reader waits for Prometheus; the others get the
    /// previous interval's list (as the node reports do).
    func allAlerts() async throws -> [PrometheusAlert] {
        guard let source = alertSource else { throw FactoryError.notConfigured("no Prometheus is configured") }
        let key = CacheKey(backend: metrics?.identity ?? "-", tenant: "*", query: "alerts", bucket: readers.interval.bucket(at: now()))
        return try await readers.overview.alerts.latest(for: key) { try await source.alerts() }.value
    }

    /// `GET /api/v1/factory/alerts[?node=]`: the active alerts `caller` may see. A node the caller
    /// cannot see is `.notFound`, exactly like an unknown one.
    public func alerts(_ caller: Caller, node: String?) async throws -> AlertsResponse {
        if let node { _ = try await visibleNode(node, to: caller) }
        return AlertsResponse(alerts: AlertVisibility.visible(try await allAlerts(), to: caller, node: node))
    }

    /// The overview's firing alerts; `nil` (logged) when they cannot be read.
    func overviewAlerts(_ caller: Caller, logger: Logger) async -> [PrometheusAlert]? {
        do {
            return AlertVisibility.visible(try await allAlerts().filter { $0.state == "firing" }, to: caller, node: nil)
        } catch {
            logger.warning("reading alerts for the overview failed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
