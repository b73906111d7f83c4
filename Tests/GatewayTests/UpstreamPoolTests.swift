import Fleet
import Foundation
@testable import Gateway
import Testing

/// Routing order: vLLM's own report where fresh, the in-flight count otherwise, a full KV cache
/// last, draining nodes never.
@Suite("Upstream pool order")
struct UpstreamPoolTests {
    static func node(_ name: String, vllm: Bool = true) -> NodeRecord {
        NodeRecord(
            name: name, host: name, dcgmAddress: "127.0.0.1:9", vllmAddress: vllm ? "127.0.0.1:8000" : nil, vllmPath: vllm ? "/\(name)/metrics" : nil,
            gpuModel: "NVIDIA H100 80GB HBM3", gpuCount: 1, gpuMemoryMiB: 81_559, gpuClass: "h100-80",
            holding: .contributed(provider: "globex", pool: "shared"))
    }

    @Test("reported load orders the nodes, saturated KV goes last, a stale report gives way to in-flight counts, draining is skipped")
    func order() async throws {
        let nodes = ["a", "b", "c", "d"].map { Self.node($0) } + [Self.node("e", vllm: false)]
        let pool = UpstreamPool(maxAge: .milliseconds(300), kvSaturation: 0.95)
        #expect(await pool.order(nodes).map(\.name) == ["a", "b", "c", "d"], "nothing known: by name; no vLLM: left out")

        await pool.begin("b")
        #expect(await pool.order(nodes).map(\.name) == ["a", "c", "d", "b"], "in flight here")

        // vLLM says a runs 6 (another replica's traffic), c 2 and d has its KV cache full.
        await pool.report(["a": NodeLoad(running: 6, kvCacheUsage: 0.3), "c": NodeLoad(running: 2, kvCacheUsage: 0.5),
                           "d": NodeLoad(running: 0, kvCacheUsage: 0.97)])
        #expect(await pool.order(nodes).map(\.name) == ["b", "c", "a", "d"])

        // The larger of the two counts: 3 in flight here beats c's reported 2.
        for _ in 0..<3 { await pool.begin("c") }
        await pool.report(["c": NodeLoad(running: 2, kvCacheUsage: 0.5), "a": NodeLoad(running: 2, kvCacheUsage: 0.3)])
        #expect(await pool.order(nodes).map(\.name) == ["b", "a", "c", "d"], "c counts 3 (here), not 2 (reported)")

        await pool.drain("b")
        #expect(await !pool.order(nodes).map(\.name).contains("b"))
        await pool.restore("b")

        // Reports age out: only the in-flight counts remain (b 1, c 3).
        try await Task.sleep(for: .milliseconds(400))
        #expect(await pool.order(nodes).map(\.name) == ["a", "d", "b", "c"])
    }
}
