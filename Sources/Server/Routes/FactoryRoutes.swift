import Factory
import Hummingbird
import Telemetry

/// `/api/v1/factory/{overview,summary,usage,nodes/{id}[/trend]}`: parse, call the read model, encode.
///
/// Scoping, roles, caching and every query live in `Factory.ReadModel`; another tenant's node
/// answers 404 like a missing one (thrown there, mapped by `ErrorMappingMiddleware`).
struct FactoryRoutes {
    let dependencies: ServerDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("overview") { _, context -> Response in
            let caller = try context.requireCaller()
            return try await dependencies.readModel.overview(caller, logger: context.logger).jsonResponse()
        }
        group.get("summary") { _, context -> Response in
            let caller = try context.requireCaller()
            return try await dependencies.readModel.summary(caller).jsonResponse()
        }
        group.get("nodes/:id") { _, context -> Response in
            let caller = try context.requireCaller()
            let id = try context.parameters.require("id")
            return try await dependencies.readModel.nodeDetail(caller, node: id, logger: context.logger).jsonResponse()
        }
        group.get("nodes/:id/trend") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try context.parameters.require("id")
            let query = request.uri.queryParameters
            let metricText = query.get("metric") ?? TrendSeries.Metric.utilisation.rawValue
            guard let metric = TrendSeries.Metric(rawValue: metricText) else {
                throw APIError.badRequest("metric must be one of \(TrendSeries.Metric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let rangeText = query.get("range") ?? TrendSeries.Range.hour.rawValue
            guard let range = TrendSeries.Range(rawValue: rangeText) else {
                throw APIError.badRequest("range must be one of \(TrendSeries.Range.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return try await dependencies.readModel.trend(caller, node: id, metric: metric, range: range).jsonResponse()
        }
        group.get("costs") { request, context -> Response in
            let caller = try context.requireCaller()
            let query = request.uri.queryParameters
            guard let range = CostRange(rawValue: query.get("range") ?? CostRange.month.rawValue) else {
                throw APIError.badRequest("range must be one of \(CostRange.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let group = CostGrouping(rawValue: query.get("group") ?? CostGrouping.node.rawValue) else {
                throw APIError.badRequest("group must be one of \(CostGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return try await dependencies.readModel.costs(caller, range: range, group: group).jsonResponse()
        }
        group.get("usage") { request, context -> Response in
            let caller = try context.requireCaller()
            let rangeText = request.uri.queryParameters.get("range") ?? UsageRange.day.rawValue
            guard let range = UsageRange(rawValue: rangeText) else {
                throw APIError.badRequest("range must be one of \(UsageRange.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return try await dependencies.readModel.usageHistory(caller, range: range).jsonResponse()
        }
    }
}
