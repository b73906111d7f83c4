/// Prometheus' response envelope: `{"status": "success"|"error", "data": …, "errorType", "error", "warnings"}`.
struct APIEnvelope<Payload: Decodable>: Decodable {
    var status: String
    var data: Payload?
    var errorType: String?
    var error: String?
    var warnings: [String]?
}
