import AsyncHTTPClient
import Fleet
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
@testable import Stack
import Store
import Synchronization
import TestSupport
import Testing

/// The request ids whose streams a client saw end with `[DONE]`.
final class Finished: Sendable {
    let ids = Mutex<[String]>([])
}

/// Issue 19: the usage ledger survives `kill -9` of `aifactory gateway`: every request whose
/// client saw `[DONE]` is in the ledger, none twice, and the restarted gateway goes on from it.
@Suite("Gateway ledger under kill -9", .serialized)
struct GatewayLedgerTests {
    /// A vLLM stand-in that streams `tokens` tokens 40 ms apart, with the usage chunk when asked.
    static func upstream(tokens: Int) -> Router<BasicRequestContext> {
        let router = Router()
        router.post(":node/v1/chat/completions") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            let includeUsage = (json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                for index in 0..<tokens {
                    try await writer.write(ByteBuffer(string: #"data: {"choices":[{"index":0,"delta":{"content":"t\#(index)"}}]}"# + "\n\n"))
                    try await Task.sleep(for: .milliseconds(40))
                }
                if includeUsage {
                    try await writer.write(ByteBuffer(string: #"data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":\#(tokens)}}"# + "\n\n"))
                }
                try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                try await writer.finish(nil)
            })
        }
        return router
    }

    @Test("kill -9 mid-load: nothing a client saw finish is lost, nothing counted twice; a restart meters on")
    func killNine() async throws {
        guard let binary = ProcessRunner.aifactoryBinary else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-gwkill-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: state) }
        try await withLoopbackServer(Self.upstream(tokens: 10)) { upstreamURL in
            let port = Int(upstreamURL.split(separator: ":").last!)!
            var logger = Logger(label: "test.store")
            logger.logLevel = .warning
            let key = try await closing(try await StoreFactory.sqlite(path: state + "/aifactory.sqlite", logger: logger)) { seeding in
                _ = try await seeding.createTenant(name: "umbrella", displayName: "Umbrella")
                _ = try await seeding.createTenant(name: "globex", displayName: "Globex")
                _ = try await seeding.createPool(name: "shared", displayName: "Shared")
                _ = try await seeding.registerNode(NodeRecord(
                    name: "up-a", host: "up-a", dcgmAddress: "127.0.0.1:9", vllmAddress: "127.0.0.1:\(port)", vllmPath: "/up-a/metrics",
                    gpuModel: "NVIDIA H100 80GB HBM3", gpuCount: 1, gpuMemoryMiB: 81_559, gpuClass: "h100-80",
                    holding: .contributed(provider: "globex", pool: "shared")))
                _ = try await seeding.createSubscription(tenant: "umbrella", pool: "shared", plan: "enterprise", tokenQuota: 10_000_000, period: "month")
                let user = try await seeding.createUser(name: "umbrella-1", tenant: "umbrella", kind: .tenantMember)
                return try await seeding.createAPIKey(userID: user.id, label: "test").1
            }

            func start() throws -> (ChildProcess, String) {
                let gatewayPort = try #require(PortProbe.freePort())
                let child = try ChildProcess(
                    name: "gateway", executable: binary, arguments: ["gateway", "--listen", "127.0.0.1:\(gatewayPort)", "--state-dir", state],
                    logPath: state + "/gateway.log")
                return (child, "http://127.0.0.1:\(gatewayPort)")
            }
            func ready(_ base: String) async -> Bool {
                for _ in 0..<100 {
                    if let answer = try? await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/healthz"), timeout: .seconds(1)),
                       answer.status == .ok { return true }
                    try? await Task.sleep(for: .milliseconds(100))
                }
                return false
            }
            let finished = Finished()
            @Sendable func stream(_ base: String) async {
                var request = HTTPClientRequest(url: base + "/v1/chat/completions")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "Authorization", value: "Bearer \(key)")
                request.body = .bytes(ByteBuffer(string: #"{"model":"m","stream":true,"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#))
                guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(30)) else { return }
                let id = response.headers.first(name: "X-Request-Id") ?? ""
                var text = ""
                do {
                    for try await chunk in response.body { text += String(buffer: chunk) }
                } catch {
                    return
                }
                if text.hasSuffix("data: [DONE]\n\n"), !text.contains("upstream_stream_error") { finished.ids.withLock { $0.append(id) } }
            }

            let (first, base) = try start()
            #expect(await ready(base), "the gateway came up: \(first.logTail(lines: 5))")
            // 40 streams of ~0.4 s, 8 at a time; the gateway dies in the middle of it.
            await withTaskGroup(of: Void.self) { group in
                for wave in 0..<5 {
                    for _ in 0..<8 { group.addTask { await stream(base) } }
                    if wave == 2 {
                        try? await Task.sleep(for: .milliseconds(200))
                        kill(first.pid, SIGKILL)
                    }
                    try? await Task.sleep(for: .milliseconds(450))
                }
            }
            _ = await first.exitStatus()
            let seen = finished.ids.withLock { $0 }
            #expect(seen.count >= 8, "some streams finished before the kill: \(seen.count)")

            let totals = try await closing(try await StoreFactory.sqlite(path: state + "/aifactory.sqlite", logger: logger)) { store in
                try await store.usageTotals(tenant: "umbrella", since: Date(timeIntervalSince1970: 0))
            }
            #expect(totals.requests >= seen.count, "every stream a client saw finish is in the ledger")
            #expect(totals.requests <= seen.count + 8, "at most the in-flight ones besides")
            #expect(totals.tokensOut == totals.requests * 10 && totals.tokensIn == totals.requests * 7, "each counted once, from the upstream's usage")

            // Restarted on the same ledger: it goes on counting from there.
            let (second, again) = try start()
            #expect(await ready(again))
            await stream(again)
            second.requestStop(grace: .seconds(5))
            _ = await second.exitStatus()
            let restartedTotals = try await closing(try await StoreFactory.sqlite(path: state + "/aifactory.sqlite", logger: logger)) { after in
                try await after.usageTotals(tenant: "umbrella", since: Date(timeIntervalSince1970: 0))
            }
            #expect(restartedTotals.requests == totals.requests + 1)
        }
    }
}
