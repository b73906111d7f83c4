/// The series the page and the alert rules read, with what turns each on when it is missing.
enum RequiredSeries {
    /// A DCGM field every GPU must report: the page's five metrics, XID and ECC events and the
    /// alert rules over them. `names` includes DCGM 4.6's renamed constants (either counts).
    struct Field: Sendable {
        var names: [String]
        var purpose: String
        /// The line in dcgm-exporter's counters CSV (`-f`) that enables it.
        var csvLine: String
        /// What the AI Factory agent reads it from.
        var agent: String
    }

    static let dcgm: [Field] = [
        Field(names: ["DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_GPU_TEMP_CELSIUS"], purpose: "temperature card and thermal alerts",
              csvLine: "DCGM_FI_DEV_GPU_TEMP, gauge, GPU temperature (in C).", agent: "nvmlDeviceGetTemperature"),
        Field(names: ["DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_GPU_UTIL_RATIO"], purpose: "utilisation card and idle detection",
              csvLine: "DCGM_FI_DEV_GPU_UTIL, gauge, GPU utilization (in %).", agent: "nvmlDeviceGetUtilizationRates"),
        Field(names: ["DCGM_FI_DEV_FB_USED"], purpose: "VRAM card",
              csvLine: "DCGM_FI_DEV_FB_USED, gauge, Framebuffer memory used (in MiB).", agent: "nvmlDeviceGetMemoryInfo"),
        Field(names: ["DCGM_FI_DEV_FB_FREE"], purpose: "VRAM card",
              csvLine: "DCGM_FI_DEV_FB_FREE, gauge, Framebuffer memory free (in MiB).", agent: "nvmlDeviceGetMemoryInfo"),
        Field(names: ["DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_BOARD_POWER_WATTS"], purpose: "power card",
              csvLine: "DCGM_FI_DEV_POWER_USAGE, gauge, Power draw (in W).", agent: "nvmlDeviceGetPowerUsage"),
        Field(names: ["DCGM_FI_DEV_XID_ERRORS", "DCGM_FI_DEV_XID_ERROR"], purpose: "XID events and the Critical pill",
              csvLine: "DCGM_FI_DEV_XID_ERRORS, gauge, Value of the last XID error encountered.", agent: "NVML XID events"),
        Field(names: ["DCGM_FI_DEV_ECC_DBE_VOL_TOTAL"], purpose: "double-bit ECC events and GPUDoubleBitECCError",
              csvLine: "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL, counter, Total number of double-bit volatile ECC errors.",
              agent: "nvmlDeviceGetTotalEccErrors"),
        Field(names: ["DCGM_FI_DEV_ECC_SBE_VOL_TOTAL"], purpose: "single-bit ECC trend and reliability",
              csvLine: "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL, counter, Total number of single-bit volatile ECC errors.",
              agent: "nvmlDeviceGetTotalEccErrors"),
    ]

    /// Every DCGM metric name the coverage query asks for.
    static var dcgmNames: [String] { dcgm.flatMap(\.names) }

    /// vLLM series under their current names (vLLM ≥ 0.10), read by the page and the rules.
    static let vllmCurrent = [
        "vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
        "vllm:time_to_first_token_seconds_count", "vllm:inter_token_latency_seconds_count",
        "vllm:prompt_tokens_total", "vllm:generation_tokens_total", "vllm:request_success_total",
    ]

    /// Deprecated vLLM names → their replacement (docs/VALIDATE.md; shared/reference metrics §3.2).
    static let vllmDeprecated: [String: String] = [
        "vllm:gpu_cache_usage_perc": "vllm:kv_cache_usage_perc",
        "vllm:gpu_prefix_cache_queries_total": "vllm:prefix_cache_queries_total",
        "vllm:gpu_prefix_cache_hits_total": "vllm:prefix_cache_hits_total",
        "vllm:time_per_output_token_seconds_count": "vllm:inter_token_latency_seconds_count",
    ]
}
