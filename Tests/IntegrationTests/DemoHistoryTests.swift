import Exposition
import Foundation
import Server
import Simulator
@testable import Stack
import TestSupport
import Testing

/// `aifactory demo --history`: Prometheus starts holding the simulated past, written as TSDB
/// blocks by promtool with the labels service discovery gives the live scrapes, so each GPU is
/// one series from the start of the history into the live data and no counter resets where the
/// past meets the present.
@Suite("Demo history", .serialized)
struct DemoHistoryTests {
    @Test("the past is in Prometheus at start, one series per GPU, counters continuous into live data")
    func pastInPrometheus() async throws {
        guard ExternalTool.require("prometheus") != nil, ExternalTool.require("promtool") != nil else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-history-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        var configuration = DemoConfiguration(stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(5))
        configuration.history = .seconds(180)
        configuration.alertmanager = false
        try await withDemoStack(configuration) { credentials in
            let prometheus = credentials.prometheusURL
            // Three minutes at the 5 s scrape interval: 36 samples of each GPU before the first live scrape
            // (short: the debug build renders and parses every scrape, beside a parallel run's other stacks).
            let utilisation = try await PrometheusHTTP.query(prometheus, #"count_over_time(DCGM_FI_DEV_GPU_UTIL{tenant="acme"}[4m])"#)
            #expect(utilisation.count == 3, "acme's three GPUs, each one series across past and live data: \(utilisation.map(\.labels))")
            #expect(utilisation.allSatisfy { $0.value >= 34 }, "about 36 past samples per GPU: \(utilisation.map(\.value))")
            for sample in utilisation {
                #expect(sample.labels["job"] == "dcgm" && sample.labels["pool"] == "_dedicated" && sample.labels["gpu_class"] != nil)
                #expect(sample.labels["instance"]?.hasPrefix("127.0.0.1:") == true)
            }
            // Counters carry on from the past: no reset where it meets the live simulation.
            let live = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                let recent = try await PrometheusHTTP.query(prometheus, #"count_over_time(vllm:prompt_tokens_total{node="acme-h100-1"}[30s])"#)
                return recent.first.map { $0.value >= 2 } ?? false
            }
            #expect(live, "live scrapes follow the past")
            let resets = try await PrometheusHTTP.query(prometheus, #"resets(vllm:prompt_tokens_total{tenant="acme"}[4m])"#)
            #expect(!resets.isEmpty && resets.allSatisfy { $0.value == 0 }, "no counter reset across the boundary: \(resets.map(\.value))")
            // Every past scrape also wrote `up`, as Prometheus does.
            let up = try await PrometheusHTTP.query(prometheus, #"count_over_time(up{job="dcgm",node="acme-h100-1"}[4m])"#)
            #expect(up.count == 1 && (up.first?.value ?? 0) >= 34)
            #expect(FileManager.default.fileExists(atPath: state + "/prometheus-history.done"), "written once per state directory")
        }
    }

    @Test("scrape times: the last hour at the scrape interval, before it at most 720 coarser scrapes")
    func scrapeTimes() {
        #expect(HistoryBackfill.scrapeTimes(start: 0, end: 15, interval: 5) == [0, 5, 10])
        let hour = HistoryBackfill.scrapeTimes(start: 100, end: 3700, interval: 5)
        #expect(hour.count == 720 && hour.first == 100 && hour.last == 3695)
        let week = HistoryBackfill.scrapeTimes(start: 0, end: 604_800, interval: 5)
        #expect(week.count == 720 + 720, "\(week.count)")
        let weekSeconds: Double = 7 * 86_400
        let coarse: Double = (weekSeconds - 3600) / 720
        #expect(week[1] - week[0] == coarse, "older scrapes every 14 min")
        #expect(week.suffix(720).first == weekSeconds - 3600 && week.last == weekSeconds - 5)
        #expect(zip(week, week.dropFirst()).allSatisfy { $0 < $1 }, "ascending, no repeats")
        // A slow scrape interval is never made denser.
        let slow = HistoryBackfill.scrapeTimes(start: 0, end: 7200, interval: 60)
        #expect(slow.count == 120 && zip(slow, slow.dropFirst()).allSatisfy { $1 - $0 == 60 })
    }

    @Test("scrape labels: the target's win, an exposed one of the same name is kept as exported_<name>, empty ones go")
    func labelMerge() {
        let merged = HistoryBackfill.merge(
            [Label("gpu", "0"), Label("tenant", "forged"), Label("empty", "")],
            [Label("instance", "127.0.0.1:9400"), Label("job", "dcgm"), Label("tenant", "acme")])
        #expect(merged == [
            Label("instance", "127.0.0.1:9400"), Label("job", "dcgm"), Label("tenant", "acme"), Label("gpu", "0"), Label("exported_tenant", "forged"),
        ])
    }

    @Test("the OpenMetrics file: every scrape at its time, up per target, a down node writes up 0 and nothing else")
    func openMetricsFile() throws {
        let simulation = FleetSimulation(fleet: FleetFile.demo, seed: 1)
        let groups = [HTTPSDTargetGroup(targets: ["127.0.0.1:9400"], labels: ["__metrics_path__": "/nodes/acme-h100-1/dcgm/metrics", "node": "acme-h100-1", "tenant": "acme"])]
        let targets = HistoryBackfill.targets(.dcgm, groups: groups, simulation: simulation)
        #expect(targets.map(\.labels) == [[Label("instance", "127.0.0.1:9400"), Label("job", "dcgm"), Label("node", "acme-h100-1"), Label("tenant", "acme")]])
        #expect(HistoryBackfill.targets(.dcgm, groups: [HTTPSDTargetGroup(targets: ["10.0.0.9:9400"], labels: ["node": "real-host"])], simulation: simulation).isEmpty,
                "a node the simulation does not know (a real agent's) has no past here")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aif-history-\(UUID().uuidString).om").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let backfill = HistoryBackfill(
            simulation: simulation, targets: targets, times: HistoryBackfill.scrapeTimes(start: 0, end: 15, interval: 5), epoch: 1_800_000_000)
        let summary = try backfill.write(to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.last == "# EOF")
        #expect(summary.scrapes == 3 && summary.samples == lines.count - 1)
        let ups = lines.filter { $0.hasPrefix("up{") }
        #expect(ups == [
            #"up{instance="127.0.0.1:9400",job="dcgm",node="acme-h100-1",tenant="acme"} 1 1800000000.000"#,
            #"up{instance="127.0.0.1:9400",job="dcgm",node="acme-h100-1",tenant="acme"} 1 1800000005.000"#,
            #"up{instance="127.0.0.1:9400",job="dcgm",node="acme-h100-1",tenant="acme"} 1 1800000010.000"#,
        ])
        // The samples are the simulator's own at each time, with the target's labels.
        let exposed = try ExpositionParser.parse(try #require(simulation.dcgmText(node: "acme-h100-1", at: 5)))
        let temperature = try #require(exposed.samples("DCGM_FI_DEV_GPU_TEMP").first { $0[label: "gpu"] == "0" })
        #expect(lines.contains { $0.hasPrefix("DCGM_FI_DEV_GPU_TEMP{instance=") && $0.contains(#"gpu="0""#) && $0.hasSuffix(" \(HistoryBackfill.format(temperature.value)) 1800000005.000") })
        // A node in its simulated outage: that scrape writes up 0 and no sample of the target.
        let down = try #require(stride(from: 0.0, to: 900, by: 5).first { simulation.dcgmText(node: "initrode-down", at: $0) == nil },
                                "initrode-down has an outage in its first 15 min")
        let downGroups = [HTTPSDTargetGroup(targets: ["127.0.0.1:9401"], labels: ["node": "initrode-down", "tenant": "initrode"])]
        let outage = HistoryBackfill(
            simulation: simulation, targets: HistoryBackfill.targets(.dcgm, groups: downGroups, simulation: simulation),
            times: [down], epoch: 1_800_000_000)
        let outagePath = path + ".down"
        defer { try? FileManager.default.removeItem(atPath: outagePath) }
        let outageSummary = try outage.write(to: outagePath)
        let outageLines = try String(contentsOfFile: outagePath, encoding: .utf8).split(separator: "\n")
        #expect(outageSummary == HistoryBackfill.Summary(scrapes: 1, samples: 1))
        #expect(outageLines.count == 2 && outageLines[0].hasPrefix(#"up{instance="127.0.0.1:9401",job="dcgm",node="initrode-down""#)
                && outageLines[0].contains("} 0 ") && outageLines[1] == "# EOF", "\(outageLines)")
        #expect(HistoryBackfill.format(.nan) == "NaN" && HistoryBackfill.format(-.infinity) == "-Inf" && HistoryBackfill.format(0.25) == "0.25")
        #expect(HistoryBackfill.seconds(1_800_000_000.0421) == "1800000000.042")
    }
}
