import Exposition

/// Renders one node's vLLM `/metrics` the way prometheus_client does: counters with `_total`,
/// labels in alphabetical order (`engine`, `finished_reason`, `le`, `model_name`), values as
/// Python floats (`8.0`), and complete histograms (every bucket through `+Inf`, `_sum`, `_count`).
enum VLLMRenderer {
    /// Engine index label: one engine core per node (tensor parallel across its GPUs).
    static let engine = "0"

    static func render(_ model: VLLMModel, _ reading: VLLMReading, into writer: inout ExpositionWriter) {
        let base = [Label("engine", engine), Label("model_name", model.model)]
        func gauge(_ name: String, _ help: String, _ value: Double) {
            writer.header(name: name, help: help, type: .gauge)
            writer.sample(name, base, value, format: .python)
        }
        func counter(_ name: String, _ help: String, _ value: Double) {
            writer.header(name: name, help: help, type: .counter)
            writer.sample(name, base, value, format: .python)
        }
        func histogram(_ name: String, _ help: String, _ distribution: VLLMModel.Distribution, count: Double, live: LiveHistogram) {
            writer.header(name: name, help: help, type: .histogram)
            var liveCumulative = 0.0
            for (index, (bound, cdf)) in zip(distribution.bounds, distribution.cdf).enumerated() {
                let labels = [Label("engine", engine), Label("le", ExpositionWriter.pythonRepr(bound)), Label("model_name", model.model)]
                liveCumulative += index < live.counts.count ? live.counts[index] : 0
                writer.sample(name + "_bucket", labels, (count * cdf).rounded(.down) + liveCumulative, format: .python)
            }
            writer.sample(name + "_bucket", [Label("engine", engine), Label("le", "+Inf"), Label("model_name", model.model)], count + live.count, format: .python)
            writer.sample(name + "_count", base, count + live.count, format: .python)
            writer.sample(name + "_sum", base, count * distribution.mean + live.sum, format: .python)
        }
        let live = reading.live

        gauge("vllm:num_requests_running", "Number of requests in model execution batches.", reading.running + live.running)
        gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", reading.waiting + live.waiting)
        gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", min(1, reading.kvCacheUsage + live.kvCacheUsage))
        counter("vllm:prefix_cache_queries_total", "Prefix cache queries, in terms of number of queried tokens.", reading.prefixQueries)
        counter("vllm:prefix_cache_hits_total", "Prefix cache hits, in terms of number of cached tokens.", reading.prefixHits)
        counter("vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", reading.preemptions)
        counter("vllm:prompt_tokens_total", "Number of prefill tokens processed.", reading.promptTokens + live.promptTokens)
        counter("vllm:generation_tokens_total", "Number of generation tokens processed.", reading.generationTokens + live.generationTokens)

        writer.header(name: "vllm:request_success_total", help: "Count of successfully processed requests.", type: .counter)
        for (reason, value) in [("stop", reading.stop), ("length", reading.length + live.finishedLength), ("abort", reading.abort + live.aborted), ("error", reading.error)] {
            writer.sample("vllm:request_success_total",
                          [Label("engine", engine), Label("finished_reason", reason), Label("model_name", model.model)],
                          value, format: .python)
        }

        histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", model.ttft, count: reading.requests, live: live.ttft)
        histogram("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", model.itl,
                  count: max(0, reading.generationTokens - reading.requests), live: live.itl)
        histogram("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", model.e2e, count: reading.requests, live: live.e2e)
    }
}
