/// The typed answer of an instant query, one case per Prometheus `resultType`.
///
/// Instant queries may answer with any of the four types depending on the expression
/// (`up` → vector, `1+1` → scalar, `up[5m]` → matrix, `"x"` → string), so the general method
/// returns this enum and the caller decides; `PrometheusClient.query(_:at:)` is the vector
/// convenience most callers want.
public enum QueryResult: Sendable, Hashable {
    case vector([VectorSample])
    case scalar(SamplePoint)
    case matrix([RangeSeries])
    case string(time: Double, value: String)

    /// The Prometheus name of the result type (`vector`, `scalar`, `matrix`, `string`).
    public var resultType: String {
        switch self {
        case .vector: "vector"
        case .scalar: "scalar"
        case .matrix: "matrix"
        case .string: "string"
        }
    }
}
