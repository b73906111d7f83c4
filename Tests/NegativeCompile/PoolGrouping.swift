// expect: PoolAggregateQuery
// A consumer's pool figure passed off as a tenant query: the types do not mix.
import Factory
import PromQL
import PrometheusClient

func tenantRead(_ pool: PoolAggregateQuery, client: PrometheusClient) async throws -> ScopedQuery {
    let scoped: ScopedQuery = pool
    return scoped
}
