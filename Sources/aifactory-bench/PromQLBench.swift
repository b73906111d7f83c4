import Foundation
import PromQL

/// PromQL benchmarks: time per query over the test corpus (Tests/PromQLTests/Resources/corpus/valid-*),
/// for parse only, parse + print, and the full enforcer (parse, scope, print, re-parse, verify), with
/// medians, p90s and the enforcer's cost relative to parsing. Goal: median enforce ≤ 20 µs.
let promQLBenchmarks: [Benchmark] = [
    Benchmark(name: "promql-enforce") {
        let queries = try PromQLBench.loadCorpus()
        let scope = try LabelScope(label: ScopeLabel.tenant, value: "acme")
        // Only queries the enforcer accepts: rejected ones stop early and would flatter the figures.
        let scopable = queries.filter { (try? scope.rewrite($0)) != nil }
        print("corpus: \(queries.count) valid queries, \(scopable.count) scoped by tenant=\"acme\"")

        let parse = PromQLBench.measure(scopable) { query in _ = try? Parser.parse(query) }
        let print_ = PromQLBench.measure(scopable) { query in
            if let expr = try? Parser.parse(query) { _ = Printer.print(expr) }
        }
        let enforce = PromQLBench.measure(scopable) { query in _ = try? scope.rewrite(query) }

        PromQLBench.report("parse", parse)
        PromQLBench.report("parse+print", print_)
        PromQLBench.report("enforce", enforce)
        let ratio = PromQLBench.percentile(enforce, 0.5) / max(PromQLBench.percentile(parse, 0.5), 1)
        print(String(format: "enforce / parse (median): %.2f×", ratio))
        let median = PromQLBench.percentile(enforce, 0.5) / 1000
        print(String(format: "goal median enforce ≤ 20 µs: %.2f µs — %@", median, median <= 20 ? "met" : "NOT met"))
    },
]

enum PromQLBench {
    static var corpusDirectory: URL {
        let relative = "Tests/PromQLTests/Resources/corpus"
        let fromSource = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // aifactory-bench
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: fromSource.path) { return fromSource }
        // Built from a copy of the sources: fall back to the working directory (the repository root).
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relative)
    }

    static func loadCorpus() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path)
            .filter { $0.hasPrefix("valid-") }
            .sorted()
        var queries: [String] = []
        for name in names {
            let data = try Data(contentsOf: corpusDirectory.appendingPathComponent(name))
            if name.hasSuffix(".json") {
                queries += try JSONDecoder().decode([String].self, from: data)
            } else {
                queries += String(decoding: data, as: UTF8.self)
                    .split(separator: "\n")
                    .map(String.init)
                    .filter { !$0.hasPrefix(";;") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            }
        }
        return queries
    }

    /// Nanoseconds per call for each query: the best of 5 rounds of enough calls to last ~200 µs.
    static func measure(_ queries: [String], _ body: (String) -> Void) -> [Double] {
        var perQuery: [Double] = []
        perQuery.reserveCapacity(queries.count)
        for query in queries {
            body(query)  // warm-up
            var iterations = 1
            while true {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<iterations { body(query) }
                let elapsed = DispatchTime.now().uptimeNanoseconds - start
                if elapsed > 200_000 || iterations >= 1 << 16 { break }
                iterations *= 2
            }
            var best = Double.infinity
            for _ in 0..<5 {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<iterations { body(query) }
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
                best = min(best, elapsed / Double(iterations))
            }
            perQuery.append(best)
        }
        return perQuery
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let index = min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))
        return sorted[index]
    }

    static func report(_ name: String, _ values: [Double]) {
        let mean = values.reduce(0, +) / Double(max(values.count, 1))
        let label = name.padding(toLength: 12, withPad: " ", startingAt: 0)
        print(label + String(format: " median %8.2f µs   p90 %8.2f µs   max %8.2f µs   mean %8.2f µs",
                             percentile(values, 0.5) / 1000, percentile(values, 0.9) / 1000,
                             (values.max() ?? 0) / 1000, mean / 1000))
    }
}
