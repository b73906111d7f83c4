public import PromQL

/// The scope a caller's Prometheus API reads go through, made only from its capability:
/// a tenant's users read through their tenant's `TenantScope` (the same scope as every other
/// telemetry read of theirs), a site operator through the fleet-wide `FleetScope`.
///
/// A consumer (a tenant that only subscribes to a pool) gets its `TenantScope` like everyone
/// else: the series that carry its tenant label are the metering gateway's usage series, while a
/// pool's hardware carries the provider's tenant label, so no hardware series can match. That is
/// the rule the read model's consumer view already follows (`UsageReader`).
enum PrometheusAPIScope: Sendable {
    case tenant(TenantScope)
    case fleet(FleetScope)

    init(_ caller: Caller) throws {
        if let op = caller.operator {
            self = .fleet(op.fleetScope())
        } else if let tenant = caller.tenant {
            self = .tenant(try tenant.scope())
        } else {
            throw PrometheusAPIError(.outsideScope, "this user belongs to no tenant, so no series can be read with its key")
        }
    }

    /// The tenant whose series the caller reads; `nil` for the whole fleet.
    var tenant: String? {
        switch self {
        case .tenant(let scope): scope.tenant
        case .fleet: nil
        }
    }

    /// The selector standing for "every series of the caller" where a request names none
    /// (labels and label values without `match[]`): `{__name__=~".+"}`, which the tenant scope
    /// confines to the tenant. `nil` for the fleet: no selector at all.
    static let everySeries = #"{__name__=~".+"}"#
}

/// Rewrites the selectors of one request, each under the parameter name it came in.
struct PrometheusAPIRewriter<Query: Sendable> {
    let rewrite: (String) throws(PromQLError) -> Query

    /// `query`: any PromQL expression, rewritten.
    func query(_ text: String?) throws(PrometheusAPIError) -> Query {
        guard let text, !text.allSatisfy(\.isWhitespace) else {
            throw PrometheusAPIError(.badData, #"invalid parameter "query": the query is missing or empty"#)
        }
        do {
            return try rewrite(text)
        } catch {
            throw Self.mapped(error, parameter: "query")
        }
    }

    /// `match[]`: each must be a series selector (`metric{label="value"}`, no function, range,
    /// offset or `@`), as Prometheus's `ParseMetricSelector` demands; each is rewritten.
    func selectors(_ texts: [String]) throws(PrometheusAPIError) -> [Query] {
        var out: [Query] = []
        for text in texts {
            do {
                guard case .vectorSelector(let selector) = try Parser.parse(text), selector.offsetMilliseconds == 0, selector.at == nil else {
                    throw PrometheusAPIError(.badData, #"invalid parameter "match[]": "# + "\(Self.quoted(text)) is not a series selector (metric{label=\"value\"}, no function, range, offset or @)")
                }
                out.append(try rewrite(text))
            } catch let error as PromQLError {
                throw Self.mapped(error, parameter: "match[]")
            } catch let error as PrometheusAPIError {
                throw error
            } catch {
                throw PrometheusAPIError(.badData, #"invalid parameter "match[]": "# + "\(error)")
            }
        }
        return out
    }

    static func mapped(_ error: PromQLError, parameter: String) -> PrometheusAPIError {
        switch error {
        case .outsideTenant:
            PrometheusAPIError(.outsideScope, "invalid parameter \"\(parameter)\": \(error)")
        case .syntax, .type, .tooLong, .tooDeep, .unscopable:
            PrometheusAPIError(.badData, "invalid parameter \"\(parameter)\": \(error)")
        }
    }

    /// `text` in quotes, shortened to 200 characters for the message.
    static func quoted(_ text: String) -> String {
        "\"" + (text.count > 200 ? String(text.prefix(200)) + "…" : text) + "\""
    }
}
