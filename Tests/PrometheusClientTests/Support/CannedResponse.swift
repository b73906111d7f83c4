/// How the fake answers one endpoint.
enum CannedResponse: Sendable {
    /// A JSON body with the given status.
    case json(String, status: Int = 200)
    /// A body of another content type (an HTML error page, garbage).
    case raw(String, status: Int, contentType: String)
    /// Never sends the response head until the test's gate opens.
    case hangHead
    /// Sends the head and a first chunk, then waits for the gate before finishing.
    case hangBody(String)
    /// A JSON body of `bytes` bytes, streamed without a Content-Length.
    case huge(bytes: Int)
}
