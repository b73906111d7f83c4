/// The error fields of Prometheus' response envelope, read from non-200 answers.
struct ErrorEnvelope: Decodable {
    var status: String
    var errorType: String?
    var error: String?
}
