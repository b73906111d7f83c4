import Fleet
import Foundation
import LoadTest
import LoadTestService

/// The body of `POST /api/v1/factory/loadtests`, and (with defaults filled in) the `plan` a stored
/// test echoes (docs/FACTORY-API.md "Load tests").
///
/// There is deliberately no URL field: the target is always the OpenAI endpoint registered for
/// `node`, so the API cannot be used to make the server request an arbitrary address.
struct LoadTestRequest: StrictBody, Codable, Equatable {
    var node: String
    var endpoint: String?
    var model: String?
    var concurrency: [Int]?
    var rate: [Double]?
    var arrival: String?
    var requests: Int?
    var durationSeconds: Int?
    var isl: Int?
    var osl: Int?
    var slo: String?
    var search: String?
    var searchLimit: Int?
    /// The caller's acknowledgement that the test stresses the node and its users (412 without
    /// it); checked, never stored in the plan.
    var acknowledged: Bool?

    static let fields: Set<String> = [
        "node", "endpoint", "model", "concurrency", "rate", "arrival", "requests", "durationSeconds",
        "isl", "osl", "slo", "search", "searchLimit", "acknowledged",
    ]
    /// Fields that would name a target address.
    static let refusedFields: [String: String] = Dictionary(
        uniqueKeysWithValues: ["url", "baseURL", "baseUrl", "base_url", "endpointURL", "address"].map {
            ($0, "arbitrary URLs are refused; name a registered node")
        })

    /// Largest concurrency of one level (and the largest `searchLimit`).
    static let maxConcurrency = 256
    /// Largest total planned duration of a test (levels × durationSeconds); also the watchdog.
    static let maxTotalSeconds = 30 * 60
    static let maxRate = 1000.0
    static let maxRequests = 100_000
    static let maxTokens = 32_768
    static let defaultDurationSeconds = 30
    static let defaultSearchLimit = 256
    /// A request slower than this is a timeout: an endpoint that accepts and never answers must
    /// not hold a socket for the whole test (the manager may lower it, `LoadTestLimits`).
    static let requestTimeoutSeconds = 120

    /// The plan with every default applied (what is stored and echoed).
    func normalized() -> LoadTestRequest {
        var plan = self
        plan.acknowledged = nil
        plan.endpoint = endpoint ?? "chat"
        plan.arrival = rate == nil ? arrival : (arrival ?? "constant")
        plan.durationSeconds = durationSeconds ?? Self.defaultDurationSeconds
        plan.isl = isl ?? 128
        plan.osl = osl ?? 64
        if search != nil { plan.searchLimit = searchLimit ?? Self.defaultSearchLimit }
        return plan
    }

    /// What the 412 says (and the page's acknowledgement box): what the test will do to the node.
    var warning: String {
        let plan = normalized()
        let levels = plan.search != nil ? "a search up to \(plan.searchLimit ?? Self.defaultSearchLimit) concurrent requests"
            : plan.rate.map { "\($0.count) level(s) up to \(Int($0.max() ?? 0)) requests/s" }
            ?? "\(plan.concurrency?.count ?? 1) level(s) up to \(plan.concurrency?.max() ?? 1) concurrent requests"
        return "A load test sends real traffic to \(node)'s vLLM: \(levels), \(plan.durationSeconds ?? Self.defaultDurationSeconds) s a level. "
            + "Requests its users send meanwhile queue behind it and slow down, and its KV cache fills. "
            + "Send \"acknowledged\": true to start it."
    }

    /// Validates the (normalized) plan with the CLI's rules (`LoadTestFlags.plan()`) plus the
    /// product's caps, and returns the generator configuration for `base`.
    /// - Throws: `APIError` 422 naming the JSON field.
    func configuration(base: String) throws(APIError) -> (LoadTestConfiguration, SearchGoal?) {
        let plan = normalized()
        if let problem = NameRule.problem(with: node) { throw .unprocessable(field: "node", problem) }
        if let model, model.isEmpty || model.count > 200 { throw .unprocessable(field: "model", "must be 1 to 200 characters") }
        if let concurrency {
            guard !concurrency.isEmpty, concurrency.count <= 64 else { throw .unprocessable(field: "concurrency", "must list 1 to 64 levels") }
            if let bad = concurrency.first(where: { !(1...Self.maxConcurrency).contains($0) }) {
                throw .unprocessable(field: "concurrency", "\(bad) is not from 1 to \(Self.maxConcurrency)")
            }
        }
        if let rate {
            guard !rate.isEmpty, rate.count <= 64 else { throw .unprocessable(field: "rate", "must list 1 to 64 levels") }
            if let bad = rate.first(where: { !($0 > 0 && $0 <= Self.maxRate) }) {
                throw .unprocessable(field: "rate", "\(bad) is not a rate above 0 and at most \(Int(Self.maxRate)) requests/s")
            }
        }
        if search != nil, concurrency != nil { throw .unprocessable(field: "concurrency", "omit it with search (the search picks the levels)") }
        if search == nil, searchLimit != nil { throw .unprocessable(field: "searchLimit", "only applies with search") }
        if let limit = plan.searchLimit, !(1...Self.maxConcurrency).contains(limit) {
            throw .unprocessable(field: "searchLimit", "must be from 1 to \(Self.maxConcurrency), got \(limit)")
        }
        if let requests, !(1...Self.maxRequests).contains(requests) {
            throw .unprocessable(field: "requests", "must be from 1 to \(Self.maxRequests), got \(requests)")
        }
        let duration = plan.durationSeconds ?? Self.defaultDurationSeconds
        guard (1...Self.maxTotalSeconds).contains(duration) else {
            throw .unprocessable(field: "durationSeconds", "must be from 1 to \(Self.maxTotalSeconds) seconds per level, got \(duration)")
        }
        for (field, value) in [("isl", plan.isl ?? 0), ("osl", plan.osl ?? 0)] where !(1...Self.maxTokens).contains(value) {
            throw .unprocessable(field: field, "must be from 1 to \(Self.maxTokens), got \(value)")
        }
        if rate == nil, arrival != nil { throw .unprocessable(field: "arrival", "only applies with rate") }
        let levelCount = plan.searchLimit.map(Self.searchTrials) ?? (concurrency?.count ?? rate?.count ?? 0)
        guard levelCount * duration <= Self.maxTotalSeconds else {
            throw .unprocessable(field: "durationSeconds", "\(levelCount) levels × \(duration) s exceed the \(Self.maxTotalSeconds / 60)-minute total; use fewer levels or shorter levels")
        }
        var flags = LoadTestFlags(url: base, model: model ?? Self.placeholderModel)
        flags.endpoint = plan.endpoint ?? "chat"
        flags.concurrency = concurrency.map { $0.map(String.init).joined(separator: ",") }
        flags.rate = rate.map { $0.map { String($0) }.joined(separator: ",") }
        flags.arrival = plan.arrival ?? "constant"
        flags.requests = requests
        flags.duration = "\(duration)s"
        flags.isl = plan.isl ?? 128
        flags.osl = plan.osl ?? 64
        flags.slo = slo
        flags.search = search
        flags.searchLimit = plan.searchLimit ?? Self.defaultSearchLimit
        flags.requestTimeout = "\(Self.requestTimeoutSeconds)s"
        do {
            return try flags.plan()
        } catch {
            throw Self.apiError(error)
        }
    }

    /// Stands in for a model the caller did not name while validating; the runner asks the
    /// endpoint's `/v1/models` before it starts.
    static let placeholderModel = "(first served model)"

    /// Worst-case levels a max-concurrency search up to `limit` runs: the doubling phase, then
    /// bisection.
    static func searchTrials(limit: Int) -> Int {
        var doubling = 1
        var level = 1
        while level < limit { level *= 2; doubling += 1 }
        return doubling + max(0, doubling - 1)
    }

    /// `LoadTestError` → 422 naming the JSON field (the library names CLI flags).
    static func apiError(_ error: LoadTestError) -> APIError {
        .unprocessable(field: error.field.name, error.field.message)
    }
}
