import PromQL
extension GrafanaDashboard {
    /// Selector filter every panel applies.
    static let scope = #"tenant=~"$tenant", node=~"$node""#
    static let servingScope = #"tenant=~"$tenant", node=~"$node", model_name=~"$model_name""#

    /// The standard dashboard.
    public static func standard() -> GrafanaDashboard {
        let f = scope, v = servingScope
        let rate = "$__rate_interval"
        var layout = Layout()
        layout.row("Golden signals (vLLM)", [
            GrafanaPanel(.timeseries, title: "Request rate", description: "Finished requests per second by model.",
                         targets: [.init("sum by (model_name) (rate(vllm:request_success_total{\(v)}[\(rate)]))", legend: "{{model_name}}")],
                         unit: "reqps", width: 8),
            GrafanaPanel(.timeseries, title: "Error ratio", description: "Share of requests finished with abort or error (alert above 1 %).",
                         targets: [.init("sum by (model_name) (rate(vllm:request_success_total{\(v), finished_reason=~\"abort|error\"}[\(rate)])) / sum by (model_name) (rate(vllm:request_success_total{\(v)}[\(rate)]))", legend: "{{model_name}}")],
                         unit: "percentunit", width: 8, thresholds: [(0.01, "red")]),
            GrafanaPanel(.timeseries, title: "Time to first token", description: "p50/p95/p99 TTFT (alert: p95 above 2 s for 5 min).",
                         targets: [0.5, 0.95, 0.99].map { q in
                             .init("histogram_quantile(\(q), sum by (model_name, le) (rate(vllm:time_to_first_token_seconds_bucket{\(v)}[\(rate)])))",
                                   legend: "p\(Int(q * 100)) {{model_name}}")
                         },
                         unit: "s", width: 8, thresholds: [(2, "red")]),
            GrafanaPanel(.timeseries, title: "Inter-token latency p95",
                         targets: [.init("histogram_quantile(0.95, sum by (model_name, le) (rate(vllm:inter_token_latency_seconds_bucket{\(v)}[\(rate)])))", legend: "{{model_name}}")],
                         unit: "s", width: 8),
            GrafanaPanel(.timeseries, title: "End-to-end latency p95",
                         targets: [.init("histogram_quantile(0.95, sum by (model_name, le) (rate(vllm:e2e_request_latency_seconds_bucket{\(v)}[\(rate)])))", legend: "{{model_name}}")],
                         unit: "s", width: 8),
            GrafanaPanel(.timeseries, title: "Requests running and waiting", description: "Saturation: a growing waiting queue means demand exceeds capacity.",
                         targets: [
                             .init("sum by (model_name) (vllm:num_requests_running{\(v)})", legend: "running {{model_name}}"),
                             .init("sum by (model_name) (vllm:num_requests_waiting{\(v)})", legend: "waiting {{model_name}}"),
                         ], width: 8),
            GrafanaPanel(.timeseries, title: "KV cache usage", description: "vllm:kv_cache_usage_perc (or the pre-0.10 vllm:gpu_cache_usage_perc); alert above 95 %.",
                         targets: [.init("max by (node, model_name) (vllm:kv_cache_usage_perc{\(v)} or vllm:gpu_cache_usage_perc{\(v)})", legend: "{{node}} {{model_name}}")],
                         unit: "percentunit", width: 8, thresholds: [(0.95, "red")], min: 0, max: 1),
            GrafanaPanel(.timeseries, title: "Preemptions",
                         targets: [.init("sum by (model_name) (rate(vllm:num_preemptions_total{\(v)}[\(rate)]))", legend: "{{model_name}}")],
                         unit: "ops", width: 8),
        ])
        layout.row("Tenant usage", [
            GrafanaPanel(.stat, title: "GPUs reporting", description: "GPUs with a temperature series, per tenant.",
                         targets: [.init("count by (tenant) (DCGM_FI_DEV_GPU_TEMP{\(f)})", legend: "{{tenant}}")], width: 6),
            GrafanaPanel(.timeseries, title: "GPU utilisation by tenant",
                         targets: [.init("avg by (tenant) (DCGM_FI_DEV_GPU_UTIL{\(f)})", legend: "{{tenant}}")], unit: "percent", width: 6, min: 0, max: 100),
            GrafanaPanel(.timeseries, title: "Power by tenant",
                         targets: [.init("sum by (tenant) (DCGM_FI_DEV_POWER_USAGE{\(f)})", legend: "{{tenant}}")], unit: "watt", width: 6),
            GrafanaPanel(.timeseries, title: "Framebuffer used by tenant",
                         targets: [.init("sum by (tenant) (DCGM_FI_DEV_FB_USED{\(f)}) / (sum by (tenant) (DCGM_FI_DEV_FB_USED{\(f)}) + sum by (tenant) (DCGM_FI_DEV_FB_FREE{\(f)}))", legend: "{{tenant}}")],
                         unit: "percentunit", width: 6, min: 0, max: 1),
            GrafanaPanel(.timeseries, title: "Tokens per second by tenant",
                         targets: [
                             .init("sum by (tenant) (rate(vllm:prompt_tokens_total{\(v)}[\(rate)]))", legend: "prompt {{tenant}}"),
                             .init("sum by (tenant) (rate(vllm:generation_tokens_total{\(v)}[\(rate)]))", legend: "generation {{tenant}}"),
                         ], width: 12),
            GrafanaPanel(.timeseries, title: "Requests per second by tenant",
                         targets: [.init("sum by (tenant) (rate(vllm:request_success_total{\(v)}[\(rate)]))", legend: "{{tenant}}")], unit: "reqps", width: 12),
        ])
        layout.row("Pool health", [
            GrafanaPanel(.stat, title: "GPUs per pool",
                         targets: [.init("count by (pool) (DCGM_FI_DEV_GPU_TEMP{\(f), pool!=\"\"})", legend: "{{pool}}")], width: 6),
            GrafanaPanel(.timeseries, title: "Pool utilisation",
                         targets: [.init("avg by (pool) (DCGM_FI_DEV_GPU_UTIL{\(f), pool!=\"\"})", legend: "{{pool}}")], unit: "percent", width: 6, min: 0, max: 100),
            GrafanaPanel(.timeseries, title: "Pool exporters up",
                         targets: [.init("sum by (pool, job) (up{\(f), pool!=\"\"}) / count by (pool, job) (up{\(f), pool!=\"\"})", legend: "{{pool}} {{job}}")],
                         unit: "percentunit", width: 6, thresholds: [(0, "red"), (1, "green")], min: 0, max: 1),
            GrafanaPanel(.timeseries, title: "Pool TTFT p95",
                         targets: [.init("histogram_quantile(0.95, sum by (pool, le) (rate(vllm:time_to_first_token_seconds_bucket{\(v), pool!=\"\"}[\(rate)])))", legend: "{{pool}}")],
                         unit: "s", width: 6),
        ])
        layout.row("Prefix-cache efficiency", [
            GrafanaPanel(.timeseries, title: "Prefix cache hit ratio", description: "Share of prompt tokens served from the prefix cache.",
                         targets: [.init("sum by (model_name) (rate(vllm:prefix_cache_hits_total{\(v)}[\(rate)])) / sum by (model_name) (rate(vllm:prefix_cache_queries_total{\(v)}[\(rate)]))", legend: "{{model_name}}")],
                         unit: "percentunit", width: 8, min: 0, max: 1),
            GrafanaPanel(.timeseries, title: "Prefix cache queries and hits",
                         targets: [
                             .init("sum by (model_name) (rate(vllm:prefix_cache_queries_total{\(v)}[\(rate)]))", legend: "queried {{model_name}}"),
                             .init("sum by (model_name) (rate(vllm:prefix_cache_hits_total{\(v)}[\(rate)]))", legend: "hit {{model_name}}"),
                         ], width: 8),
            GrafanaPanel(.timeseries, title: "Prefix cache hit ratio by node",
                         targets: [.init("sum by (node) (rate(vllm:prefix_cache_hits_total{\(v)}[\(rate)])) / sum by (node) (rate(vllm:prefix_cache_queries_total{\(v)}[\(rate)]))", legend: "{{node}}")],
                         unit: "percentunit", width: 8, min: 0, max: 1),
        ])
        // NVIDIA's dcgm-exporter dashboard (8 panels), same titles, sizes and metrics.
        layout.row("GPU health (DCGM)", [
            GrafanaPanel(.timeseries, title: "GPU Temperature",
                         targets: [.init("DCGM_FI_DEV_GPU_TEMP{\(f)}", legend: "{{node}} GPU {{gpu}}")], unit: "celsius", width: 18),
            GrafanaPanel(.gauge, title: "GPU Avg. Temp",
                         targets: [.init("avg(DCGM_FI_DEV_GPU_TEMP{\(f)})")], unit: "celsius", width: 6,
                         thresholds: [(83, "#EAB839"), (87, "red")], min: 0, max: 100),
            GrafanaPanel(.timeseries, title: "GPU Power Usage",
                         targets: [.init("DCGM_FI_DEV_POWER_USAGE{\(f)}", legend: "{{node}} GPU {{gpu}}")], unit: "watt", width: 18),
            GrafanaPanel(.gauge, title: "GPU Power Total",
                         targets: [.init("sum(DCGM_FI_DEV_POWER_USAGE{\(f)})")], unit: "watt", width: 6,
                         thresholds: [(1800, "#EAB839"), (2200, "red")], min: 0, max: 2400),
            GrafanaPanel(.timeseries, title: "GPU SM Clocks",
                         targets: [.init("DCGM_FI_DEV_SM_CLOCK{\(f)} * 1000000", legend: "{{node}} GPU {{gpu}}")], unit: "hertz", width: 12),
            GrafanaPanel(.timeseries, title: "GPU Utilization",
                         targets: [.init("DCGM_FI_DEV_GPU_UTIL{\(f)}", legend: "{{node}} GPU {{gpu}}")], unit: "percent", width: 12, min: 0, max: 100),
            GrafanaPanel(.timeseries, title: "GPU Framebuffer Mem Used",
                         targets: [.init("DCGM_FI_DEV_FB_USED{\(f)}", legend: "{{node}} GPU {{gpu}}")], unit: "decmbytes", width: 12),
            GrafanaPanel(.timeseries, title: "Tensor Core Utilization",
                         targets: [.init("DCGM_FI_PROF_PIPE_TENSOR_ACTIVE{\(f)}", legend: "{{node}} GPU {{gpu}}")], unit: "percentunit", width: 12, min: 0, max: 1),
        ])
        layout.row("GPU faults", [
            GrafanaPanel(.timeseries, title: "Last XID per GPU", description: "DCGM_FI_DEV_XID_ERRORS is the last XID (sticky), not a count; a change is an event.",
                         targets: [.init("max by (node, gpu, err_code) (DCGM_FI_DEV_XID_ERRORS{\(f)} > 0)", legend: "{{node}} GPU {{gpu}} XID {{err_code}}")], width: 8),
            GrafanaPanel(.timeseries, title: "Double-bit ECC errors in range",
                         targets: [.init("sum by (node, gpu) (increase(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL{\(f)}[$__range]))", legend: "{{node}} GPU {{gpu}}")],
                         width: 8, thresholds: [(1, "red")]),
            GrafanaPanel(.timeseries, title: "Row remap failures",
                         targets: [.init("max by (node, gpu) (DCGM_FI_DEV_ROW_REMAP_FAILURE{\(f)})", legend: "{{node}} GPU {{gpu}}")],
                         width: 8, thresholds: [(1, "red")]),
            GrafanaPanel(.timeseries, title: "PCIe link width (current / max)",
                         targets: [.init("max by (node, gpu) (DCGM_FI_DEV_PCIE_LINK_WIDTH{\(f)}) / max by (node, gpu) (DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH{\(f)})", legend: "{{node}} GPU {{gpu}}")],
                         unit: "percentunit", width: 8, min: 0, max: 1),
            GrafanaPanel(.timeseries, title: "Hardware clock events",
                         description: "1 while HW_SLOWDOWN (0x8), HW_THERMAL (0x40) or HW_POWER_BRAKE (0x80) is set.",
                         targets: [(8, "hw_slowdown"), (64, "hw_thermal"), (128, "hw_power_brake")].map { bit, name in
                             .init("max by (node, gpu) (floor(DCGM_FI_DEV_CLOCK_THROTTLE_REASONS{\(f)} / \(bit)) % 2)", legend: "{{node}} GPU {{gpu}} \(name)")
                         }, width: 8),
            GrafanaPanel(.table, title: "Firing alerts",
                         targets: [.init("ALERTS{alertstate=\"firing\", \(f)}")], width: 8),
        ])
        return GrafanaDashboard(
            title: "AI Factory", uid: "aifactory-overview", panels: layout.panels,
            variables: [
                Variable(name: ScopeLabel.tenant, label: "Tenant", query: "label_values(up, \(ScopeLabel.tenant))"),
                Variable(name: "node", label: "Node", query: #"label_values(DCGM_FI_DEV_GPU_TEMP{tenant=~"$tenant"}, node)"#),
                Variable(name: "model_name", label: "Model", query: #"label_values(vllm:num_requests_running{tenant=~"$tenant", node=~"$node"}, model_name)"#),
            ])
    }

    /// Places panels left to right in 24 columns, wrapping, each row under a row header.
    struct Layout {
        var panels: [GrafanaPanel] = []
        var y = 0

        mutating func row(_ title: String, _ content: [GrafanaPanel]) {
            panels.append(GrafanaPanel(.row, title: title, x: 0, y: y, width: 24, height: 1))
            y += 1
            var x = 0, rowHeight = 0
            for var panel in content {
                if x + panel.width > 24 {
                    y += rowHeight
                    x = 0
                    rowHeight = 0
                }
                panel.x = x
                panel.y = y
                x += panel.width
                rowHeight = max(rowHeight, panel.height)
                panels.append(panel)
            }
            y += rowHeight
        }
    }
}
