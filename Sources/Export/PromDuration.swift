/// Prometheus duration text (`1h30m`, `45s`) for a whole number of seconds.
enum PromDuration {
    /// Formats `seconds` (rounded, at least 1) with the largest units first: `5400` → `1h30m`.
    static func format(seconds: Double) -> String {
        var rest = seconds.isFinite ? max(1, Int(seconds.rounded())) : 1
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
