import Factory
import Foundation
import Hummingbird
import Logging
import NIOCore
import PromQL
import PrometheusClient
import Store

/// Answers every error of the Prometheus API in Prometheus's error envelope,
/// `{"status":"error","errorType":"bad_data","error":"…"}`, so Grafana and promtool show the
/// message; and marks every answer `Cache-Control: no-store`, as the `/api/` ones are.
///
/// Statuses follow Prometheus where it has one (400 `bad_data`, 422 `execution`, 503
/// `unavailable` / `timeout`, 500 `internal`) and the server's own rules where Prometheus has
/// none: 401 `unauthorized` for a missing or wrong key, 403 `forbidden` for a query or selector
/// outside the caller's scope, 429 with `Retry-After` for too many failed keys. Upstream
/// failures carry the people-facing sentence only; the detail goes to the log.
struct PrometheusEnvelopeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.response(for: Self.envelope(error, logger: context.logger))
        }
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// One refusal: status, Prometheus `errorType`, message and extra headers.
    struct Refusal: Sendable {
        var status: HTTPResponse.Status
        var errorType: String
        var message: String
        var headers: HTTPFields = [:]
    }

    static func envelope(_ error: any Error, logger: Logger) -> Refusal {
        switch error {
        case let error as PrometheusAPIError:
            switch error.kind {
            case .badData: return Refusal(status: .badRequest, errorType: "bad_data", message: error.message)
            case .outsideScope: return Refusal(status: .forbidden, errorType: "forbidden", message: error.message)
            case .notConfigured: return Refusal(status: .serviceUnavailable, errorType: "unavailable", message: error.message)
            }
        case let error as PromQLError:
            return envelope(APIError(error), logger: logger)
        case let error as PrometheusClientError:
            logger.warning("prometheus API relay failed", metadata: ["error": "\(error)"])
            switch error {
            case .invalidRequest(let reason): return Refusal(status: .badRequest, errorType: "bad_data", message: reason)
            case .tooLarge: return Refusal(status: .unprocessableContent, errorType: "execution", message: error.userMessage)
            case .timeout: return Refusal(status: .serviceUnavailable, errorType: "timeout", message: error.userMessage)
            case .cancelled: return Refusal(status: .serviceUnavailable, errorType: "canceled", message: error.userMessage)
            case .unreachable, .rejected, .malformedResponse, .badResponse, .unexpectedResult:
                return Refusal(status: .serviceUnavailable, errorType: "unavailable", message: "\(error.userMessage) Try again shortly.")
            }
        case let error as APIError:
            let type: String
            switch error.status {
            case .unauthorized: type = "unauthorized"
            case .forbidden: type = "forbidden"
            case .tooManyRequests, .serviceUnavailable: type = "unavailable"
            case .contentTooLarge, .unsupportedMediaType, .badRequest: type = "bad_data"
            default: type = error.status.code >= 500 ? "internal" : "bad_data"
            }
            var headers = error.headers
            if error.status == .unauthorized {
                headers[.wwwAuthenticate] = #"Bearer, Basic realm="AI Factory Prometheus API""#
            }
            return Refusal(status: error.status, errorType: type, message: error.message, headers: headers)
        case let error as FactoryError:
            let mapped = APIError(error)
            return envelope(mapped, logger: logger)
        case let error as StoreError:
            logger.error("store failed on the prometheus API", metadata: ["error": "\(error)"])
            return envelope(APIError(error), logger: logger)
        default:
            logger.error("unhandled error on the prometheus API", metadata: ["error": "\(String(reflecting: error))"])
            return Refusal(status: .internalServerError, errorType: "internal", message: "internal error")
        }
    }

    static func response(for refusal: Refusal) -> Response {
        let body: [String: String] = ["status": "error", "errorType": refusal.errorType, "error": refusal.message]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        var headers = refusal.headers
        headers[.contentType] = "application/json"
        return Response(status: refusal.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
