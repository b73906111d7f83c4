import Agent
import Foundation
import Logging

/// The GPU-host agent's own cost: 8 stand-in GPUs sampled every second with the H200's real
/// per-call NVML CPU costs charged (`nvml-cost-load.json`, busy-waited in the stand-in).
///
/// Goals (issue 16): ≤ 1 % of one core, RSS ≤ 25 MB, `/metrics` ≤ 2 ms. The agent runs as a
/// child process (this executable re-run with `--agent-child`), so its CPU (`/proc/<pid>/stat`)
/// and RSS (`/proc/<pid>/status`) are its own; the parent scrapes it over loopback. A second run
/// reads the counters every second too, to show what the slower counter cadence saves.
let agentBenchmarks: [Benchmark] = [
    Benchmark(name: "agent: 8 stand-in GPUs, 1 s sampling, real NVML per-call costs charged") {
        try await AgentBench.run()
    },
]

enum AgentBench {
    static let window: Duration = .seconds(20)

    static func run() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aif-agent-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let library = try await StandInLibrary(gpus: 8, chargeCosts: true).build(into: scratch + "/nvml")
        print("NVML CPU charged per round (8 GPUs): gauges \(format(gaugeCost * 8 / 1000)) ms, counters \(format(counterCost * 8 / 1000)) ms")
        print(pad("cadence", 37) + pad("CPU % of a core", 17) + pad("NVML share", 12) + pad("RSS MB", 8) + pad("anon MB", 9) + pad("peak MB", 9) + "/metrics p50 / p99 / max ms")
        for (label, counters) in [("gauges 1 s, counters 10 s (default)", "10s"), ("everything every 1 s", "1s")] {
            let result = try await measure(library: library, counterInterval: counters, scratch: scratch)
            let charged = (gaugeCost * 8 + counterCost * 8 / (counters == "1s" ? 1 : 10)) / 1e6 * 100
            print(pad(label, 37) + pad(format(result.cpuPercent), 17) + pad(format(charged), 12)
                  + pad(format(result.rssMB), 8) + pad(format(result.anonMB), 9) + pad(format(result.peakMB), 9)
                  + "\(format(result.p50)) / \(format(result.p99)) / \(format(result.max))  (\(result.bytes) bytes, \(result.scrapes) scrapes)")
        }
    }

    /// Sum of the charged median CPU µs of the getters read every round, and of the counters (per GPU).
    static let gaugeCost = 1.9 + 7.3 + 2.2 + 34.8 + 3.6 + 2.6 * 2 + 2.2 + 31.8 + 2.3
    static let counterCost = 3393.8 + 130.2 + 3.3 * 4 + 3.4 + 2.3 * 2

    struct Result {
        var cpuPercent: Double, rssMB: Double, anonMB: Double, peakMB: Double
        var p50: Double, p99: Double, max: Double, bytes: Int, scrapes: Int
    }

    static func measure(library: String, counterInterval: String, scratch: String) async throws -> Result {
        let portFile = scratch + "/port-\(counterInterval)"
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["--agent-child", library, counterInterval, portFile]
        child.standardOutput = FileHandle.nullDevice
        try child.run()
        let pid = child.processIdentifier
        defer {
            if child.isRunning { kill(pid, SIGTERM) }
        }
        let port = try await waitForPort(portFile)
        let base = "http://127.0.0.1:\(port)/metrics"
        try await Task.sleep(for: .seconds(3))  // past start-up: first sample, first counters

        // CPU over the window, with a scrape every 5 s (a busy Prometheus).
        let startTicks = try cpuTicks(pid)
        let start = ContinuousClock.now
        while ContinuousClock.now - start < window {
            _ = try await LoopbackHTTP.get(base)
            try await Task.sleep(for: .seconds(5))
        }
        let elapsed = ContinuousClock.now - start
        let ticks = try cpuTicks(pid) - startTicks
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let cpuPercent = Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK))) / seconds * 100

        // /metrics latency: sequential scrapes, wall time on the client side.
        var latencies: [Double] = []
        var bytes = 0
        for _ in 0..<300 {
            let begin = ContinuousClock.now
            bytes = try await LoopbackHTTP.get(base)
            let took = ContinuousClock.now - begin
            latencies.append(Double(took.components.attoseconds) / 1e15 + Double(took.components.seconds) * 1000)
        }
        latencies.sort()
        let (rss, anon, peak) = try memory(pid)
        kill(pid, SIGTERM)
        child.waitUntilExit()
        return Result(
            cpuPercent: cpuPercent, rssMB: rss, anonMB: anon, peakMB: peak,
            p50: latencies[latencies.count / 2], p99: latencies[latencies.count * 99 / 100], max: latencies[latencies.count - 1],
            bytes: bytes, scrapes: latencies.count)
    }

    /// The child: `--agent-child LIBRARY COUNTER_INTERVAL PORT_FILE` runs the agent on port 0 and
    /// writes the bound port to PORT_FILE.
    static func child(_ arguments: [String]) async throws {
        guard arguments.count == 3 else { throw AgentError.invalidConfiguration("--agent-child LIBRARY COUNTER_INTERVAL PORT_FILE") }
        var logger = Logger(label: "agent-bench")
        logger.logLevel = .error
        let configuration = AgentConfiguration(
            host: "127.0.0.1", port: 0, nvmlLibraryPath: arguments[0],
            counterInterval: try AgentConfiguration.parseDuration(arguments[1], flag: "counter interval"),
            hostname: "bench", logger: logger)
        let portFile = arguments[2]
        try await runAgent(configuration, onServerRunning: { port in
            try? String(port).write(toFile: portFile, atomically: true, encoding: .utf8)
        })
    }

    static func waitForPort(_ file: String) async throws -> Int {
        for _ in 0..<500 {
            if let text = try? String(contentsOfFile: file, encoding: .utf8), let port = Int(text) { return port }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw AgentError.invalidConfiguration("the agent child did not start within 10 s")
    }

    /// utime + stime of `pid`, in clock ticks (fields 14 and 15 of /proc/<pid>/stat).
    static func cpuTicks(_ pid: Int32) throws -> Int {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name (field 2) may hold spaces: split after its closing parenthesis.
        guard let close = text.lastIndex(of: ")") else { throw AgentError.invalidConfiguration("odd /proc/\(pid)/stat") }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else {
            throw AgentError.invalidConfiguration("odd /proc/\(pid)/stat")
        }
        return user + system
    }

    /// VmRSS, RssAnon (the process's own heap and stacks; the rest is mapped library and binary
    /// pages) and VmHWM of `pid`, MB (10^6 bytes).
    static func memory(_ pid: Int32) throws -> (Double, Double, Double) {
        let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func kilobytes(_ key: String) -> Double {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
            return Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return (kilobytes("VmRSS:") * 1024 / 1e6, kilobytes("RssAnon:") * 1024 / 1e6, kilobytes("VmHWM:") * 1024 / 1e6)
    }

    static func format(_ value: Double) -> String {
        String(format: value < 10 ? "%.2f" : "%.1f", value)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
