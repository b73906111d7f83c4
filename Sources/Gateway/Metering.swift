import Fleet
import Foundation
import Logging
import Store

/// One request's metering: settled exactly once (whatever path ends the request) into the
/// ledger, the usage metrics, the rate limits' token charge and the node's in-flight count.
actor Metering {
    /// Token counts as the upstream reports them (`usage` of an OpenAI answer).
    struct Usage: Sendable, Equatable {
        var prompt: Int
        var completion: Int

        init(prompt: Int, completion: Int) {
            self.prompt = prompt
            self.completion = completion
        }

        init?(_ value: Any?) {
            guard let object = value as? [String: Any], let prompt = object["prompt_tokens"] as? Int,
                  let completion = object["completion_tokens"] as? Int else { return nil }
            self.init(prompt: prompt, completion: completion)
        }
    }

    let gateway: Gateway
    let caller: Gateway.Caller
    let series: GatewayMetrics.Series
    let requestID: String
    let charged: Int
    let promptEstimate: Int
    let started: ContinuousClock.Instant
    private var settled = false

    init(gateway: Gateway, caller: Gateway.Caller, series: GatewayMetrics.Series, requestID: String, charged: Int,
         promptEstimate: Int, started: ContinuousClock.Instant) {
        self.gateway = gateway
        self.caller = caller
        self.series = series
        self.requestID = requestID
        self.charged = charged
        self.promptEstimate = promptEstimate
        self.started = started
    }

    /// Ends the request's accounting. Without an upstream usage report the documented fallback
    /// applies: prompt tokens estimated from the prompt's text (4 characters a token), output
    /// tokens = content events delivered (vLLM streams one token per event).
    func settle(status: Int, usage: Usage?, delivered: Int, node: String?) async {
        guard !settled else { return }
        settled = true
        let tokensIn = usage?.prompt ?? (delivered > 0 || status == 200 ? promptEstimate : 0)
        let tokensOut = usage?.completion ?? delivered
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        gateway.metrics.record(series, status: status, tokensIn: tokensIn, tokensOut: tokensOut, seconds: seconds)
        await gateway.limits.finish(tenant: caller.tenant, key: caller.keyID, charged: charged, used: tokensIn + tokensOut)
        if let node { await gateway.pool.end(node) }
        guard tokensIn + tokensOut > 0 || status == 200 else { return }
        let entry = UsageEntry(
            requestID: requestID, tenant: caller.tenant, pool: caller.subscription.pool, keyID: caller.keyID, model: series.model,
            tokensIn: tokensIn, tokensOut: tokensOut, status: status, source: usage == nil ? "estimated" : "upstream", at: gateway.now())
        await gateway.quota.add(tenant: caller.tenant, tokens: tokensIn + tokensOut)
        await gateway.ledger.append(entry)
    }

    /// A request's prompt size in tokens, estimated at 4 characters a token (the fallback only).
    static func promptTokens(_ body: [String: Any]) -> Int {
        var characters = 0
        if let messages = body["messages"] as? [[String: Any]] {
            for message in messages {
                if let text = message["content"] as? String { characters += text.count }
                if let parts = message["content"] as? [[String: Any]] {
                    characters += parts.compactMap { $0["text"] as? String }.reduce(0) { $0 + $1.count }
                }
            }
        }
        if let prompt = body["prompt"] as? String { characters += prompt.count }
        if let prompts = body["prompt"] as? [String] { characters += prompts.reduce(0) { $0 + $1.count } }
        return max(1, characters / 4)
    }

    /// The `usage` of a whole (non-streamed) answer.
    static func usage(in data: Data) -> Usage? {
        Usage(((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["usage"])
    }
}
