import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// Browser-like requests for cookie-session tests: the router test client's authority is
/// `localhost`, so this site's origin is `http://localhost`.
enum Browser {
    static let origin = "http://localhost"

    /// Logs in with `key` and returns the `name=value` cookie pair.
    static func login(_ client: some TestClientProtocol, key: String?) async throws -> String {
        let response = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                                body: body(["apiKey": key ?? ""]))
        guard let pair = response.headers[.setCookie]?.split(separator: ";").first.map(String.init) else {
            throw LoginFailed(status: response.status)
        }
        return pair
    }

    struct LoginFailed: Error {
        var status: HTTPResponse.Status
    }

    /// Headers of a same-origin write with the session cookie.
    static func write(cookie: String, contentType: String? = "application/json", origin: String? = Browser.origin) -> HTTPFields {
        var fields: HTTPFields = [.cookie: cookie]
        if let contentType { fields[.contentType] = contentType }
        if let origin { fields[HTTPField.Name("Origin")!] = origin }
        return fields
    }
}
