import Exposition
import Foundation
import Server
import Simulator

/// The demo's past (`aifactory demo --history 6h`): what the simulated exporters would have
/// exposed over the last hours, stamped with the labels Prometheus would have attached when
/// scraping them, written as OpenMetrics for `promtool tsdb create-blocks-from openmetrics`.
///
/// Why: a fresh demo's TSDB is a minute old, so the 6h/24h/7d trends, the reliability panel and
/// every range query (Grafana's, the scoped API's benchmark) read almost nothing. The simulation
/// is a pure function of time, so its past is exact: the live simulator then carries on from the
/// end of the history with every counter continuous.
///
/// The labels follow a scrape with `honor_labels: false`: the target's labels, `job` and
/// `instance` win, an exposed label of the same name is kept as `exported_<name>`, and empty
/// values are dropped; every scrape also writes `up` (0 while the simulated node is down, which
/// writes no samples, as a failed scrape does).
struct HistoryBackfill: Sendable {
    /// One scrape target: the simulated node behind it and the labels a scrape gives its series.
    struct Target: Sendable, Hashable {
        var exporter: HTTPSDTargetGroup.Exporter
        var node: String
        /// Target labels, `job` and `instance` included, sorted by name.
        var labels: [Label]
    }

    /// What was written.
    struct Summary: Sendable, Hashable {
        var scrapes: Int
        var samples: Int
    }

    let simulation: FleetSimulation
    let targets: [Target]
    /// Simulation times of the scrapes, ascending (``scrapeTimes(start:end:interval:)``).
    let times: [Double]
    /// Unix time (seconds) of simulation time 0.
    let epoch: Double

    /// The last hour at most this many seconds of history at full density (what dashboards and
    /// the page's 1 h trend read with 1 m rate windows).
    static let fineSpan: Double = 3600
    /// Scrapes per series before the last hour, at most: 7 days at the demo's 5 s interval would
    /// be 180 M samples (gigabytes of text); 720 coarser scrapes (every 14 min over a week) keep it
    /// to about a million samples while the 6 h / 24 h / 7 d trends, which read wider windows,
    /// still have their points.
    static let coarseScrapes: Double = 720

    /// Scrape times over `[start, end)`: every `interval` over the last hour, and before it every
    /// `max(interval, span / coarseScrapes)`, so a long history stays a bounded file.
    static func scrapeTimes(start: Double, end: Double, interval: Double) -> [Double] {
        let fineFrom = max(start, end - fineSpan)
        let coarse = max(interval, (fineFrom - start) / coarseScrapes)
        // Index-based, so a week of steps accumulates no rounding into an extra scrape.
        func stride(from: Double, to: Double, by step: Double) -> [Double] {
            let count = Int(((to - from) / step).rounded(.up))
            return (0..<max(0, count)).map { from + Double($0) * step }.filter { $0 < to }
        }
        return stride(from: start, to: fineFrom, by: coarse) + stride(from: fineFrom, to: end, by: interval)
    }

    /// The targets of the server's service-discovery groups for `exporter` (what `/sd/prometheus`
    /// answers; the job is the exporter's name) that point at simulated nodes; others (a real
    /// agent's node) have no past here.
    static func targets(_ exporter: HTTPSDTargetGroup.Exporter, groups: [HTTPSDTargetGroup], simulation: FleetSimulation) -> [Target] {
        let job = exporter.rawValue
        let known = Set(simulation.nodeNames)
        var result: [Target] = []
        for group in groups {
            guard let node = group.labels["node"], known.contains(node) else { continue }
            for address in group.targets {
                var labels = group.labels.filter { !$0.key.hasPrefix("__") && !$0.value.isEmpty }
                labels["job"] = job
                labels["instance"] = address
                result.append(Target(exporter: exporter, node: node, labels: labels.map { Label($0.key, $0.value) }.sorted { $0.name < $1.name }))
            }
        }
        return result
    }

    /// Writes every scrape of the history to `path` as OpenMetrics (samples only, in time order,
    /// timestamps in seconds), streaming a scrape at a time.
    func write(to path: String) throws -> Summary {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw StackError.other("cannot create the history file \(path)")
        }
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? file.close() }
        var summary = Summary(scrapes: 0, samples: 0)
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        for t in times {
            let timestamp = Self.seconds(epoch + t)
            for target in targets {
                let text: String?
                switch target.exporter {
                case .dcgm: text = simulation.dcgmText(node: target.node, at: t)
                case .vllm: text = simulation.vllmText(node: target.node, at: t)
                }
                summary.scrapes += 1
                Self.line(into: &out, name: "up", labels: target.labels, value: text == nil ? 0 : 1, timestamp: timestamp)
                summary.samples += 1
                guard let text, let exposed = try? ExpositionParser.parse(text) else { continue }
                for sample in exposed.allSamples {
                    Self.line(into: &out, name: sample.name, labels: Self.merge(sample.labels, target.labels), value: sample.value, timestamp: timestamp)
                    summary.samples += 1
                }
            }
            if out.count > 1 << 20 {
                try file.write(contentsOf: out)
                out.removeAll(keepingCapacity: true)
            }
        }
        out += Array("# EOF\n".utf8)
        try file.write(contentsOf: out)
        return summary
    }

    /// The exposed labels under the target's, as a scrape with `honor_labels: false` leaves them.
    static func merge(_ exposed: [Label], _ target: [Label]) -> [Label] {
        let targetNames = Set(target.map(\.name))
        var merged = target
        for label in exposed where !label.value.isEmpty {
            merged.append(targetNames.contains(label.name) ? Label("exported_" + label.name, label.value) : label)
        }
        return merged
    }

    static func line(into out: inout [UInt8], name: String, labels: [Label], value: Double, timestamp: String) {
        out += Array(name.utf8)
        out.append(UInt8(ascii: "{"))
        for (index, label) in labels.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(label.name.utf8)
            out += Array("=\"".utf8)
            out += Array(Label.escape(label.value).utf8)
            out.append(UInt8(ascii: "\""))
        }
        out += Array("} ".utf8)
        out += Array(format(value).utf8)
        out.append(UInt8(ascii: " "))
        out += Array(timestamp.utf8)
        out.append(UInt8(ascii: "\n"))
    }

    /// A sample value as OpenMetrics writes it (`NaN`, `+Inf`, `-Inf`, or a Go-parsable float).
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Unix seconds at millisecond precision (Prometheus keeps milliseconds).
    static func seconds(_ time: Double) -> String {
        let millis = Int64((time * 1000).rounded())
        let fraction = millis % 1000
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - String(fraction).count) + String(fraction)
    }
}
