import AsyncHTTPClient
import Fleet
import Foundation
@testable import Gateway
import Hummingbird
import Logging
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
import Store
import Synchronization
import TestSupport
import Testing

/// The gateway against a scripted upstream (two "vLLM nodes" of pool `shared` behind one loopback
/// server) and a temporary SQLite store: identity, quota from the ledger, rates, metering once,
/// failover, a broken stream, drain, disconnect and timeouts (issue 19).
@Suite("Inference gateway", .serialized)
struct GatewayTests {
    /// What the scripted upstream does, per node path (`up-a`, `up-b`).
    enum Behaviour: String, Sendable { case normal, fail500, dieMidStream, slowHead, slowStream }

    final class Upstream: Sendable {
        let behaviours = Mutex<[String: Behaviour]>([:])
        let served = Mutex<[String: Int]>([:])
        let cancelled = Mutex<Int>(0)
        static let tokens = 5
        static let promptTokens = 11

        func set(_ node: String, _ behaviour: Behaviour) { behaviours.withLock { $0[node] = behaviour } }
        func count(_ node: String) -> Int { served.withLock { $0[node, default: 0] } }

        var router: Router<BasicRequestContext> {
            let router = Router()
            router.post(":node/v1/chat/completions") { request, context -> Response in
                let node = try context.parameters.require("node")
                let behaviour = self.behaviours.withLock { $0[node] ?? .normal }
                self.served.withLock { $0[node, default: 0] += 1 }
                let body = try await request.body.collect(upTo: 1 << 20)
                let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
                if behaviour == .fail500 { return Response(status: .internalServerError) }
                if behaviour == .slowHead { try await Task.sleep(for: .seconds(3)) }
                let usage = #"{"prompt_tokens":\#(Self.promptTokens),"completion_tokens":\#(Self.tokens),"total_tokens":\#(Self.promptTokens + Self.tokens)}"#
                guard json["stream"] as? Bool == true else {
                    let answer = #"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],"usage":\#(usage)}"#
                    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
                }
                let includeUsage = (json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true
                return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                    do {
                        for index in 0..<Self.tokens {
                            if behaviour == .dieMidStream, index == 3 { throw CancellationError() }
                            try await writer.write(ByteBuffer(string: #"data: {"id":"x","choices":[{"index":0,"delta":{"content":"t\#(index)"}}]}"# + "\n\n"))
                            if behaviour == .slowStream { try await Task.sleep(for: .milliseconds(300)) }
                        }
                        if includeUsage {
                            try await writer.write(ByteBuffer(string: #"data: {"id":"x","choices":[],"usage":\#(usage)}"# + "\n\n"))
                        }
                        try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                        try await writer.finish(nil)
                    } catch {
                        if behaviour == .slowStream { self.cancelled.withLock { $0 += 1 } }
                        throw error
                    }
                })
            }
            return router
        }
    }

    /// The world: umbrella consumes pool `shared` (nodes `up-a`, `up-b` on the upstream) with
    /// `quota` tokens; acme has no subscription; keys per person.
    struct World {
        let store: any Store
        let directory: URL
        var keys: [String: String] = [:]

        static func make(upstreamPort: Int, quota: Int = 1_000_000, plan: String = "standard") async throws -> World {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aif-gw-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var logger = Logger(label: "test.store")
            logger.logLevel = .warning
            let store = try await StoreFactory.sqlite(path: directory.appendingPathComponent("aifactory.sqlite").path, logger: logger)
            var world = World(store: store, directory: directory)
            for tenant in ["umbrella", "acme", "globex"] { _ = try await store.createTenant(name: tenant, displayName: tenant) }
            _ = try await store.createPool(name: "shared", displayName: "Shared")
            for node in ["up-a", "up-b"] {
                _ = try await store.registerNode(NodeRecord(
                    name: node, host: node, dcgmAddress: "127.0.0.1:9", vllmAddress: "127.0.0.1:\(upstreamPort)", vllmPath: "/\(node)/metrics",
                    gpuModel: "NVIDIA H100 80GB HBM3", gpuCount: 1, gpuMemoryMiB: 81_559, gpuClass: "h100-80",
                    holding: .contributed(provider: "globex", pool: "shared")))
            }
            _ = try await store.createSubscription(tenant: "umbrella", pool: "shared", plan: plan, tokenQuota: quota, period: "month")
            for (name, tenant, kind) in [("umbrella-1", "umbrella", UserKind.tenantMember), ("umbrella-2", "umbrella", .tenantMember),
                                         ("acme", "acme", .tenantAdmin), ("operator", nil, .siteOperator)] {
                let user = try await store.createUser(name: name, tenant: tenant, kind: kind)
                world.keys[name] = try await store.createAPIKey(userID: user.id, label: "test").1
            }
            return world
        }

        func close() async {
            try? await store.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var error: [String: Any]? { ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any])?["error"] as? [String: Any] }
    }

    static func post(_ base: String, key: String?, _ json: [String: Any], path: String = "/v1/chat/completions") async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 4 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }

    static func get(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 4 << 20))
    }

    static var chat: [String: Any] { ["model": "m", "messages": [["role": "user", "content": "hello there"]], "max_tokens": 16] }
    static func streaming(_ extra: [String: Any] = [:]) -> [String: Any] { chat.merging(["stream": true]) { $1 }.merging(extra) { $1 } }

    /// Runs `body` with the upstream and a gateway over `world`, both on loopback.
    static func with(
        quota: Int = 1_000_000, plan: String = "standard", timeouts: Gateway.Timeouts = .init(firstByte: .seconds(10), total: .seconds(30)),
        _ body: @escaping @Sendable (_ upstream: Upstream, _ gateway: Gateway, _ world: World, _ base: String) async throws -> Void
    ) async throws {
        let upstream = Upstream()
        try await withLoopbackServer(upstream.router) { upstreamURL in
            let port = Int(upstreamURL.split(separator: ":").last!)!
            let world = try await World.make(upstreamPort: port, quota: quota, plan: plan)
            var logger = Logger(label: "test.gateway")
            logger.logLevel = .critical
            let gateway = Gateway(store: world.store, timeouts: timeouts, maxBodyBytes: 64 << 10, logger: logger)
            do {
                try await withLoopbackServer(gateway.router()) { base in try await body(upstream, gateway, world, base) }
            } catch {
                await world.close()
                throw error
            }
            await world.close()
        }
    }

    static func ledger(_ world: World) async throws -> UsageTotals {
        try await world.store.usageTotals(tenant: "umbrella", since: Date(timeIntervalSince1970: 0))
    }

    @Test("identity and input: 401 without or with an unknown key, 403 without a subscription, 400/413 naming the problem, OpenAI error shape")
    func identityAndValidation() async throws {
        try await Self.with { _, _, world, base in
            let none = try await Self.post(base, key: nil, Self.chat)
            #expect(none.status == 401)
            #expect(none.error?["code"] as? String == "invalid_api_key")
            #expect(try await Self.post(base, key: "aif_" + String(repeating: "0", count: 40), Self.chat).status == 401)
            let acme = try await Self.post(base, key: world.keys["acme"], Self.chat)
            #expect(acme.status == 403)
            #expect((acme.error?["message"] as? String)?.contains("no subscription") == true)
            #expect(try await Self.post(base, key: world.keys["operator"], Self.chat).status == 403)
            let key = world.keys["umbrella-1"]
            let big = try await Self.post(base, key: key, Self.chat.merging(["max_tokens": 100_000]) { $1 })
            #expect(big.status == 400)
            #expect((big.error?["message"] as? String)?.contains("'max_tokens' is 100000; plan standard allows at most 4096") == true)
            #expect(try await Self.post(base, key: key, ["messages": []]).status == 400)
            let huge = try await Self.post(base, key: key, Self.chat.merging(["messages": [["role": "user", "content": String(repeating: "x", count: 70_000)]]]) { $1 })
            #expect(huge.status == 413)
            #expect(try await Self.ledger(world).requests == 0, "refused requests meter nothing")
        }
    }

    @Test("streaming: the added usage chunk is metered exactly and not forwarded unless asked; the ledger and /metrics agree")
    func meteringOnce() async throws {
        try await Self.with { _, _, world, base in
            let key = world.keys["umbrella-1"]
            let plain = try await Self.post(base, key: key, Self.streaming())
            #expect(plain.status == 200)
            #expect(plain.body.hasSuffix("data: [DONE]\n\n"))
            #expect(!plain.body.contains(#""usage""#), "the client did not ask for usage: \(plain.body)")
            #expect(plain.body.components(separatedBy: "\"content\"").count - 1 == Upstream.tokens)
            let asked = try await Self.post(base, key: key, Self.streaming(["stream_options": ["include_usage": true]]))
            #expect(asked.body.contains(#""usage""#), "the client asked for usage")
            let whole = try await Self.post(base, key: key, Self.chat)
            #expect(whole.status == 200 && whole.body.contains(#""usage""#))
            let totals = try await Self.ledger(world)
            #expect(totals.requests == 3)
            #expect(totals.tokensIn == 3 * Upstream.promptTokens)
            #expect(totals.tokensOut == 3 * Upstream.tokens)
            let metrics = try await Self.get(base + "/metrics")
            #expect(metrics.contains(#"aifactory_usage_tokens_total{direction="output",tenant="umbrella",pool="shared",model="m""#))
            #expect(metrics.contains(#"aifactory_usage_requests_total{code="200",tenant="umbrella""#))
        }
    }

    @Test("quota: a stream admitted before exhaustion finishes; the next request gets 429 insufficient_quota with Retry-After")
    func quotaExhaustion() async throws {
        try await Self.with(quota: 15) { _, _, world, base in
            let key = world.keys["umbrella-1"]
            let first = try await Self.post(base, key: key, Self.streaming())
            #expect(first.status == 200 && first.body.hasSuffix("data: [DONE]\n\n"), "the admitted stream finishes")
            #expect(try await Self.ledger(world).tokens == Upstream.promptTokens + Upstream.tokens)
            let next = try await Self.post(base, key: key, Self.streaming())
            #expect(next.status == 429)
            #expect(next.error?["code"] as? String == "insufficient_quota")
            let retry = try #require(next.headers.first(name: "Retry-After").flatMap(Int.init))
            #expect(retry > 0 && retry <= 31 * 86_400)
        }
    }

    @Test("rates: per key before per tenant, 429 with Retry-After and the limit named; honouring Retry-After gets through")
    func rateLimits() async throws {
        try await Self.with(plan: "starter") { _, _, world, base in
            // starter: 5 requests/s per tenant, half of it (2.5) per key.
            // Sent until the first refusal. The bucket holds 2 and refills 2.5 a second, so the
            // admitted count is 2 plus what refilled while the requests were sent (nothing on an
            // idle machine; a loaded CI run once took long enough for a third).
            var statuses: [Int] = []
            var limited: Answer?
            let began = ContinuousClock.now
            while limited == nil, statuses.count < 20 {
                let answer = try await Self.post(base, key: world.keys["umbrella-1"], Self.chat)
                statuses.append(answer.status)
                if answer.status == 429 { limited = answer }
            }
            let elapsed = ContinuousClock.now - began
            let refilled = Int((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 2.5)
            let admitted = statuses.filter { $0 == 200 }.count
            #expect(admitted >= 2 && admitted <= 2 + refilled, "\(statuses) in \(elapsed)")
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 429 }, "\(statuses)")
            let refusal = try #require(limited, "no refusal in \(statuses)")
            #expect(refusal.error?["code"] as? String == "requests_per_second_key")
            let retry = try #require(refusal.headers.first(name: "Retry-After").flatMap(Int.init))
            // Another key of the tenant still has its own share.
            #expect(try await Self.post(base, key: world.keys["umbrella-2"], Self.chat).status == 200)
            try await Task.sleep(for: .seconds(retry))
            #expect(try await Self.post(base, key: world.keys["umbrella-1"], Self.chat).status == 200, "after Retry-After")
            let metrics = try await Self.get(base + "/metrics")
            #expect(metrics.contains(#"aifactory_usage_rate_limited_total{limit="requests_per_second_key""#))
        }
    }

    @Test("routing: failover before the first byte on a 5xx, drain sends nothing new to a node, a first-byte timeout is 504")
    func routing() async throws {
        try await Self.with(timeouts: .init(firstByte: .seconds(1), total: .seconds(30))) { upstream, gateway, world, base in
            let key = world.keys["umbrella-1"]
            upstream.set("up-a", .fail500)
            let failover = try await Self.post(base, key: key, Self.chat)
            #expect(failover.status == 200)
            #expect(upstream.count("up-a") == 1 && upstream.count("up-b") == 1, "tried up-a, served by up-b")
            #expect(try await Self.ledger(world).requests == 1, "metered once")

            upstream.set("up-a", .normal)
            await gateway.pool.drain("up-b")
            for _ in 0..<3 { #expect(try await Self.post(base, key: key, Self.chat).status == 200) }
            #expect(upstream.count("up-b") == 1, "nothing new reaches the draining node")
            await gateway.pool.restore("up-b")

            upstream.set("up-a", .slowHead)
            upstream.set("up-b", .slowHead)
            let slow = try await Self.post(base, key: key, Self.chat)
            #expect(slow.status == 504, "\(slow.body)")
            #expect(slow.error?["code"] as? String == "upstream_timeout")
            #expect(!slow.body.contains("up-a") && !slow.body.contains("up-b"), "a consumer never learns the provider's node names: \(slow.body)")
        }
    }

    @Test("an upstream dying mid-stream: a clean error event and [DONE], the delivered tokens metered once")
    func brokenStream() async throws {
        try await Self.with { upstream, _, world, base in
            upstream.set("up-a", .dieMidStream)
            upstream.set("up-b", .dieMidStream)
            let answer = try await Self.post(base, key: world.keys["umbrella-1"], Self.streaming())
            #expect(answer.status == 200)
            #expect(answer.body.contains(#""code":"upstream_stream_error""#), "\(answer.body)")
            #expect(answer.body.hasSuffix("data: [DONE]\n\n"))
            // The upstream wrote three tokens and then reset the connection: a reset may discard
            // what the gateway's kernel had not yet read, so "delivered" is what the client got.
            let delivered = answer.body.components(separatedBy: "\"content\"").count - 1
            #expect((0...3).contains(delivered), "\(answer.body)")
            let totals = try await Self.ledger(world)
            #expect(totals.requests == 1)
            #expect(totals.tokensOut == delivered, "every delivered token metered, once")
        }
    }

    @Test("a client that disconnects mid-stream cancels the upstream request")
    func disconnectCancels() async throws {
        try await Self.with { upstream, _, world, base in
            upstream.set("up-a", .slowStream)
            upstream.set("up-b", .slowStream)
            var request = HTTPClientRequest(url: base + "/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Authorization", value: "Bearer \(world.keys["umbrella-1"]!)")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: Self.streaming())))
            let task = Task {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
                for try await _ in response.body { break }  // the first event, then hang up
            }
            _ = try? await task.value
            var cancelled = false
            for _ in 0..<50 where !cancelled {
                cancelled = upstream.cancelled.withLock { $0 } >= 1
                if !cancelled { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(cancelled, "the upstream saw the request go away")
        }
    }
}

/// The ledger on its own: idempotent per request id.
@Suite("Usage ledger")
struct UsageLedgerTests {
    @Test("a request id counts once; totals per tenant since a moment")
    func idempotent() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aif-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await closing(try await StoreFactory.sqlite(path: directory.appendingPathComponent("a.sqlite").path, logger: Logger(label: "t"))) { store in
            let at = Date(timeIntervalSince1970: 1_800_000_000)
            let entry = UsageEntry(requestID: "req_1", tenant: "umbrella", pool: "shared", keyID: "k_1", model: "m",
                                   tokensIn: 10, tokensOut: 20, status: 200, source: "upstream", at: at)
            #expect(try await store.recordUsage(entry))
            #expect(try await store.recordUsage(entry) == false, "the same request is not counted twice")
            var later = entry
            later.requestID = "req_2"
            later.at = at.addingTimeInterval(100)
            _ = try await store.recordUsage(later)
            #expect(try await store.usageTotals(tenant: "umbrella", since: at) == UsageTotals(tokensIn: 20, tokensOut: 40, requests: 2))
            #expect(try await store.usageTotals(tenant: "umbrella", since: at.addingTimeInterval(50)).requests == 1)
            #expect(try await store.usageTotals(tenant: "acme", since: at).requests == 0)
        }
    }
}

/// The SSE relay on its own: events split across chunks, the added usage chunk taken, `[DONE]`.
@Suite("SSE relay")
struct SSERelayTests {
    @Test("events cut anywhere are reassembled; the usage chunk is kept from a client that did not ask; content counted")
    func relay() {
        let stream = #"data: {"choices":[{"delta":{"content":"a"}}]}"# + "\n\n"
            + #"data: {"choices":[{"delta":{"role":"assistant","content":""}}]}"# + "\n\n"
            + #"data: {"choices":[{"delta":{"content": "b"}}]}"# + "\n\n"
            + #"data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}"# + "\n\n"
            + "data: [DONE]\n\n"
        for cut in [1, 7, 50, stream.utf8.count] {
            var relay = SSERelay(forwardUsage: false)
            var events: [SSERelay.Event] = []
            let bytes = Array(stream.utf8)
            var index = 0
            while index < bytes.count {
                let end = min(bytes.count, index + cut)
                events += relay.feed(ByteBuffer(bytes: bytes[index..<end]))
                index = end
            }
            let forwarded = events.compactMap { if case .forward(let bytes) = $0 { String(decoding: bytes, as: UTF8.self) } else { nil } }
            #expect(forwarded.count == 3, "cut \(cut): \(forwarded)")
            #expect(!forwarded.joined().contains("usage"))
            #expect(events.contains(.usage(Metering.Usage(prompt: 3, completion: 2))))
            #expect(relay.contentEvents == 2, "the empty role delta carries no token")
            #expect(relay.finished)
        }
        var asking = SSERelay(forwardUsage: true)
        let events = asking.feed(ByteBuffer(string: #"data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}"# + "\n\n"))
        #expect(events.count == 2, "taken and forwarded when the client asked")
    }
}
