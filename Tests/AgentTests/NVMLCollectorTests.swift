import Agent
import Exposition
import Fleet
import Foundation
import Testing

/// The agent on the stand-in NVML (an H200's real readings): what `/metrics` says, what a
/// partial or missing library gives, and how XID events arrive.
@Suite("NVMLCollector on the stand-in NVML")
struct NVMLCollectorTests {
    @Test("/metrics equals the H200 readings, in dcgm-exporter's names, units and labels")
    func metricsEqualReadings() async throws {
        let standIn = try await StandIn.build(StandInLibrary(gpus: 2))
        defer { standIn.remove() }
        let reading = try H200Reading.load()
        let expected = try reading.expected()
        let uuid = try reading.uuid, name = try reading.name, driver = try reading.driver, busID = try reading.busID

        let config = AgentConfiguration(nvmlLibraryPath: standIn.path, hostname: "gpu-host-7")
        let before = Date().timeIntervalSince1970
        let (status, text) = try await withAgent(config) { url, _ in try await fetch(url + "/metrics") }
        let after = Date().timeIntervalSince1970
        #expect(status == 200)
        let metrics = try ExpositionParser.parse(text)

        for (series, value) in expected {
            let samples = metrics.samples(series)
            #expect(samples.count == 2, "\(series): one line per GPU")
            let gpu0 = samples.first { $0[label: "gpu"] == "0" }
            #expect(gpu0?.value == value, "\(series)")
        }
        // Every family the agent writes is one the reading covers (no unexpected extras, no gaps).
        let written = Set(metrics.familyNames.filter { !$0.hasPrefix("aifactory_agent_") })
        #expect(!metrics.familyNames.contains(MetricsRenderer.notCollectedName), "the full library gives every field")
        let sampledAt = try #require(metrics.samples(MetricsRenderer.lastSampleName).first?.value)
        #expect(sampledAt >= before.rounded(.down) && sampledAt <= after + 1)
        #expect(written == Set(expected.keys), "unexpected: \(written.subtracting(expected.keys)), missing: \(Set(expected.keys).subtracting(written))")

        let temperatures = metrics.samples("DCGM_FI_DEV_GPU_TEMP")
        let first = try #require(temperatures.first { $0[label: "gpu"] == "0" })
        #expect(first.labelNames == ["gpu", "UUID", "pci_bus_id", "device", "modelName", "Hostname", "DCGM_FI_DRIVER_VERSION"])
        #expect(first[label: "UUID"] == uuid)
        #expect(first[label: "pci_bus_id"] == busID)
        #expect(first[label: "device"] == "nvidia0")
        #expect(first[label: "modelName"] == name)
        #expect(first[label: "Hostname"] == "gpu-host-7")
        #expect(first[label: "DCGM_FI_DRIVER_VERSION"] == driver)
        let second = try #require(temperatures.first { $0[label: "gpu"] == "1" })
        #expect(second[label: "UUID"] != uuid && second[label: "device"] == "nvidia1")

        let xid = try #require(metrics.samples("DCGM_FI_DEV_XID_ERRORS").first)
        #expect(xid[label: "err_code"] == "0" && xid[label: "err_msg"] == "No Error")
        // dcgm-exporter's types: counters for energy and replays, gauges for the rest.
        #expect(metrics.family("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION")?.type == .counter)
        #expect(metrics.family("DCGM_FI_DEV_POWER_USAGE")?.type == .gauge)
        // Power prints as dcgm-exporter's %f.
        #expect(text.contains("DCGM_FI_DEV_POWER_USAGE{gpu=\"0\","))
        #expect(text.contains("} 94.853000\n"))
    }

    @Test("a library without the newer symbols gives every other field and names what is not collected")
    func partialLibrary() async throws {
        let standIn = try await StandIn.build(StandInLibrary(gpus: 2, partial: true))
        defer { standIn.remove() }
        let expected = try H200Reading.load().expected()
        let config = AgentConfiguration(nvmlLibraryPath: standIn.path, hostname: "old-driver")
        let (text, notes) = try await withAgent(config) { url, collector in
            (try await fetch(url + "/metrics").body, collector.startupNotes)
        }
        let metrics = try ExpositionParser.parse(text)
        let absent: Set = ["DCGM_FI_DEV_CLOCKS_EVENT_REASONS", "DCGM_FI_DEV_MEMORY_TEMP", "DCGM_FI_DEV_FB_RESERVED"]
        for (series, value) in expected {
            if absent.contains(series) {
                #expect(metrics.samples(series).isEmpty, "\(series) is absent, never 0")
            } else if series == "DCGM_FI_DEV_FB_USED" {
                // Without _v2, "used" includes the driver's reservation (as NVML v1 reports it).
                #expect(metrics.samples(series).first?.value == expected["DCGM_FI_DEV_FB_RESERVED"])
            } else {
                #expect(metrics.samples(series).first?.value == value, "\(series)")
            }
        }
        let gaps = metrics.samples(MetricsRenderer.notCollectedName)
        #expect(Set(gaps.compactMap { $0[label: "field"] }) == absent)
        // A call missing from the library is named once, not per GPU.
        #expect(gaps.count == 3 && gaps.allSatisfy { $0[label: "gpu"] == nil })
        let reasons = metrics.samples(MetricsRenderer.notCollectedName).compactMap { $0[label: "reason"] }
        #expect(reasons.contains { $0.contains("nvmlDeviceGetFieldValues is not in the NVML library") })
        #expect(reasons.contains { $0.contains("nvmlDeviceGetCurrentClocksEventReasons") })
        #expect(notes.count == 3)
        #expect(notes.contains { $0.contains("DCGM_FI_DEV_MEMORY_TEMP") && $0.contains("nvmlDeviceGetFieldValues") })
    }

    @Test("a missing library is one clear message, not a crash")
    func missingLibrary() throws {
        let path = "/nonexistent/libnvidia-ml.so.1"
        let error = #expect(throws: AgentError.self) {
            _ = try NVMLCollector.open(AgentConfiguration(nvmlLibraryPath: path))
        }
        let text = try #require(error).description
        #expect(text.hasPrefix("cannot load NVML (\(path)): "))
        #expect(text.contains("No such file") || text.contains("cannot open"))
        #expect(text.contains("--nvml-library"))
        #expect(!text.contains("\n"))
    }

    @Test("a library that is not NVML names the entry points it lacks")
    func notNVML() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aif-notnvml-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let source = directory + "/empty.c"
        try "int not_nvml(void) { return 0; }\n".write(toFile: source, atomically: true, encoding: .utf8)
        let path = try await StandInLibrary().build(source: source, into: directory)
        let error = #expect(throws: AgentError.self) {
            _ = try NVMLCollector.open(AgentConfiguration(nvmlLibraryPath: path))
        }
        #expect(error == .notNVML(path: path, missing: ["nvmlInit_v2", "nvmlShutdown", "nvmlDeviceGetCount_v2", "nvmlDeviceGetHandleByIndex_v2"]))
    }

    @Test("an NVML XID event shows up as the last XID, with dcgm-exporter's err_code and err_msg")
    func xidEvent() async throws {
        let standIn = try await StandIn.build(StandInLibrary(gpus: 2))
        defer { standIn.remove() }
        let config = AgentConfiguration(nvmlLibraryPath: standIn.path, interval: .seconds(1))
        let text = try await withAgent(config) { url, collector in
            try standIn.injectXID(gpu: 1, xid: 79)
            let arrived = try await eventually { collector.store.snapshot.gpus[1].lastXID == 79 }
            #expect(arrived)
            return try await fetch(url + "/metrics").body
        }
        let samples = try ExpositionParser.parse(text).samples("DCGM_FI_DEV_XID_ERRORS")
        let gpu1 = try #require(samples.first { $0[label: "gpu"] == "1" })
        #expect(gpu1.value == 79)
        #expect(gpu1[label: "err_code"] == "79")
        #expect(gpu1[label: "err_msg"] == "GPU has fallen off the bus")
        #expect(samples.first { $0[label: "gpu"] == "0" }?.value == 0, "the other GPU keeps its own last XID")
    }

    @Test("counters are read on the slower cadence and the PCIe throughput getter never")
    func cadences() async throws {
        let standIn = try await StandIn.build(StandInLibrary(gpus: 1))
        defer { standIn.remove() }
        let config = AgentConfiguration(nvmlLibraryPath: standIn.path, interval: .milliseconds(100), counterInterval: .seconds(2))
        try await withAgent(config) { _, collector in
            let sampled = try await eventually { collector.store.snapshot.generation >= 8 }
            #expect(sampled)
            let gauges = try standIn.calls("nvmlDeviceGetUtilizationRates")
            let energy = try standIn.calls("nvmlDeviceGetTotalEnergyConsumption")
            let replay = try standIn.calls("nvmlDeviceGetPcieReplayCounter")
            #expect(gauges >= 7)
            #expect(energy >= 1 && energy < gauges / 2, "energy \(energy) vs utilisation \(gauges)")
            #expect(replay == energy)
            #expect(try standIn.calls("nvmlDeviceGetPcieThroughput") == 0)
            // Board properties are read once.
            #expect(try standIn.calls("nvmlDeviceGetMaxPcieLinkWidth") == 1)
        }
    }

    @Test("a scrape serves the last sample without calling NVML")
    func scrapeDoesNotCallNVML() async throws {
        let standIn = try await StandIn.build(StandInLibrary(gpus: 1))
        defer { standIn.remove() }
        // A long interval: after the first sample, nothing samples during the scrapes.
        let config = AgentConfiguration(nvmlLibraryPath: standIn.path, interval: .seconds(3600), counterInterval: .seconds(3600))
        try await withAgent(config) { url, _ in
            let before = try standIn.calls("nvmlDeviceGetUtilizationRates")
            for _ in 0..<5 { #expect(try await fetch(url + "/metrics").status == 200) }
            #expect(try standIn.calls("nvmlDeviceGetUtilizationRates") == before)
        }
    }

    @Test("the server's health model lights up from the agent's series: Healthy idle, Critical on XID 79")
    func healthModelReadsAgent() async throws {
        let standIn = try await StandIn.build(StandInLibrary(gpus: 1))
        defer { standIn.remove() }
        let config = AgentConfiguration(nvmlLibraryPath: standIn.path)
        let (before, after) = try await withAgent(config) { url, collector in
            let before = try await fetch(url + "/metrics").body
            try standIn.injectXID(gpu: 0, xid: 79)
            _ = try await eventually { collector.store.snapshot.gpus[0].lastXID == 79 }
            return (before, try await fetch(url + "/metrics").body)
        }
        // What SnapshotBuilder does with Prometheus's answer: series name → GPUField, by `gpu`.
        func snapshot(_ text: String, xidHistory: [TimedValue]) throws -> NodeSnapshot {
            var values: [GPUField: Double] = [:]
            for sample in try ExpositionParser.parse(text).allSamples where sample[label: "gpu"] == "0" {
                if let field = GPUField(seriesName: sample.name) { values[field] = sample.value }
            }
            let gpu = GPUSnapshot(index: 0, modelName: "NVIDIA H200", gpuClass: "h200-141", values: values,
                                  lastSeen: Date(), xidHistory: xidHistory, xidBaseline: 0)
            return NodeSnapshot(node: "agent-node", gpuClass: "h200-141", sampleTime: Date(), exporterUp: true,
                                lastScrape: Date(), expectedGPUCount: 1, gpus: [gpu])
        }
        let healthy = HealthModel().evaluate(try snapshot(before, xidHistory: [TimedValue(time: Date(), value: 0)]))
        #expect(healthy.status == .healthy, "\(healthy.findings)")
        // Every field the health model's checks read, the agent gives: no "not collected" finding.
        #expect(!healthy.findings.contains { $0.reason.contains("not collected") }, "\(healthy.findings.map(\.reason))")
        let critical = HealthModel().evaluate(try snapshot(after, xidHistory: [
            TimedValue(time: Date().addingTimeInterval(-30), value: 0), TimedValue(time: Date(), value: 79),
        ]))
        #expect(critical.status == .critical, "\(critical.findings)")
    }
}
