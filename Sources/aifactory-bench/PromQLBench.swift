/// PromQL benchmarks (owned by the PromQL work).
let promQLBenchmarks: [Benchmark] = []
