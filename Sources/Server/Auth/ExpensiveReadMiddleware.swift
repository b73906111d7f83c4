import Foundation
import Hummingbird

/// Applies `ExpensiveReadLimiter` to the expensive reads of an authenticated caller (after
/// `AuthMiddleware`, so the identity is known; anonymous requests meet the route's 401).
struct ExpensiveReadMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: ExpensiveReadLimiter
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let identity = context.identity, ExpensiveReadLimiter.isExpensive(request.uri.path),
           let wait = await limiter.admit(identity.keyID, now: now()) {
            throw APIError(
                .tooManyRequests, code: "rate_limited",
                message: "too many expensive reads (reliability, alerts, trends, usage history, node checks, stack validation) with this key; retry in \(wait) s",
                headers: [.retryAfter: "\(wait)"])
        }
        return try await next(request, context)
    }
}
