import PromQL
import HTTPTypes

extension APIError {
    /// Maps a query the enforcer refused: a query reaching outside the caller's scope 403, one
    /// that cannot be scoped or does not parse 400, each with the enforcer's message and position.
    init(_ error: PromQLError) {
        switch error {
        case .outsideTenant:
            self = APIError(.forbidden, code: "outside_tenant", message: "\(error)")
        case .unscopable:
            self = APIError(.badRequest, code: "unscopable_query", message: "\(error)")
        case .syntax, .type, .tooLong, .tooDeep:
            self = APIError(.badRequest, code: "bad_query", message: "\(error)")
        }
    }
}
