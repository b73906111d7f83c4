// expect: cannot convert value of type 'LabelScopedQuery' to expected argument type 'ScopedQuery'
// A tenant route confines a query to a pool but not to the caller's tenant.
import Factory
import Foundation
import PromQL
import PrometheusClient

func tenantRead(_ caller: Caller, client: PrometheusClient) async throws {
    let query = try LabelScope(label: ScopeLabel.pool, value: "shared").rewrite("up")
    _ = try await client.queryRange(query, start: .now - 3600, end: .now, step: .seconds(60))
}
