/// How a sample value is written, matching the exporter being imitated.
public enum ValueFormat: Sendable, Hashable {
    /// Go `%d`: the value rounded to an integer (dcgm-exporter's int64 fields).
    case integer
    /// Go `%f`: six decimals (dcgm-exporter's float64 fields, e.g. `40.979000`).
    case fixed6
    /// Python `repr(float)` as prometheus_client writes it: `1.0`, `0.25`, `1e-05`, `+Inf`.
    case python
}
