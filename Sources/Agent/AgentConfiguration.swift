public import Diagnostics
import Foundation
public import Logging

/// What `aifactory agent` runs with: one value built from flags, handed to `runAgent`.
///
/// With `serverURL` the agent enrols with an AI Factory server (docs/AGENT.md "Enrol") and sends
/// heartbeats; without it the agent is a plain dcgm-exporter-compatible exporter.
public struct AgentConfiguration: Sendable {
    /// Address `/metrics` is served on; port 0 picks a free one (tests).
    public var host: String
    public var port: Int
    /// The NVML library; `nil` searches `NVMLLibrary.defaultCandidates`.
    public var nvmlLibraryPath: String?
    /// How often the gauges are read (`Cadence.every`).
    public var interval: Duration
    /// How often counters and limits are read (`Cadence.counters`); never shorter than `interval`.
    public var counterInterval: Duration
    /// The `Hostname` label; `nil` is the host's name (`gethostname`).
    public var hostname: String?
    /// The AI Factory server to enrol with and report to; `nil`: a plain exporter.
    public var serverURL: String?
    /// Enrolment settings, used only with `serverURL` (`Enrolment.swift`).
    public var enrolment: EnrolmentSettings
    /// Where `dcgmi` and `all_reduce_perf` are; diagnostics run only with `serverURL`.
    public var diagnosticTools: DiagnosticTools
    /// Takes this node out of (and back into) traffic around a diagnostic run asked for with
    /// `drain` (docs/DIAGNOSTICS.md "Safe diagnostics on a serving card"); `nil`: such runs fail.
    public var drainHook: String?
    /// The local vLLM's `/metrics`, read to wait until no request is running or waiting after the
    /// drain; `nil`: the hook is trusted to have waited.
    public var vllmMetricsURL: String?
    /// Longest wait for in-flight requests after the drain before the run is given up.
    public var drainWait: Duration
    public var logger: Logger

    public init(
        host: String = "0.0.0.0",
        port: Int = 9400,
        nvmlLibraryPath: String? = nil,
        interval: Duration = .seconds(1),
        counterInterval: Duration = .seconds(10),
        hostname: String? = nil,
        serverURL: String? = nil,
        enrolment: EnrolmentSettings = EnrolmentSettings(),
        diagnosticTools: DiagnosticTools = DiagnosticTools(),
        drainHook: String? = nil,
        vllmMetricsURL: String? = nil,
        drainWait: Duration = .seconds(300),
        logger: Logger = Logger(label: "aifactory.agent")
    ) {
        self.drainHook = drainHook
        self.vllmMetricsURL = vllmMetricsURL
        self.drainWait = drainWait
        self.diagnosticTools = diagnosticTools
        self.host = host
        self.port = port
        self.nvmlLibraryPath = nvmlLibraryPath
        self.interval = interval
        self.counterInterval = counterInterval
        self.hostname = hostname
        self.serverURL = serverURL
        self.enrolment = enrolment
        self.logger = logger
    }

    /// The range `interval` must lie in: below 100 ms NVML's own utilisation window (1/6 s to 1 s
    /// depending on the board) makes samples repeat; above an hour the agent is not monitoring.
    public static let intervalRange: ClosedRange<Duration> = .milliseconds(100) ... .seconds(3600)

    public func validate() throws(AgentError) {
        guard Self.intervalRange.contains(interval) else {
            throw .invalidConfiguration("--interval must be between 100ms and 1h, got \(Self.text(interval))")
        }
        guard counterInterval >= interval, counterInterval <= .seconds(3600) else {
            throw .invalidConfiguration(
                "--counter-interval must be at least --interval (\(Self.text(interval))) and at most 1h, got \(Self.text(counterInterval))")
        }
        guard (0...65535).contains(port) else {
            throw .invalidConfiguration("the listen port must be from 0 to 65535, got \(port)")
        }
        // The server allows a draining run 600 s beyond its timeout: two 60 s hooks and this wait.
        guard drainWait >= .zero, drainWait <= .seconds(480) else {
            throw .invalidConfiguration("--drain-wait must be between 0s and 8m, got \(Self.text(drainWait))")
        }
        if let vllmMetricsURL {
            guard let url = URL(string: vllmMetricsURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw .invalidConfiguration("--vllm-metrics must be an http(s) URL such as http://127.0.0.1:8000/metrics, got '\(vllmMetricsURL)'")
            }
        }
        try enrolment.validate(serverURL: serverURL)
    }

    /// `1s`, `250ms`: how the flags spell a duration.
    static func text(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }

    /// Parses `1s`, `500ms`, `2m`, `1h` (what `--interval` accepts).
    public static func parseDuration(_ text: String, flag: String) throws(AgentError) -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // "ms" also ends in "s": only accept the number when what is left parses.
            if let value = Double(number), value.isFinite, value >= 0 {
                return .milliseconds(Int64((value * scale * 1000).rounded()))
            }
        }
        throw .invalidConfiguration("\(flag) must be a duration like 1s, 500ms or 2m, got '\(text)'")
    }
}
