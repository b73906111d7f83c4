/// Exposition / simulator benchmarks (owned by the simulator work).
let expositionBenchmarks: [Benchmark] = []
