import Fleet
import Foundation
import Logging
import PromQL
import PrometheusClient
import Store
import TestSupport
import Testing
@testable import Telemetry

/// `EventRecorder` against a fake `MetricsBackend` serving one GPU's DCGM series, and a real SQLite store.
@Suite("EventRecorder")
struct EventRecorderTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// The XID gauge's samples the fake serves; the test appends to it between polls.
    actor Series {
        var xid: [SamplePoint] = []
        var up = true
        var queries: [String] = []
        func append(_ time: Date, _ value: Double) { xid.append(SamplePoint(time: time.timeIntervalSince1970, value: value)) }
        func setUp(_ value: Bool) { up = value }
        func log(_ text: String) { queries.append(text) }
    }

    /// Canned answers for the queries `SnapshotBuilder` sends, chosen by what the query reads.
    struct FakeBackend: MetricsBackend {
        let series: Series
        var identity: String { "fake" }

        func instantQuery(_ query: ScopedQuery, at time: Date?) async throws(PrometheusClientError) -> QueryResult {
            let text = query.text
            await series.log(text)
            let now = (time ?? EventRecorderTests.t0).timeIntervalSince1970
            let labels = ["node": "n1", "gpu": "0", "UUID": "GPU-1111", "tenant": "acme", "job": "dcgm"]
            let xid = await series.xid.filter { $0.time <= now }
            let up = await series.up
            if text.hasPrefix("up") {
                return .vector([VectorSample(labels: ["node": "n1", "tenant": "acme", "job": "dcgm"], value: up ? 1 : 0, timestamp: now)])
            }
            guard up else { return .vector([]) }
            if text.contains("__name__") {
                let values: [(String, Double)] = [
                    ("DCGM_FI_DEV_GPU_TEMP", 50), ("DCGM_FI_DEV_GPU_UTIL", 40), ("DCGM_FI_DEV_FB_USED", 1000),
                    ("DCGM_FI_DEV_FB_FREE", 15000), ("DCGM_FI_DEV_XID_ERRORS", xid.last?.value ?? 0),
                ]
                return .vector(values.map { name, value in
                    var named = labels
                    named["__name__"] = name
                    return VectorSample(labels: named, value: value, timestamp: now)
                })
            }
            if text.contains("timestamp(") { return .vector([VectorSample(labels: labels, value: now, timestamp: now)]) }
            if text.contains("DCGM_EXP_XID_ERRORS_COUNT") { return .vector([]) }
            if text.contains("DCGM_FI_DEV_XID_ERRORS") && text.contains("offset") { return .vector([]) }
            if text.contains("DCGM_FI_DEV_XID_ERRORS") { return .matrix([RangeSeries(labels: labels, points: xid)]) }
            if text.contains("DCGM_FI_DEV_GPU_TEMP") {
                return .matrix([RangeSeries(labels: labels, points: [SamplePoint(time: now, value: 50)])])
            }
            return .vector([])
        }
    }

    static func makeStore() async throws -> (any Store, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aif-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try await StoreFactory.sqlite(path: directory.appendingPathComponent("db.sqlite").path, logger: quiet)
        _ = try await store.createTenant(name: "acme", displayName: "ACME")
        _ = try await store.registerNode(NodeRecord(
            name: "n1", host: "n1.example", dcgmAddress: "127.0.0.1:9400", gpuModel: "NVIDIA H100 80GB HBM3",
            gpuCount: 1, gpuMemoryMiB: 81559, gpuClass: "h100-80", holding: .dedicated(tenant: "acme")))
        return (store, directory)
    }

    static var quiet: Logger {
        var logger = Logger(label: "test.events")
        logger.logLevel = .critical
        return logger
    }

    @Test("XID gauge 0 → 79 → 79 records one event, and a restarted recorder neither loses nor recounts it")
    func xidOnceAcrossPollsAndRestart() async throws {
        let (store, directory) = try await Self.makeStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await closing(store) { store in
            let series = Series()
            let backend = FakeBackend(series: series)
            let at = { (seconds: TimeInterval) in Self.t0.addingTimeInterval(seconds) }

            await series.append(at(-30), 0)
            await series.append(at(0), 0)
            let recorder = EventRecorder(store: store, backend: backend, logger: Self.quiet)
            try await recorder.pollOnce(now: at(0))
            await series.append(at(15), 79)
            await series.append(at(30), 79)
            try await recorder.pollOnce(now: at(30))
            await series.append(at(45), 79)
            await series.append(at(60), 79)
            try await recorder.pollOnce(now: at(60))

            var events = try await store.events(nodes: ["n1"], since: .distantPast)
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event.kind == .xid && event.code == 79 && event.count == 1)
            #expect(event.firstSeen == at(15) && event.gpuUUID == "GPU-1111")

            let restarted = EventRecorder(store: store, backend: backend, logger: Self.quiet)
            await series.append(at(75), 79)
            await series.append(at(90), 79)
            try await restarted.pollOnce(now: at(90))
            events = try await store.events(nodes: ["n1"], since: .distantPast)
            #expect(events.count == 1 && events.first?.count == 1)

            let queries = await series.queries
            #expect(!queries.isEmpty && queries.allSatisfy { $0.contains(#"tenant="acme""#) }, "every query is tenant-scoped")
        }
    }

    @Test("exporter up → down is recorded once while it stays down; old events are pruned")
    func exporterDownAndRetention() async throws {
        let (store, directory) = try await Self.makeStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await closing(store) { store in
            let series = Series()
            let recorder = EventRecorder(store: store, backend: FakeBackend(series: series), retention: .seconds(3600), logger: Self.quiet)
            try await recorder.pollOnce(now: Self.t0)
            await series.setUp(false)
            try await recorder.pollOnce(now: Self.t0.addingTimeInterval(30))
            try await recorder.pollOnce(now: Self.t0.addingTimeInterval(60))
            let events = try await store.events(nodes: ["n1"], since: .distantPast)
            #expect(events.map(\.kind) == [.exporterDown])
            #expect(events.first?.count == 1 && events.first?.lastSeen == Self.t0.addingTimeInterval(60))

            await series.setUp(true)
            try await recorder.pollOnce(now: Self.t0.addingTimeInterval(2 * 3600))
            #expect(try await store.events(nodes: ["n1"], since: .distantPast).isEmpty, "pruned after the 1 h retention")
        }
    }
}
