/// The registry of benchmarks `make bench` runs, in order.
enum Benchmarks {
    static var all: [Benchmark] {
        var list: [Benchmark] = []
        list += promQLBenchmarks
        list += expositionBenchmarks
        list += agentBenchmarks
        return list
    }
}
