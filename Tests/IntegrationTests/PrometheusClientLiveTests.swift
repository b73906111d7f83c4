import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PromQL
import PrometheusClient
import ServiceLifecycle
import Stack
import TestSupport
import Testing
import NIOHTTP1

/// `PrometheusClient` against real backends on loopback: the Debian `prometheus` scraping itself,
/// and the Debian `victoria-metrics` fed through its import API and read through `/prometheus`.
@Suite("PrometheusClient against real backends", .serialized)
struct PrometheusClientLiveTests {
    static let scope = { () -> TenantScope in
        do { return try TenantScope(tenant: "acme") } catch { fatalError("static scope: \(error)") }
    }()

    @Test("Prometheus: query, range, series, labels, values, targets, rules, buildinfo; bad_data; down")
    func prometheus() async throws {
        guard let binary = ExternalTool.require("prometheus") else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-client-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)

        let port = try #require(PortProbe.freePort())
        let runtime = PrometheusRuntime(binary: binary, port: port, stateDirectory: state)
        let ready = Rendezvous<String>()
        // Prometheus scrapes itself every second; the target label puts its series in tenant acme.
        let prometheus = PrometheusService(runtime: runtime, ready: ready) {
            PrometheusConfig(
                scrapeInterval: .seconds(1),
                targets: [ScrapeTarget(job: "prometheus", address: "127.0.0.1:\(port)", metricsPath: "/metrics", labels: ["tenant": "acme"])]
            )
        }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let group = ServiceGroup(services: [prometheus], logger: logger)
        let client = PrometheusClient(baseURL: runtime.url, timeout: .seconds(5))
        let up = try Self.scope.rewrite("up")

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                // A group that ends before Prometheus is ready wakes the waiter with its reason.
                do { try await group.run(); await ready.fail(CancellationError()) } catch { await ready.fail(error); throw error }
            }
            defer { tasks.cancelAll() }
            _ = try await ready.wait()
            // Stopped gracefully also when a check throws: a cancelled server trips a NIO precondition.
            do {
                #expect(await client.isReady())

                let scraped = try await PrometheusHTTP.eventually(timeout: .seconds(30)) {
                    try await client.queryRange(up, start: .now.addingTimeInterval(-60), end: .now, step: .seconds(1)).first?.points.count ?? 0 >= 3
                }
                #expect(scraped, "Prometheus did not scrape itself three times")

                let samples = try await client.query(up)
                #expect(samples.count == 1)
                #expect(samples.first?.labels["job"] == "prometheus" && samples.first?.labels["tenant"] == "acme" && samples.first?.value == 1)

                let scalar = try await client.instantQuery(try Self.scope.rewrite("scalar(up)"))
                guard case .scalar(let point) = scalar else { Issue.record("expected a scalar, got \(scalar)"); return }
                #expect(point.value == 1)

                let range = try await client.queryRange(up, start: .now.addingTimeInterval(-30), end: .now, step: .seconds(1))
                #expect(range.count == 1 && (range.first?.points.count ?? 0) >= 3)
                #expect(range.first?.points.allSatisfy { $0.value == 1 } == true)

                let series = try await client.series(match: [up], start: .now.addingTimeInterval(-300), end: .now)
                #expect(series.contains { $0["job"] == "prometheus" && $0["tenant"] == "acme" })
                #expect(try await client.labels(match: [up]).contains("tenant"))
                #expect(try await client.labelValues("job", match: [up]) == ["prometheus"])
                #expect(try await client.labelValues("tenant", match: [try Self.scope.rewrite("prometheus_build_info")]) == ["acme"])

                let targets = try await client.targets()
                #expect(targets.count == 1)
                #expect(targets.first?.health == .up && targets.first?.scrapeURL == "http://127.0.0.1:\(port)/metrics")
                #expect(targets.first?.lastScrape.map { abs($0.timeIntervalSinceNow) < 60 } == true)
                #expect(try await client.rules().isEmpty)
                #expect(try await client.buildInfo().version.hasPrefix("2."))

                // More than 11,000 points per series: Prometheus refuses with 400 bad_data.
                do throws(PrometheusClientError) {
                    _ = try await client.queryRange(up, start: .now.addingTimeInterval(-3600), end: .now, step: .milliseconds(100))
                    Issue.record("expected bad_data")
                } catch {
                    guard case .rejected(400, "bad_data", _) = error else { Issue.record("got \(error)"); return }
                    #expect(!error.isUpstreamOutage)
                }
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
        }

        // Prometheus is gone: the same client now reports an outage.
        do throws(PrometheusClientError) {
            _ = try await client.query(up)
            Issue.record("expected unreachable after shutdown")
        } catch {
            #expect(error.isUpstreamOutage, "\(error)")
        }
        #expect(await client.isReady() == false)
    }

    @Test("VictoriaMetrics via /prometheus: query, range, series, labels, values, buildinfo; tenant values stay scoped")
    func victoriaMetrics() async throws {
        guard let binary = ExternalTool.require("victoria-metrics") else { return }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("aif-vm-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)

        let (process, url) = try await Self.startVictoriaMetrics(binary: binary, dataPath: data)
        defer {
            process.terminate()
            _ = ProcessExit.waitBlocking(process)
        }
        // Two tenants' samples, 30 s and 15 s ago; import takes Prometheus text with ms timestamps.
        let now = Date()
        let t1 = Int64((now.timeIntervalSince1970 - 30) * 1000), t2 = Int64((now.timeIntervalSince1970 - 15) * 1000)
        let lines = """
        DCGM_FI_DEV_GPU_TEMP{tenant="acme",gpu="0"} 61 \(t1)
        DCGM_FI_DEV_GPU_TEMP{tenant="acme",gpu="0"} 62 \(t2)
        DCGM_FI_DEV_GPU_TEMP{tenant="acme",gpu="1"} 55.5 \(t2)
        DCGM_FI_DEV_GPU_TEMP{tenant="other",gpu="0"} 70 \(t2)

        """
        try await Self.post(url + "/api/v1/import/prometheus", body: lines)
        try await Self.post(url + "/internal/force_flush", body: "")

        let client = PrometheusClient(baseURL: url, basePath: "/prometheus", headers: [("X-Scope-OrgID", "acme")], timeout: .seconds(5))
        #expect(await client.isReady())
        let temp = try Self.scope.rewrite("DCGM_FI_DEV_GPU_TEMP")

        let visible = try await PrometheusHTTP.eventually(timeout: .seconds(20)) {
            try await client.query(temp).count == 2
        }
        #expect(visible)
        let samples = try await client.query(temp, at: now).sorted { $0.labels["gpu"] ?? "" < $1.labels["gpu"] ?? "" }
        #expect(samples.map { $0.labels["tenant"] } == ["acme", "acme"])
        #expect(samples.first?.value == 62)

        let range = try await client.queryRange(temp, start: now.addingTimeInterval(-60), end: now, step: .seconds(5))
        #expect(range.count >= 1)
        #expect(range.allSatisfy { $0.labels["tenant"] == "acme" })
        #expect(range.flatMap(\.points).contains { $0.value == 61 })

        let series = try await client.series(match: [temp], start: now.addingTimeInterval(-300), end: now)
        #expect(Set(series.compactMap { $0["gpu"] }) == ["0", "1"])
        #expect(series.allSatisfy { $0["tenant"] == "acme" })
        #expect(try await client.labels(match: [temp]).contains("gpu"))
        #expect(try await client.labelValues("tenant", match: [temp]) == ["acme"], "the other tenant must not be listed")
        #expect(try await client.labelValues("gpu", match: [temp]) == ["0", "1"])
        _ = try await client.buildInfo()

        // More points per series than VictoriaMetrics allows (30,000): 422, rejected, not an outage.
        do throws(PrometheusClientError) {
            _ = try await client.queryRange(temp, start: now.addingTimeInterval(-3600), end: now, step: .milliseconds(100))
            Issue.record("expected a rejection")
        } catch {
            guard case .rejected = error else { Issue.record("got \(error)"); return }
            #expect(!error.isUpstreamOutage)
        }
    }

    /// Starts `victoria-metrics` on a free loopback port, retrying when the port was taken.
    static func startVictoriaMetrics(binary: String, dataPath: String) async throws -> (Process, String) {
        for _ in 0..<3 {
            let port = try #require(PortProbe.freePort())
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [
                "-httpListenAddr=127.0.0.1:\(port)", "-storageDataPath=\(dataPath)", "-retentionPeriod=1d",
                "-search.latencyOffset=0s", "-search.disableCache", "-loggerLevel=ERROR",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let url = "http://127.0.0.1:\(port)"
            let alive = ProcessAlive(process)
            do {
                try await ReadinessProbe.wait(for: url + "/health", name: "victoria-metrics", timeout: .seconds(30), stillAlive: { alive.isRunning })
            } catch {
                process.terminate()
                _ = await ProcessExit.wait(process)
                throw error
            }
            if process.isRunning { return (process, url) }
            _ = await ProcessExit.wait(process)
        }
        throw TestFailure("victoria-metrics did not start")
    }

    static func post(_ url: String, body: String) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else { throw TestFailure("POST \(url) answered \(response.status.code)") }
    }
}

/// `Process` is not Sendable; this wrapper only reads `isRunning`, which Foundation guards itself.
private struct ProcessAlive: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
    var isRunning: Bool { process.isRunning }
}
