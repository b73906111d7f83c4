import Hummingbird

/// Marks every `/api/` response `Cache-Control: no-store`, errors included.
///
/// Tenant data (inventory, telemetry, keys just created) must not stay in a browser's or a
/// shared proxy's cache after sign-out; one middleware at the router's edge means no route can
/// forget it. Errors reach it still thrown (Hummingbird renders them after the middleware chain),
/// so it renders the ones that know their response itself.
struct NoStoreMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
