import Factory
import Hummingbird
import LoadTestService
import Logging
import PromQL
import PrometheusClient
import Store

/// The single point where errors become responses.
///
/// `APIError` passes through; `StoreError`, `FactoryError`, `PrometheusClientError`,
/// `PromQLError` and `LoadTestServiceError` are mapped by their `APIError+*.swift` initialisers; anything else is logged with
/// the request id and answered as a bare 500, so internals never leak.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw error
        } catch let error as StoreError {
            if case .unavailable = error {
                context.logger.error("store unavailable", metadata: ["error": "\(error)"])
            }
            throw APIError(error)
        } catch let error as FactoryError {
            throw APIError(error)
        } catch let error as PrometheusClientError {
            context.logger.warning("reading telemetry failed", metadata: ["error": "\(error)"])
            throw APIError(error)
        } catch let error as PromQLError {
            throw APIError(error)
        } catch let error as LoadTestServiceError {
            throw APIError(error)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            throw APIError.internalError()
        }
    }
}
