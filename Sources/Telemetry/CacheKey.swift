/// What makes two telemetry reads "the same read".
///
/// The product we replace keyed its cache by query text alone, so two tenants sending the same
/// text could be served each other's answers. Here the tenant is part of the key, and so is the
/// backend (two Prometheus servers answer differently) and the time bucket (an answer is only
/// reused within one refresh interval).
public struct CacheKey: Sendable, Hashable, CustomStringConvertible {
    /// Identifies the Prometheus-compatible backend (its base URL and tenant header).
    public var backend: String
    /// The tenant the query was scoped to.
    public var tenant: String
    /// The scoped query text (already carrying the tenant matcher).
    public var query: String
    /// `floor(evaluation time / refresh interval)`: reads in one interval share an answer.
    public var bucket: Int64

    public init(backend: String, tenant: String, query: String, bucket: Int64) {
        self.backend = backend
        self.tenant = tenant
        self.query = query
        self.bucket = bucket
    }

    public var description: String { "\(backend)|\(tenant)|\(bucket)|\(query)" }
}
