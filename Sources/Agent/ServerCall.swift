import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One JSON call from the agent to its AI Factory server, with the node credential as Bearer.
enum ServerCall {
    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var body: Data

        /// The server's `{"error":{"message":…}}`, or a fallback.
        var message: String {
            struct ErrorBody: Decodable {
                struct Detail: Decodable { var message: String }
                var error: Detail
            }
            return (try? JSONDecoder().decode(ErrorBody.self, from: body))?.error.message ?? "no explanation given"
        }
    }

    static func send(
        _ method: HTTPMethod, _ path: String, credential: AgentCredential, json: (some Encodable)? = Optional<String>.none,
        timeout: TimeAmount = .seconds(15), client: HTTPClient
    ) async throws(AgentError) -> Answer {
        let base = credential.server.hasSuffix("/") ? String(credential.server.dropLast()) : credential.server
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "User-Agent", value: "aifactory-agent/\(AgentVersion.current)")
        request.headers.add(name: "Authorization", value: "Bearer \(credential.credential)")
        do {
            if let json {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(json)))
            }
            let response = try await client.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: 4 << 20)
            return Answer(status: response.status, body: Data(buffer.readableBytesView))
        } catch {
            throw .serverUnreachable("cannot reach \(base): \(error)")
        }
    }
}
