import Export

/// Hand-written `promtool test rules` cases: every alert fires in one check and stays quiet in another.
///
/// Times are minutes from the start of the group (interval 1m, so value index = minute). Node
/// `n1` belongs to tenant `acme`, `n2` to `globex`. The rule file is the committed one, rendered for
/// the demo fleet, so its per-node `GPUMetricsAbsent` rules see the demo nodes (`demoTemps`).
enum PromtoolCases {
    typealias Series = PromtoolTestFile.Series
    typealias Check = PromtoolTestFile.Check
    typealias Expected = PromtoolTestFile.Expected
    typealias Group = PromtoolTestFile.Group

    /// `name{tenant="acme",node="n1",k="v",…}`.
    static func s(_ name: String, _ labels: [(String, String)] = [], tenant: String = "acme", node: String = "n1") -> String {
        let all = [("tenant", tenant), ("node", node)] + labels
        return name + "{" + all.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}"
    }

    static func gpu(_ index: String, tenant: String = "acme", node: String = "n1") -> [String: String] {
        ["tenant": tenant, "node": node, "gpu": index]
    }

    static func model(_ name: String, tenant: String = "acme", node: String = "n1") -> [String: String] {
        ["tenant": tenant, "node": node, "model_name": name]
    }

    static func vllm(_ name: String, model: String, _ extra: [(String, String)] = [], tenant: String = "acme", node: String = "n1") -> String {
        s(name, [("engine", "0"), ("model_name", model)] + extra, tenant: tenant, node: node)
    }

    /// A temperature series for every demo node except `except`, which reports until `stopsAfter`.
    static func demoTemps(_ targets: [AlertTarget], except: String? = nil, stopsAfter: Int = 5) -> [Series] {
        targets.map { target in
            Series(series: s("DCGM_FI_DEV_GPU_TEMP", [("gpu", "0")], tenant: target.tenant, node: target.node),
                   values: target.node == except ? "60x\(stopsAfter)" : "60x40")
        }
    }

    static func groups(demo targets: [AlertTarget]) -> [Group] {
        let absentNode = targets.first?.node ?? "none"
        let absentTenant = targets.first?.tenant ?? "none"
        return [
            Group(name: "GPUCriticalXID: a new critical err_code series fires for one window; old sticky and non-critical XIDs do not", series: [
                Series(series: s("DCGM_FI_DEV_XID_ERRORS", [("gpu", "0"), ("err_code", "0")]), values: "0x10"),
                Series(series: s("DCGM_FI_DEV_XID_ERRORS", [("gpu", "0"), ("err_code", "79")]), values: "_x10 79x20"),
                Series(series: s("DCGM_FI_DEV_XID_ERRORS", [("gpu", "1"), ("err_code", "0")]), values: "0x10"),
                Series(series: s("DCGM_FI_DEV_XID_ERRORS", [("gpu", "1"), ("err_code", "13")]), values: "_x10 13x20"),
                Series(series: s("DCGM_FI_DEV_XID_ERRORS", [("gpu", "3"), ("err_code", "48")]), values: "48x30"),
                Series(series: s("DCGM_EXP_XID_ERRORS_COUNT", [("gpu", "2"), ("xid", "48")]), values: "1x15 0x15"),
            ], checks: [
                Check(at: "13m", alert: "GPUCriticalXID", firing: [
                    Expected(labels: gpu("0").merging(["err_code": "79"]) { $1 }),
                    Expected(labels: gpu("2").merging(["err_code": "48"]) { $1 }),
                ]),
                Check(at: "25m", alert: "GPUCriticalXID", firing: []),
            ]),
            Group(name: "GPUDoubleBitECCError: the DBE counter grows", series: [
                Series(series: s("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", [("gpu", "0")]), values: "0x10 1x30"),
                Series(series: s("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", [("gpu", "1")]), values: "3x40"),
            ], checks: [
                Check(at: "12m", alert: "GPUDoubleBitECCError", firing: [Expected(labels: gpu("0"))]),
                Check(at: "30m", alert: "GPUDoubleBitECCError", firing: []),
            ]),
            Group(name: "GPUTemperatureHigh / GPUTemperatureCritical", series: [
                Series(series: s("DCGM_FI_DEV_GPU_TEMP", [("gpu", "0")]), values: "80x5 87x20"),
                Series(series: s("DCGM_FI_DEV_GPU_TEMP", [("gpu", "1")]), values: "80x5 92x20"),
                Series(series: s("DCGM_FI_DEV_GPU_TEMP", [("gpu", "2")]), values: "84x25"),
            ], checks: [
                Check(at: "8m", alert: "GPUTemperatureHigh", firing: []),
                Check(at: "12m", alert: "GPUTemperatureHigh", firing: [
                    Expected(labels: gpu("0"), value: "87"), Expected(labels: gpu("1"), value: "92"),
                ]),
                Check(at: "5m", alert: "GPUTemperatureCritical", firing: []),
                Check(at: "10m", alert: "GPUTemperatureCritical", firing: [Expected(labels: gpu("1"), value: "92")]),
            ]),
            Group(name: "GPURowRemapFailure", series: [
                Series(series: s("DCGM_FI_DEV_ROW_REMAP_FAILURE", [("gpu", "0")]), values: "0x5 1x10"),
                Series(series: s("DCGM_FI_DEV_ROW_REMAP_FAILURE", [("gpu", "1")]), values: "0x15"),
            ], checks: [
                Check(at: "3m", alert: "GPURowRemapFailure", firing: []),
                Check(at: "10m", alert: "GPURowRemapFailure", firing: [Expected(labels: gpu("0"))]),
            ]),
            Group(name: "GPUPCIeLinkDowngraded: width below max; gen below max only under load", series: [
                Series(series: s("DCGM_FI_DEV_PCIE_LINK_WIDTH", [("gpu", "0")]), values: "16x10 8x20"),
                Series(series: s("DCGM_FI_DEV_PCIE_LINK_WIDTH", [("gpu", "1")]), values: "16x30"),
                Series(series: s("DCGM_FI_DEV_PCIE_LINK_WIDTH", [("gpu", "2")]), values: "16x30"),
                Series(series: s("DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH", [("gpu", "0")]), values: "16x30"),
                Series(series: s("DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH", [("gpu", "1")]), values: "16x30"),
                Series(series: s("DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH", [("gpu", "2")]), values: "16x30"),
                Series(series: s("DCGM_FI_DEV_PCIE_LINK_GEN", [("gpu", "0")]), values: "4x30"),
                Series(series: s("DCGM_FI_DEV_PCIE_LINK_GEN", [("gpu", "1")]), values: "1x30"),
                Series(series: s("DCGM_FI_DEV_PCIE_LINK_GEN", [("gpu", "2")]), values: "4x10 3x20"),
                Series(series: s("DCGM_FI_DEV_PCIE_MAX_LINK_GEN", [("gpu", "0")]), values: "4x30"),
                Series(series: s("DCGM_FI_DEV_PCIE_MAX_LINK_GEN", [("gpu", "1")]), values: "4x30"),
                Series(series: s("DCGM_FI_DEV_PCIE_MAX_LINK_GEN", [("gpu", "2")]), values: "4x30"),
                Series(series: s("DCGM_FI_DEV_GPU_UTIL", [("gpu", "0")]), values: "0x30"),
                Series(series: s("DCGM_FI_DEV_GPU_UTIL", [("gpu", "1")]), values: "0x30"),
                Series(series: s("DCGM_FI_DEV_GPU_UTIL", [("gpu", "2")]), values: "90x30"),
            ], checks: [
                Check(at: "10m", alert: "GPUPCIeLinkDowngraded", firing: []),
                Check(at: "20m", alert: "GPUPCIeLinkDowngraded", firing: [Expected(labels: gpu("0")), Expected(labels: gpu("2"))]),
            ]),
            Group(name: "GPUHardwareSlowdown (0x8, old and new field name) / GPUThermalOrPowerBrake (0x40, 0x80)", series: [
                Series(series: s("DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", [("gpu", "0")]), values: "1x10 9x20"),
                Series(series: s("DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", [("gpu", "1")]), values: "4x10 68x20"),
                Series(series: s("DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", [("gpu", "2")]), values: "0x10 32x20"),
                Series(series: s("DCGM_FI_DEV_CLOCKS_EVENT_REASONS", [("gpu", "3")]), values: "0x10 136x20"),
            ], checks: [
                Check(at: "10m", alert: "GPUHardwareSlowdown", firing: []),
                Check(at: "20m", alert: "GPUHardwareSlowdown", firing: [Expected(labels: gpu("0")), Expected(labels: gpu("3"))]),
                Check(at: "10m", alert: "GPUThermalOrPowerBrake", firing: []),
                Check(at: "15m", alert: "GPUThermalOrPowerBrake", firing: [Expected(labels: gpu("1")), Expected(labels: gpu("3"))]),
            ]),
            Group(name: "GPUMissing: one GPU vanishes while its exporter answers; a node whose exporter is down is ExporterDown's", series: [
                Series(series: s("up", [("job", "dcgm"), ("instance", "sim:1")]), values: "1x40"),
                Series(series: s("DCGM_FI_DEV_GPU_TEMP", [("gpu", "0")]), values: "60x40"),
                Series(series: s("DCGM_FI_DEV_GPU_TEMP", [("gpu", "1")]), values: "60x10 stale"),
                Series(series: s("up", [("job", "dcgm"), ("instance", "sim:2")], tenant: "globex", node: "n2"), values: "1x10 0x30"),
                Series(series: s("DCGM_FI_DEV_GPU_TEMP", [("gpu", "0")], tenant: "globex", node: "n2"), values: "60x10 stale"),
            ], checks: [
                Check(at: "5m", alert: "GPUMissing", firing: []),
                Check(at: "15m", alert: "GPUMissing", firing: [Expected(labels: gpu("1"))]),
            ]),
            Group(name: "ExporterDown", series: [
                Series(series: s("up", [("job", "dcgm"), ("instance", "sim:1")]), values: "1x5 0x10"),
                Series(series: s("up", [("job", "vllm"), ("instance", "sim:1")]), values: "1x15"),
            ], checks: [
                Check(at: "3m", alert: "ExporterDown", firing: []),
                Check(at: "10m", alert: "ExporterDown", firing: [Expected(labels: ["tenant": "acme", "node": "n1", "job": "dcgm"])]),
            ]),
            Group(name: "GPUMetricsAbsent: exporter up without GPU series, and an inventory node that stopped reporting", series: [
                Series(series: s("up", [("job", "dcgm"), ("instance", "sim:1")]), values: "1x30"),
            ] + demoTemps(targets, except: absentNode, stopsAfter: 5), checks: [
                Check(at: "3m", alert: "GPUMetricsAbsent", firing: []),
                Check(at: "20m", alert: "GPUMetricsAbsent", firing: [
                    Expected(labels: ["tenant": "acme", "node": "n1"]),
                    Expected(labels: ["tenant": absentTenant, "node": absentNode]),
                ]),
            ]),
            Group(name: "GPUMetricsAbsent: a fresh Prometheus evaluates its rules before its first scrape lands", series:
                demoTemps(targets).map { Series(series: $0.series, values: "_ 60x40") }, checks: [
                Check(at: "30s", alert: "GPUMetricsAbsent", firing: []),
                Check(at: "5m", alert: "GPUMetricsAbsent", firing: []),
            ]),
            Group(name: "GPUHealthFieldsMissing: GPU series without ECC or PCIe link fields", series: [
                Series(series: s("DCGM_FI_DEV_GPU_TEMP", [("gpu", "0")]), values: "60x50"),
                Series(series: s("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", [("gpu", "0")]), values: "0x50"),
                Series(series: s("DCGM_FI_DEV_PCIE_LINK_WIDTH", [("gpu", "0")]), values: "16x50"),
                Series(series: s("DCGM_FI_DEV_GPU_TEMP", [("gpu", "0")], tenant: "globex", node: "n2"), values: "60x50"),
            ], checks: [
                Check(at: "20m", alert: "GPUHealthFieldsMissing", firing: []),
                Check(at: "40m", alert: "GPUHealthFieldsMissing", firing: [Expected(labels: ["tenant": "globex", "node": "n2"])]),
            ]),
            Group(name: "VLLMTimeToFirstTokenHigh: p95 in the (2.5, 5] bucket; a fast model stays quiet", series: [
                Series(series: vllm("vllm:time_to_first_token_seconds_bucket", model: "slow", [("le", "1.0")]), values: "0+0x30"),
                Series(series: vllm("vllm:time_to_first_token_seconds_bucket", model: "slow", [("le", "2.5")]), values: "0+0x30"),
                Series(series: vllm("vllm:time_to_first_token_seconds_bucket", model: "slow", [("le", "5.0")]), values: "0+10x30"),
                Series(series: vllm("vllm:time_to_first_token_seconds_bucket", model: "slow", [("le", "+Inf")]), values: "0+10x30"),
                Series(series: vllm("vllm:time_to_first_token_seconds_bucket", model: "fast", [("le", "1.0")]), values: "0+10x30"),
                Series(series: vllm("vllm:time_to_first_token_seconds_bucket", model: "fast", [("le", "2.5")]), values: "0+10x30"),
                Series(series: vllm("vllm:time_to_first_token_seconds_bucket", model: "fast", [("le", "5.0")]), values: "0+10x30"),
                Series(series: vllm("vllm:time_to_first_token_seconds_bucket", model: "fast", [("le", "+Inf")]), values: "0+10x30"),
            ], checks: [
                Check(at: "3m", alert: "VLLMTimeToFirstTokenHigh", firing: []),
                Check(at: "10m", alert: "VLLMTimeToFirstTokenHigh", firing: [Expected(labels: model("slow"))]),
            ]),
            Group(name: "VLLMKVCacheFull: current and pre-0.10 metric names", series: [
                Series(series: vllm("vllm:kv_cache_usage_perc", model: "m"), values: "0.5x5 0.97x20"),
                Series(series: vllm("vllm:gpu_cache_usage_perc", model: "m", tenant: "globex", node: "n2"), values: "0.5x5 0.99x20"),
                Series(series: vllm("vllm:kv_cache_usage_perc", model: "m", node: "n3"), values: "0.9x25"),
            ], checks: [
                Check(at: "5m", alert: "VLLMKVCacheFull", firing: []),
                Check(at: "15m", alert: "VLLMKVCacheFull", firing: [
                    Expected(labels: model("m")), Expected(labels: model("m", tenant: "globex", node: "n2")),
                ]),
            ]),
            Group(name: "VLLMQueueGrowing: a growing queue fires, a long but steady one does not", series: [
                Series(series: vllm("vllm:num_requests_waiting", model: "growing"), values: "0+2x30"),
                Series(series: vllm("vllm:num_requests_waiting", model: "steady"), values: "20x30"),
            ], checks: [
                Check(at: "10m", alert: "VLLMQueueGrowing", firing: []),
                Check(at: "20m", alert: "VLLMQueueGrowing", firing: [Expected(labels: model("growing"), value: "40")]),
            ]),
            Group(name: "VLLMPreemptions", series: [
                Series(series: vllm("vllm:num_preemptions_total", model: "busy"), values: "0+5x30"),
                Series(series: vllm("vllm:num_preemptions_total", model: "calm"), values: "0+0x30"),
            ], checks: [
                Check(at: "5m", alert: "VLLMPreemptions", firing: []),
                Check(at: "15m", alert: "VLLMPreemptions", firing: [Expected(labels: model("busy"))]),
            ]),
            Group(name: "VLLMRequestSuccessRateLow / VLLMAvailabilityBudgetBurn: errors at ~9 % fail both", series: [
                Series(series: vllm("vllm:request_success_total", model: "bad", [("finished_reason", "stop")]), values: "0+100x400"),
                Series(series: vllm("vllm:request_success_total", model: "bad", [("finished_reason", "error")]), values: "0+10x400"),
                Series(series: vllm("vllm:request_success_total", model: "good", [("finished_reason", "stop")]), values: "0+100x400"),
                Series(series: vllm("vllm:request_success_total", model: "good", [("finished_reason", "abort")]), values: "0+0x400"),
                Series(series: vllm("vllm:request_success_total", model: "good", [("finished_reason", "error")]), values: "0+0x400"),
            ], checks: [
                Check(at: "3m", alert: "VLLMRequestSuccessRateLow", firing: []),
                Check(at: "10m", alert: "VLLMRequestSuccessRateLow", firing: [Expected(labels: model("bad"))]),
                Check(at: "1m", alert: "VLLMAvailabilityBudgetBurn", firing: []),
                Check(at: "30m", alert: "VLLMAvailabilityBudgetBurn", firing: [
                    Expected(labels: model("bad").merging(["burn": "fast"]) { $1 }),
                    Expected(labels: model("bad").merging(["burn": "slow"]) { $1 }),
                ]),
            ]),
            Group(name: "VLLMTTFTBudgetBurn: half the requests miss 2.5 s; 0.5 % is within budget", series: [
                Series(series: vllm("vllm:time_to_first_token_seconds_bucket", model: "bad", [("le", "2.5")]), values: "0+50x400"),
                Series(series: vllm("vllm:time_to_first_token_seconds_count", model: "bad"), values: "0+100x400"),
                Series(series: vllm("vllm:time_to_first_token_seconds_bucket", model: "good", [("le", "2.5")]), values: "0+995x400"),
                Series(series: vllm("vllm:time_to_first_token_seconds_count", model: "good"), values: "0+1000x400"),
            ], checks: [
                Check(at: "1m", alert: "VLLMTTFTBudgetBurn", firing: []),
                Check(at: "30m", alert: "VLLMTTFTBudgetBurn", firing: [
                    Expected(labels: model("bad").merging(["burn": "fast"]) { $1 }),
                    Expected(labels: model("bad").merging(["burn": "slow"]) { $1 }),
                ]),
            ]),
            Group(name: "Watchdog: fires whenever Prometheus scrapes anything", series: [
                Series(series: s("up", [("job", "dcgm"), ("instance", "sim:1")]), values: "1x5"),
            ], checks: [
                Check(at: "2m", alert: "Watchdog", firing: [Expected(labels: [:])]),
            ]),
            Group(name: "Watchdog: quiet when Prometheus scrapes nothing", series: [
                Series(series: "unrelated_metric", values: "1x5"),
            ], checks: [
                Check(at: "2m", alert: "Watchdog", firing: []),
            ]),
        ]
    }

    /// The committed test file for the committed rule file.
    static func file() throws -> PromtoolTestFile {
        let targets = try Repository.demoTargets()
        return PromtoolTestFile(
            ruleFile: "../aifactory-rules.yml", groups: groups(demo: targets),
            rules: AlertRuleSet.standard(.init(), targets: targets))
    }
}
