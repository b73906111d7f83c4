/// Knobs for ``AlertRuleSet/standard(_:)``.
///
/// `durationScale` multiplies every `for:` and every range or offset window, so integration tests
/// can run the real rules in seconds (`0.1` turns `for: 5m` into `for: 30s` and `[1h]` into `[6m]`).
/// `1.0` is production. Scaled durations are rounded to whole seconds and never drop below `1s`.
public struct AlertRuleOptions: Sendable, Hashable {
    /// Factor applied to every `for:` and range/offset window; must be positive (non-positive values are treated as 1).
    public var durationScale: Double
    /// Prefix of every `runbook_url` annotation: the URL is `runbookBaseURL + AlertName + ".md"`.
    /// Defaults to the repository-relative `docs/runbooks/`; use a repository URL such as
    /// `https://git.example/aifactory/blob/main/docs/runbooks/` for links that work from a pager.
    public var runbookBaseURL: String
    /// TTFT latency objective: the upper bound (a `le` bucket of `vllm:time_to_first_token_seconds`,
    /// written exactly as vLLM writes it) that ``ttftObjective`` of requests must meet.
    public var ttftSLOBucket: String
    /// Fraction of requests that must get their first token within ``ttftSLOBucket`` seconds (p99 → 0.99).
    public var ttftObjective: Double
    /// Fraction of finished requests that must not end in `abort` or `error`.
    public var availabilityObjective: Double

    public init(
        durationScale: Double = 1.0,
        runbookBaseURL: String = "docs/runbooks/",
        ttftSLOBucket: String = "2.5",
        ttftObjective: Double = 0.99,
        availabilityObjective: Double = 0.999
    ) {
        self.durationScale = durationScale > 0 && durationScale.isFinite ? durationScale : 1
        self.runbookBaseURL = runbookBaseURL
        self.ttftSLOBucket = ttftSLOBucket
        self.ttftObjective = ttftObjective
        self.availabilityObjective = availabilityObjective
    }

    /// `seconds × durationScale` as a Prometheus duration (`1h`, `36m`, `1m30s`), at least `1s`.
    public func duration(_ seconds: Double) -> String {
        PromDuration.format(seconds: max(1, (seconds * durationScale).rounded()))
    }
}
