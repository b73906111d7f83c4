import Foundation

/// Entry point of `make bench`: runs every registered benchmark and prints its report.
///
/// Each benchmark lives in its own file as a `Benchmark` value; this file only dispatches, so
/// benchmarks for different targets can be added without touching each other.
@main
struct BenchMain {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // The agent benchmark re-runs this executable as the measured agent process.
        if arguments.first == "--agent-child" {
            try await AgentBench.child(Array(arguments.dropFirst()))
            return
        }
        let filter = arguments.first
        for bench in Benchmarks.all where filter == nil || bench.name.contains(filter!) {
            print("== \(bench.name)")
            try await bench.run()
            print("")
        }
    }
}

/// One named benchmark. `run` prints its own figures (medians, ratios) to stdout.
struct Benchmark: Sendable {
    var name: String
    var run: @Sendable () async throws -> Void
}
