import PromQL
/// The catalog behind ``AlertRuleSet/standard(_:)``: one property per rule group.
///
/// Conventions:
/// - Per-GPU alerts aggregate `by (tenant, node, gpu)`, serving alerts `by (tenant, node, model_name)`:
///   stable label sets for Alertmanager grouping and for the unit tests, and no exporter-specific
///   labels (`Hostname`/`hostname`, `pod`/`exported_pod`) to trip over.
/// - `DCGM_FI_DEV_XID_ERRORS` is the *last* XID (sticky) and its `err_code` label mirrors the value,
///   so a new XID is a series (per `err_code`) that did not exist one window ago; a value above 0
///   alone means nothing.
/// - Window lengths go through ``AlertRuleOptions/duration(_:)`` so tests can shrink them.
struct StandardRules {
    let options: AlertRuleOptions

    /// XIDs that make a GPU unusable until reset/reboot or hardware inspection (metrics.md §4.2:
    /// memory class 48, 64, 95, 140; bus/firmware class 46, 62, 74, 79, 109, 119, 120; 121, 143).
    static let criticalXIDs = [46, 48, 62, 64, 74, 79, 95, 109, 119, 120, 121, 140, 143]

    static let gpuLabels = "tenant, node, gpu"
    static let servingLabels = "tenant, node, model_name"

    private func w(_ seconds: Double) -> String { options.duration(seconds) }

    // MARK: GPU hardware

    var gpu: [AlertRule] {
        let g = Self.gpuLabels
        let xids = Self.criticalXIDs.map(String.init).joined(separator: "|")
        let reasons = "(DCGM_FI_DEV_CLOCK_THROTTLE_REASONS or DCGM_FI_DEV_CLOCKS_EVENT_REASONS)"
        return [
            AlertRule(
                name: "GPUCriticalXID",
                expr: "(max by (\(g), err_code) (last_over_time(DCGM_FI_DEV_XID_ERRORS{err_code=~\"\(xids)\"}[\(w(300))]))"
                    + " unless on (\(g), err_code) DCGM_FI_DEV_XID_ERRORS offset \(w(300)))"
                    + " or max by (\(g), err_code) (label_replace(DCGM_EXP_XID_ERRORS_COUNT{xid=~\"\(xids)\"} > 0, \"err_code\", \"$1\", \"xid\", \"(.+)\"))",
                severity: .critical,
                summary: "Critical XID {{ $labels.err_code }} on GPU {{ $labels.gpu }} of {{ $labels.node }}",
                description: "GPU {{ $labels.gpu }} on node {{ $labels.node }} (tenant {{ $labels.tenant }}) reported XID {{ $labels.err_code }}, an error that leaves the GPU unusable until it is reset, the node rebooted, or the hardware inspected."),
            AlertRule(
                name: "GPUDoubleBitECCError",
                expr: "sum by (\(g)) (increase(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL[\(w(600))])) > 0",
                severity: .critical,
                summary: "Uncorrectable (double-bit) ECC error on GPU {{ $labels.gpu }} of {{ $labels.node }}",
                description: "The volatile double-bit ECC counter of GPU {{ $labels.gpu }} on {{ $labels.node }} grew in the last \(w(600)); the data in that GPU's memory cannot be trusted and the running job is likely corrupted or dead."),
            AlertRule(
                name: "GPUTemperatureHigh",
                expr: "max by (\(g)) (DCGM_FI_DEV_GPU_TEMP) > 85",
                duration: w(300),
                severity: .warning,
                summary: "GPU {{ $labels.gpu }} of {{ $labels.node }} above 85 °C",
                description: "GPU {{ $labels.gpu }} on {{ $labels.node }} has been above 85 °C for \(w(300)) (now {{ $value }} °C); clocks will be cut near the slowdown temperature."),
            AlertRule(
                name: "GPUTemperatureCritical",
                expr: "max by (\(g)) (DCGM_FI_DEV_GPU_TEMP) >= 90",
                duration: w(60),
                severity: .critical,
                summary: "GPU {{ $labels.gpu }} of {{ $labels.node }} at or above 90 °C",
                description: "GPU {{ $labels.gpu }} on {{ $labels.node }} is at {{ $value }} °C, at or beyond the slowdown threshold: it throttles now and shuts down if it keeps heating."),
            AlertRule(
                name: "GPURowRemapFailure",
                expr: "max by (\(g)) (DCGM_FI_DEV_ROW_REMAP_FAILURE) > 0",
                severity: .critical,
                summary: "Row remapping failed on GPU {{ $labels.gpu }} of {{ $labels.node }}",
                description: "GPU {{ $labels.gpu }} on {{ $labels.node }} could not remap a faulty memory row: its spare rows are exhausted, and the GPU qualifies for RMA."),
            AlertRule(
                name: "GPUPCIeLinkDowngraded",
                expr: "(max by (\(g)) (DCGM_FI_DEV_PCIE_LINK_WIDTH) < max by (\(g)) (DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH))"
                    + " or ((max by (\(g)) (DCGM_FI_DEV_PCIE_LINK_GEN) < max by (\(g)) (DCGM_FI_DEV_PCIE_MAX_LINK_GEN))"
                    + " and on (\(g)) (max by (\(g)) (DCGM_FI_DEV_GPU_UTIL) > 50))",
                duration: w(300),
                severity: .warning,
                summary: "PCIe link of GPU {{ $labels.gpu }} on {{ $labels.node }} below its maximum",
                description: "GPU {{ $labels.gpu }} on {{ $labels.node }} runs with fewer PCIe lanes than it supports, or below its maximum PCIe generation while busy, for \(w(300)); host transfers are slower and the link is likely damaged or badly seated."),
            AlertRule(
                name: "GPUHardwareSlowdown",
                expr: "max by (\(g)) (floor(\(reasons) / 8) % 2) == 1",
                duration: w(300),
                severity: .warning,
                summary: "Hardware slowdown on GPU {{ $labels.gpu }} of {{ $labels.node }}",
                description: "GPU {{ $labels.gpu }} on {{ $labels.node }} has had the HW_SLOWDOWN clock event (0x8) for \(w(300)): clocks are cut by half or more because of temperature, power brake or excessive draw."),
            AlertRule(
                name: "GPUThermalOrPowerBrake",
                expr: "max by (\(g)) (floor(\(reasons) / 64) % 2 == 1 or floor(\(reasons) / 128) % 2 == 1)",
                duration: w(60),
                severity: .critical,
                summary: "Thermal or power-brake slowdown on GPU {{ $labels.gpu }} of {{ $labels.node }}",
                description: "GPU {{ $labels.gpu }} on {{ $labels.node }} reports HW_THERMAL (0x40) or HW_POWER_BRAKE (0x80) for \(w(60)): cooling or the facility/PSU power brake is throttling it."),
            AlertRule(
                name: "GPUMissing",
                expr: "(max by (\(g)) (last_over_time(DCGM_FI_DEV_GPU_TEMP[\(w(3600))])) unless on (\(g)) DCGM_FI_DEV_GPU_TEMP)"
                    + " and on (tenant, node) (max by (tenant, node) (up{job=\"dcgm\"}) == 1)",
                duration: w(60),
                severity: .critical,
                summary: "GPU {{ $labels.gpu }} of {{ $labels.node }} stopped reporting",
                description: "The DCGM exporter on {{ $labels.node }} answers, but GPU {{ $labels.gpu }}, seen in the last \(w(3600)), is gone from it: the GPU has most likely fallen off the bus (XID 79) or failed to initialise."),
            AlertRule(
                name: "ExporterDown",
                expr: "min by (tenant, node, job) (up{job=~\"dcgm|vllm\"}) == 0",
                duration: w(60),
                severity: .critical,
                summary: "{{ $labels.job }} exporter on {{ $labels.node }} is down",
                description: "Prometheus cannot scrape the {{ $labels.job }} endpoint of {{ $labels.node }} (tenant {{ $labels.tenant }}) for \(w(60)): the node is down, unreachable, or its exporter crashed. Alerts on this node's GPUs are inhibited while this fires."),
            AlertRule(
                name: "GPUMetricsAbsent",
                expr: "(max by (tenant, node) (up{job=\"dcgm\"}) == 1) unless on (tenant, node) count by (tenant, node) (DCGM_FI_DEV_GPU_TEMP)",
                duration: w(300),
                severity: .critical,
                summary: "No GPU metrics from {{ $labels.node }}",
                description: "The DCGM exporter of {{ $labels.node }} answers but has published no GPU series for \(w(300)): DCGM lost its GPUs (driver or nv-hostengine problem), so nothing on this node is monitored."),
            AlertRule(
                name: "GPUHealthFieldsMissing",
                expr: "count by (tenant, node) (DCGM_FI_DEV_GPU_TEMP) unless on (tenant, node)"
                    + " (count by (tenant, node) (DCGM_FI_DEV_ECC_DBE_VOL_TOTAL) and on (tenant, node) count by (tenant, node) (DCGM_FI_DEV_PCIE_LINK_WIDTH))",
                duration: w(1800),
                severity: .warning,
                summary: "{{ $labels.node }} does not export ECC or PCIe link fields",
                description: "The DCGM exporter of {{ $labels.node }} publishes GPU series but not DCGM_FI_DEV_ECC_DBE_VOL_TOTAL or DCGM_FI_DEV_PCIE_LINK_WIDTH; the ECC and PCIe alerts can never fire for it. Absent fields are unknown, not healthy."),
        ]
    }

    /// `GPUMetricsAbsent` for one node from the inventory: fires when the node has published no GPU
    /// temperature for 10 minutes, including when it vanished from service discovery.
    ///
    /// Annotation templates see only the expression's labels (`node`, from the matcher), not the
    /// rule's static `tenant`, so the text names node and tenant literally.
    ///
    /// The `for:` is there for a Prometheus with an empty TSDB (a new install, the demo): its
    /// first rule evaluation runs before its first scrape lands, `absent_over_time` then holds for
    /// every inventory node, and without a hold the rule fired critical for the whole fleet at
    /// once, resolving a scrape later.
    func absent(for target: AlertTarget) -> AlertRule {
        AlertRule(
            name: "GPUMetricsAbsent",
            expr: "absent_over_time(DCGM_FI_DEV_GPU_TEMP{node=\"\(target.node)\"}[\(w(600))])",
            duration: w(120),
            severity: .critical,
            labels: [ScopeLabel.tenant: target.tenant, ScopeLabel.node: target.node],
            summary: "No GPU metrics from {{ $labels.node }}",
            description: "Node \(target.node) (tenant \(target.tenant)) is in the inventory but Prometheus has received no DCGM series from it for \(w(600)): the node, its exporter or its scrape target is gone.")
    }

    // MARK: Serving

    var serving: [AlertRule] {
        let s = Self.servingLabels
        return [
            AlertRule(
                name: "VLLMTimeToFirstTokenHigh",
                expr: "histogram_quantile(0.95, sum by (\(s), le) (rate(vllm:time_to_first_token_seconds_bucket[\(w(300))]))) > 2",
                duration: w(300),
                severity: .warning,
                summary: "p95 time to first token above 2 s for {{ $labels.model_name }} on {{ $labels.node }}",
                description: "The 95th percentile time to first token of {{ $labels.model_name }} on {{ $labels.node }} has been above 2 s for \(w(300)); users wait before any output appears."),
            AlertRule(
                name: "VLLMKVCacheFull",
                expr: "max by (\(s)) (vllm:kv_cache_usage_perc or vllm:gpu_cache_usage_perc) > 0.95",
                duration: w(300),
                severity: .warning,
                summary: "KV cache of {{ $labels.model_name }} on {{ $labels.node }} above 95 %",
                description: "vLLM serving {{ $labels.model_name }} on {{ $labels.node }} has used more than 95 % of its KV cache for \(w(300)); new requests queue and running ones get preempted."),
            AlertRule(
                name: "VLLMQueueGrowing",
                expr: "(max by (\(s)) (vllm:num_requests_waiting) > 10) and on (\(s)) (max by (\(s)) (deriv(vllm:num_requests_waiting[\(w(600))])) > 0)",
                duration: w(600),
                severity: .warning,
                summary: "Request queue of {{ $labels.model_name }} on {{ $labels.node }} keeps growing",
                description: "More than 10 requests wait for {{ $labels.model_name }} on {{ $labels.node }} (now {{ $value }}) and the queue has grown for \(w(600)): demand exceeds capacity."),
            AlertRule(
                name: "VLLMPreemptions",
                expr: "sum by (\(s)) (rate(vllm:num_preemptions_total[\(w(300))])) * 60 > 1",
                duration: w(600),
                severity: .warning,
                summary: "vLLM preempting requests of {{ $labels.model_name }} on {{ $labels.node }}",
                description: "vLLM serving {{ $labels.model_name }} on {{ $labels.node }} has preempted more than one request per minute for \(w(600)): the KV cache is too small for the load, and preempted requests are recomputed."),
            AlertRule(
                name: "VLLMRequestSuccessRateLow",
                expr: "sum by (\(s)) (rate(vllm:request_success_total{finished_reason=~\"abort|error\"}[\(w(300))]))"
                    + " / sum by (\(s)) (rate(vllm:request_success_total[\(w(300))])) > 0.01",
                duration: w(300),
                severity: .warning,
                summary: "Success rate of {{ $labels.model_name }} on {{ $labels.node }} below 99 %",
                description: "More than 1 % of the requests to {{ $labels.model_name }} on {{ $labels.node }} finished with abort or error for \(w(300))."),
        ]
    }

    // MARK: SLO burn rates (Google SRE workbook, multi-window multi-burn-rate)

    /// Fraction of requests slower than the TTFT objective over `window`.
    private func ttftBadRatio(_ window: String) -> String {
        let s = Self.servingLabels
        return "(1 - sum by (\(s)) (rate(vllm:time_to_first_token_seconds_bucket{le=\"\(options.ttftSLOBucket)\"}[\(window)]))"
            + " / sum by (\(s)) (rate(vllm:time_to_first_token_seconds_count[\(window)])))"
    }

    /// Fraction of finished requests that aborted or failed over `window`.
    private func availabilityBadRatio(_ window: String) -> String {
        let s = Self.servingLabels
        return "(sum by (\(s)) (rate(vllm:request_success_total{finished_reason=~\"abort|error\"}[\(window)]))"
            + " / sum by (\(s)) (rate(vllm:request_success_total[\(window)])))"
    }

    /// Fast (1h with a 5m confirmation, 14.4×: 2 % of a 30-day budget in an hour) → critical;
    /// slow (6h with a 30m confirmation, 6×: 5 % in six hours) → warning.
    private func burnRules(
        name: String, what: String, objective: Double, ratio: (String) -> String
    ) -> [AlertRule] {
        let budget = "(1 - \(objective))"
        let windows: [(long: Double, short: Double, factor: String, severity: AlertSeverity, label: String, duration: Double)] = [
            (3600, 300, "14.4", .critical, "fast", 120),
            (21600, 1800, "6", .warning, "slow", 900),
        ]
        return windows.map { window in
            AlertRule(
                name: name,
                expr: "(\(ratio(w(window.long))) > \(window.factor) * \(budget)) and (\(ratio(w(window.short))) > \(window.factor) * \(budget))",
                duration: w(window.duration),
                severity: window.severity,
                labels: ["burn": window.label],
                summary: "\(what) error budget of {{ $labels.model_name }} on {{ $labels.node }} burning \(window.factor)× too fast",
                description: "Over both the last \(w(window.long)) and the last \(w(window.short)), requests to {{ $labels.model_name }} on {{ $labels.node }} missed the \(what) objective (\(objective)) \(window.factor) times faster than the error budget allows; at \(window.factor)× the sustainable rate the 30-day budget is gone in \(window.label == "fast" ? "about 2 days" : "5 days").")
        }
    }

    var slo: [AlertRule] {
        burnRules(name: "VLLMTTFTBudgetBurn", what: "TTFT ≤ \(options.ttftSLOBucket) s", objective: options.ttftObjective, ratio: ttftBadRatio)
            + burnRules(name: "VLLMAvailabilityBudgetBurn", what: "availability", objective: options.availabilityObjective, ratio: availabilityBadRatio)
    }

    // MARK: Pipeline

    var meta: [AlertRule] {
        [
            AlertRule(
                name: "Watchdog",
                expr: "vector(1) and on () (count(up) > 0)",
                severity: .none,
                summary: "Alerting pipeline check (always firing)",
                description: "This alert always fires while Prometheus scrapes anything. If the operator's dead-man's switch stops receiving it, Prometheus has no targets, rule evaluation stopped, or delivery to Alertmanager is broken.",
                operatorOnly: true),
        ]
    }
}
