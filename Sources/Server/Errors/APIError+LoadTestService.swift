import LoadTestService
import HTTPTypes

extension APIError {
    /// Maps the load-test service's refusals: 503, with `Retry-After` when waiting helps.
    init(_ error: LoadTestServiceError) {
        self = APIError(
            .serviceUnavailable, code: "unavailable", message: error.description,
            headers: error.retryAfterSeconds.map { [.retryAfter: "\($0)"] } ?? [:])
    }
}
