/// DCGM's "blank" sentinels: values that mean *no reading*, never a measurement.
///
/// DCGM writes these into a field it could not read (`dcgm_structs.h`, "DCGM blank values"): a base
/// value plus 0…15 for the reason (blank, not found, not supported, not permissioned, …):
/// `DCGM_INT32_BLANK` 0x7ffffff0, `DCGM_INT64_BLANK` 0x7ffffffffffffff0 (≈ 9.22e18, printed by older
/// exporters, e.g. `9223372036854775794` in dcgm-exporter's README) and `DCGM_FP64_BLANK` 2⁴⁷.
/// Current exporters skip them, older ones print them; either way they must read as "not available",
/// never as a 9-quintillion-degree GPU. See metrics.md §1.3.
public enum DCGMBlank {
    /// Anything at or above this is an int64 blank (metrics.md: "values ≥ 9.2e18").
    public static let int64Threshold = 9.2e18
    /// `DCGM_INT32_BLANK`.
    public static let int32Base = 2_147_483_632.0
    /// `DCGM_FP64_BLANK` (2⁴⁷).
    public static let fp64Base = 140_737_488_355_328.0

    /// `true` when `value` is a blank sentinel, NaN or infinite.
    public static func isBlank(_ value: Double) -> Bool {
        guard value.isFinite else { return true }
        if value >= int64Threshold { return true }
        if value >= int32Base && value < int32Base + 16 { return true }
        if value >= fp64Base && value < fp64Base + 16 { return true }
        return false
    }

    /// `value`, or `nil` when it is absent or a blank.
    public static func reading(_ value: Double?) -> Double? {
        guard let value, !isBlank(value) else { return nil }
        return value
    }
}
