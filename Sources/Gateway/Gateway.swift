public import AsyncHTTPClient
public import Fleet
public import Foundation
public import Hummingbird
import HTTPTypes
public import Logging
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
public import Store

/// The inference gateway (docs/GATEWAY.md): an OpenAI-compatible proxy in front of a pool's vLLM
/// nodes that knows who calls, enforces the subscription's quota from the usage ledger and the
/// plan's rates (429 with `Retry-After`), routes to the least-loaded node with failover before the
/// first byte, and meters every request exactly once from the upstream's own usage report.
public struct Gateway: Sendable {
    public struct Timeouts: Sendable, Hashable {
        /// Until the upstream answers with its response head (connect included).
        public var firstByte: Duration
        /// The whole request, stream included.
        public var total: Duration

        public init(firstByte: Duration = .seconds(30), total: Duration = .seconds(600)) {
            self.firstByte = firstByte
            self.total = total
        }
    }

    /// The ledger key of a request, returned to the client so a bill line can be traced.
    static let requestIDHeader = HTTPField.Name("X-Request-Id")!

    public let store: any Store
    public let plans: GatewayPlans
    public let pool: UpstreamPool
    public let metrics: GatewayMetrics
    public let timeouts: Timeouts
    public let maxBodyBytes: Int
    let limits = RateLimits()
    let ledger: LedgerWriter
    let quota: QuotaTracker
    let drains: DrainCache
    let client: HTTPClient
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        store: any Store, plans: GatewayPlans = .defaults, pool: UpstreamPool = UpstreamPool(), metrics: GatewayMetrics = GatewayMetrics(),
        timeouts: Timeouts = Timeouts(), maxBodyBytes: Int = 1 << 20, client: HTTPClient = .gateway,
        logger: Logger = Logger(label: "aifactory.gateway"), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.ledger = LedgerWriter(store: store, logger: logger)
        self.quota = QuotaTracker(store: store)
        self.drains = DrainCache(store: store, logger: logger)
        self.plans = plans
        self.pool = pool
        self.metrics = metrics
        self.timeouts = timeouts
        self.maxBodyBytes = maxBodyBytes
        self.client = client
        self.logger = logger
        self.now = now
    }

    /// Who is calling and under which subscription and plan.
    struct Caller: Sendable {
        var tenant: String
        var keyID: String
        var subscription: Subscription
        var plan: GatewayPlan
    }

    /// The key → tenant → subscription → plan; 401 / 403 with OpenAI's error shapes.
    func caller(_ request: Request) async throws -> Caller {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.count > 7 else {
            throw OpenAIError.unauthorized("Missing API key: send it as 'Authorization: Bearer <key>'.")
        }
        guard let (key, user) = try await store.authenticate(apiKey: String(header.dropFirst(7)), now: now()) else {
            throw OpenAIError.unauthorized("Incorrect API key provided.")
        }
        guard let tenant = user.tenant else {
            throw OpenAIError.forbidden("Site operator keys have no subscription; use a consumer tenant's key.")
        }
        guard let subscription = try await store.subscriptions(tenant: tenant).sorted(by: { $0.pool < $1.pool }).first else {
            throw OpenAIError.forbidden("Tenant '\(tenant)' has no subscription to a pool: ask the site operator for one.")
        }
        return Caller(tenant: tenant, keyID: key.id, subscription: subscription, plan: plans.plan(named: subscription.plan))
    }

    /// `GET /v1/models`: what the caller's pool serves, as the first reachable node says.
    func models(_ request: Request) async throws -> Response {
        let caller = try await caller(request)
        for node in await pool.order(try await poolNodes(caller)) {
            guard let base = node.openAIBase else { continue }
            var upstream = HTTPClientRequest(url: base + "/v1/models")
            upstream.method = .GET
            guard let answer = try? await client.execute(upstream, timeout: .seconds(5)), answer.status == .ok else { continue }
            let body = try await answer.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        throw OpenAIError.unavailable("No node of pool '\(caller.subscription.pool)' answers.")
    }

    /// The caller's pool's nodes, less those drained in the store (shared by every replica).
    func poolNodes(_ caller: Caller) async throws -> [NodeRecord] {
        let drained = await drains.nodes()
        return try await store.nodes().filter { $0.holding.pool == caller.subscription.pool && !drained.contains($0.name) }
    }

    /// `POST /v1/chat/completions` and `/v1/completions`.
    func complete(_ request: Request, path: String) async throws -> Response {
        let started = ContinuousClock.now
        let caller = try await caller(request)
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            throw OpenAIError(.contentTooLarge, type: "invalid_request_error", code: "request_too_large",
                              message: "The request body is larger than \(maxBodyBytes) bytes.")
        }
        guard var body = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] else {
            throw OpenAIError.invalid("The request body must be a JSON object.")
        }
        guard let model = body["model"] as? String, !model.isEmpty else {
            throw OpenAIError.invalid("'model' is required.", code: "missing_model")
        }
        let series = GatewayMetrics.Series(tenant: caller.tenant, pool: caller.subscription.pool, model: model, key: caller.keyID)
        if !caller.plan.models.isEmpty, !caller.plan.models.contains(model) {
            throw OpenAIError(.forbidden, type: "invalid_request_error", code: "model_not_allowed",
                              message: "Model '\(model)' is not in plan \(caller.plan.name) (allowed: \(caller.plan.models.joined(separator: ", "))).")
        }
        for field in ["max_tokens", "max_completion_tokens"] {
            guard let value = body[field] else { continue }
            guard let asked = value as? Int, asked > 0 else { throw OpenAIError.invalid("'\(field)' must be a positive integer.") }
            if asked > caller.plan.maxTokens {
                throw OpenAIError.invalid("'\(field)' is \(asked); plan \(caller.plan.name) allows at most \(caller.plan.maxTokens).", code: "max_tokens_exceeded")
            }
        }

        // Quota from the ledger: what every replica has metered this period.
        let subscription = caller.subscription
        guard subscription.tokenQuota > 0 else {
            throw OpenAIError(.forbidden, type: "invalid_request_error", code: "subscription_suspended",
                              message: "The subscription of '\(caller.tenant)' to pool '\(subscription.pool)' has no token quota (suspended).")
        }
        let at = now()
        let period = BillingPeriod(subscription.period, containing: at)
        let used = try await quota.used(tenant: caller.tenant, since: period.start)
        if used >= subscription.tokenQuota {
            metrics.rateLimited(series, limit: "quota")
            throw OpenAIError.rateLimited(
                "Token quota exhausted: \(used) of \(subscription.tokenQuota) tokens this \(subscription.period); it renews \(ISO8601DateFormatter().string(from: period.end)).",
                code: "insufficient_quota", retryAfter: max(1, Int(period.end.timeIntervalSince(at).rounded(.up))))
        }

        let promptEstimate = Metering.promptTokens(body)
        let estimate = promptEstimate + ((body["max_tokens"] as? Int) ?? (body["max_completion_tokens"] as? Int) ?? 256)
        if let refusal = await limits.admit(tenant: caller.tenant, key: caller.keyID, plan: caller.plan, tokens: estimate, now: at) {
            metrics.rateLimited(series, limit: refusal.limit)
            throw OpenAIError.rateLimited(refusal.message, code: refusal.limit, retryAfter: refusal.retryAfter)
        }
        let stream = body["stream"] as? Bool == true
        var clientWantsUsage = false
        if stream {
            var options = body["stream_options"] as? [String: Any] ?? [:]
            clientWantsUsage = options["include_usage"] as? Bool == true
            options["include_usage"] = true
            body["stream_options"] = options
        }
        let requestID = "req_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let meter = Metering(
            gateway: self, caller: caller, series: series, requestID: String(requestID), charged: estimate,
            promptEstimate: promptEstimate, started: started)
        let forwarded = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))

        let upstream: (node: NodeRecord, response: HTTPClientResponse)
        do {
            upstream = try await send(forwarded, path: path, caller: caller, requestID: String(requestID))
        } catch {
            await meter.settle(status: (error as? OpenAIError).map { Int($0.status.code) } ?? 502, usage: nil, delivered: 0, node: nil)
            throw error
        }
        let status = Int(upstream.response.status.code)
        guard stream, upstream.response.status == .ok else {
            // Not streamed (or an upstream refusal): read it whole, meter its usage, pass it on.
            let answer: ByteBuffer
            do {
                answer = try await upstream.response.body.collect(upTo: 16 << 20)
            } catch {
                await meter.settle(status: 502, usage: nil, delivered: 0, node: upstream.node.name)
                throw OpenAIError.unavailable("The upstream's answer broke off.")
            }
            let usage = Metering.usage(in: Data(buffer: answer))
            await meter.settle(status: status, usage: usage, delivered: usage == nil && status == 200 ? 1 : 0, node: upstream.node.name)
            var headers: HTTPFields = [.contentType: upstream.response.headers.first(name: "content-type") ?? "application/json"]
            headers[Self.requestIDHeader] = String(requestID)
            if let retry = upstream.response.headers.first(name: "retry-after") { headers[.retryAfter] = retry }
            return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: answer))
        }
        let node = upstream.node.name
        let response = upstream.response
        let forwardUsage = clientWantsUsage
        let total = timeouts.total
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", Self.requestIDHeader: String(requestID)],
            body: ResponseBody { writer in
                var relay = SSERelay(forwardUsage: forwardUsage)
                var usage: Metering.Usage?
                var failure: String?
                var clientGone = false
                let deadline = ContinuousClock.now + total
                do {
                    upstream: for try await chunk in response.body {
                        if ContinuousClock.now > deadline {
                            failure = "the request ran past the gateway's \(total) limit"
                            break
                        }
                        for event in relay.feed(chunk) {
                            var bytes: [UInt8]
                            switch event {
                            case .forward(let forward):
                                bytes = forward
                            case .usage(let reported):
                                usage = reported
                                continue
                            case .done(let done):
                                // Metered before the client sees the end: every request the
                                // client saw finish is in the ledger.
                                await meter.settle(status: 200, usage: usage, delivered: relay.contentEvents, node: node)
                                bytes = done
                            }
                            do {
                                try await writer.write(ByteBuffer(bytes: bytes))
                            } catch {
                                // The client went away: leaving the loop drops the upstream body,
                                // which cancels the upstream request.
                                clientGone = true
                                break upstream
                            }
                        }
                    }
                } catch {
                    failure = "the upstream connection broke off"
                }
                if clientGone {
                    await meter.settle(status: 499, usage: usage, delivered: relay.contentEvents, node: node)
                    return
                }
                if !relay.finished {
                    let why = failure ?? "the upstream ended the stream without [DONE]"
                    await meter.settle(status: 502, usage: usage, delivered: relay.contentEvents, node: node)
                    let event = OpenAIError(.badGateway, type: "api_error", code: "upstream_stream_error", message: "The response stream broke off: \(why).").event
                    try? await writer.write(ByteBuffer(string: event + "data: [DONE]\n\n"))
                }
                try await writer.finish(nil)
            })
    }

    /// Sends the request to the least-loaded node, failing over to the next on a connect error, a
    /// timeout before the response head or a 5xx — all before any byte reached the client.
    private func send(_ body: ByteBuffer, path: String, caller: Caller, requestID: String) async throws -> (NodeRecord, HTTPClientResponse) {
        let candidates = await pool.order(try await poolNodes(caller))
        guard !candidates.isEmpty else {
            throw OpenAIError.unavailable("Pool '\(caller.subscription.pool)' has no node serving inference (or all are draining).")
        }
        // Node names go to the log only: a consumer never learns a provider's hardware.
        var tried: [(node: String, why: String)] = []
        var lastTimedOut = false
        for node in candidates {
            guard let base = node.openAIBase else { continue }
            var building = HTTPClientRequest(url: base + path)
            building.method = .POST
            building.headers.add(name: "Content-Type", value: "application/json")
            building.headers.add(name: "X-Request-Id", value: requestID)
            building.body = .bytes(body)
            let request = building
            await pool.begin(node.name)
            lastTimedOut = false
            do {
                let response = try await withHeadTimeout(timeouts.firstByte) { [client, total = timeouts.total] in
                    try await client.execute(request, timeout: .seconds(Int64(total.components.seconds)))
                }
                if response.status.code < 500 { return (node, response) }
                tried.append((node.name, "answered \(response.status.code)"))
            } catch let error as OpenAIError {
                tried.append((node.name, error.message))
                lastTimedOut = error.status == .gatewayTimeout
            } catch {
                tried.append((node.name, "unreachable"))
            }
            await pool.end(node.name)
        }
        logger.warning("no upstream took the request", metadata: ["request": "\(requestID)", "tried": "\(tried.map { "\($0.node): \($0.why)" })"])
        if lastTimedOut {
            throw OpenAIError.timeout("No answer within \(timeouts.firstByte) from pool '\(caller.subscription.pool)' (\(Self.summary(tried))).")
        }
        throw OpenAIError.unavailable("No node of pool '\(caller.subscription.pool)' could take the request (\(Self.summary(tried))).")
    }

    /// "2 nodes tried: answered 500, unreachable" — reasons without names.
    static func summary(_ tried: [(node: String, why: String)]) -> String {
        "\(tried.count) node\(tried.count == 1 ? "" : "s") tried: " + tried.map(\.why).joined(separator: ", ")
    }

    private func withHeadTimeout(_ limit: Duration, _ body: @escaping @Sendable () async throws -> HTTPClientResponse) async throws -> HTTPClientResponse {
        try await withThrowingTaskGroup(of: HTTPClientResponse?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else {
                throw OpenAIError.timeout("no answer within \(limit)")
            }
            return response
        }
    }
}
