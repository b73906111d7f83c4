/// What the live progress line shows, once a second.
public struct ProgressSnapshot: Sendable {
    public var level: Level
    /// True while warm-up requests run (not measured).
    public var warmingUp: Bool
    public var finished: Int
    public var errors: Int
    /// Target count, when bounded by count.
    public var target: Int?
    public var elapsedSeconds: Double
    public var ttftP50Milliseconds: Double?

    /// One line: `c16 · 812/1000 · 3 errors · 41.2 req/s · TTFT p50 52.3 ms · 19.7 s`.
    public var line: String {
        var parts = [level.label + (warmingUp ? " (warm-up)" : "")]
        parts.append(target.map { "\(finished)/\($0)" } ?? "\(finished) done")
        parts.append("\(errors) errors")
        if elapsedSeconds > 0 { parts.append(fixed(Double(finished) / elapsedSeconds, 1) + " req/s") }
        if let ttft = ttftP50Milliseconds { parts.append("TTFT p50 " + fixed(ttft, 1) + " ms") }
        parts.append(fixed(elapsedSeconds, 1) + " s")
        return parts.joined(separator: " · ")
    }
}

/// `value` with `digits` decimals, without Foundation's locale-dependent formatting.
func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
    if digits > 0 {
        let fraction = Int(scaled - Double(whole) * scale)
        let digitsText = String(fraction)
        text += "." + String(repeating: "0", count: digits - digitsText.count) + digitsText
    }
    return text
}
