import Exposition
import Simulator
import Testing

@Suite("vLLM exposition")
struct VLLMExpositionTests {
    let probe = Probe()

    @Test("current metric names, engine and model_name on every series, labels sorted")
    func names() throws {
        let set = try probe.vllm("acme-h100-1", at: 600)
        for name in [
            "vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc", "vllm:prompt_tokens_total",
            "vllm:generation_tokens_total", "vllm:time_to_first_token_seconds", "vllm:inter_token_latency_seconds",
            "vllm:e2e_request_latency_seconds", "vllm:num_preemptions_total", "vllm:prefix_cache_queries_total",
            "vllm:prefix_cache_hits_total", "vllm:request_success_total",
        ] {
            #expect(set.family(name) != nil, "missing \(name)")
        }
        #expect(set.family("vllm:prompt_tokens_total")?.type == .counter)
        for sample in set.allSamples {
            #expect(sample[label: "engine"] == "0")
            #expect(sample[label: "model_name"] == "meta-llama/Llama-3.1-70B-Instruct")
            #expect(sample.labelNames == sample.labelNames.sorted())
        }
        #expect(Set(set.samples("vllm:request_success_total").compactMap { $0[label: "finished_reason"] }) == ["stop", "length", "abort", "error"])
    }

    @Test("histograms are complete, unlike the truncated docs sample read by the same parser")
    func histograms() throws {
        let set = try probe.vllm("globex-ada48-2", at: 900)
        for name in ["vllm:time_to_first_token_seconds", "vllm:inter_token_latency_seconds", "vllm:e2e_request_latency_seconds"] {
            let family = try #require(set.family(name))
            #expect(family.type == .histogram)
            #expect(family.histogramProblems().isEmpty, "\(family.histogramProblems())")
        }
        let docs = try ExpositionParser.parse(try Fixture.text("vllm-metrics-sample.prom"))
        #expect(!docs.histogramProblems().isEmpty)
        let ttftBounds = set.samples("vllm:time_to_first_token_seconds_bucket").compactMap { $0[label: "le"] }
        #expect(ttftBounds.first == "0.001")
        #expect(ttftBounds.suffix(2) == ["2560.0", "+Inf"])
    }

    @Test("counters grow with load; values print as Python floats")
    func counters() throws {
        var previous: [String: Double] = [:]
        for t in stride(from: 0.0, through: 1800, by: 60) {
            let set = try probe.vllm("acme-h100-1", at: t)
            for sample in set.allSamples where sample.name.hasSuffix("_total") || sample.name.hasSuffix("_bucket") || sample.name.hasSuffix("_count") {
                let key = sample.name + sample.labels.description
                #expect(sample.value >= previous[key, default: 0], "\(key) decreased at \(t)")
                previous[key] = sample.value
            }
        }
        let text = try #require(probe.simulation.vllmText(node: "acme-h100-1", at: 60))
        #expect(text.contains(#"vllm:num_preemptions_total{engine="0",model_name="meta-llama/Llama-3.1-70B-Instruct"} "#))
        #expect(!text.split(separator: "\n").contains { !$0.hasPrefix("#") && !$0.contains(".") && !$0.hasSuffix("Inf") })
    }

    @Test("nodes without vLLM, unknown nodes and outages are told apart")
    func responses() {
        let sim = probe.simulation
        #expect(sim.vllm(node: "initrode-xid79", at: 10) == .noVLLM)
        #expect(sim.vllm(node: "ghost", at: 10) == .unknownNode)
        #expect(sim.dcgm(node: "ghost", at: 10) == .unknownNode)
        #expect(sim.vllm(node: "initrode-down", at: 100) == .down)
    }
}
