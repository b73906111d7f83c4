public import AsyncHTTPClient
import Fleet
import Foundation
import NIOCore
import NIOHTTP1

/// The agent's side of enrolment (docs/AGENT.md "Enrol"): the facts it reports about its host,
/// and the two calls it makes.
///
/// - `enrol`: `POST <server>/api/v1/agent/enroll` with the one-time token and what NVML says
///   about the host (name, GPU model, count, memory, UUIDs from the collector's first sample) and
///   the scrape address; the answer's node credential is stored in the state directory.
/// - `heartbeat`: `POST <server>/api/v1/agent/heartbeat` with the credential as a bearer token.
public enum Enrolment {
    /// What the agent reports about its host at enrolment (the `POST /api/v1/agent/enroll` body
    /// without the token).
    public struct Facts: Sendable, Equatable, Encodable {
        public var name: String
        public var host: String
        public var gpuModel: String
        public var gpuCount: Int
        public var gpuMemoryMiB: Int
        public var gpuUUIDs: [String]
        public var address: String
        public var agentVersion: String
    }

    /// The facts from a collector's sample. `name` is `nodeName`, or the host name made into a
    /// valid node name (lower case; other characters become `-`).
    public static func facts(_ snapshot: AgentSnapshot, address: String, nodeName: String?) throws(AgentError) -> Facts {
        guard let first = snapshot.gpus.first else {
            throw .enrolmentFailed("NVML reports no GPU on this host; there is nothing to enrol")
        }
        guard let totalMiB = first.values[.fbTotal], totalMiB > 0 else {
            throw .enrolmentFailed("NVML gives no framebuffer size for GPU 0, which the server needs to classify the node")
        }
        let name = nodeName ?? Self.nodeName(fromHost: snapshot.hostname)
        if let problem = NameRule.problem(with: name) {
            throw .enrolmentFailed("the node name '\(name)' is not valid: \(problem); pass --node-name NAME")
        }
        return Facts(
            name: name, host: snapshot.hostname.isEmpty ? name : snapshot.hostname, gpuModel: first.identity.modelName,
            gpuCount: snapshot.gpus.count, gpuMemoryMiB: Int(totalMiB.rounded()),
            gpuUUIDs: snapshot.gpus.map(\.identity.uuid), address: address, agentVersion: AgentVersion.current)
    }

    /// `gpu01.Lab_East` → `gpu01-lab-east`; at most 63 characters, starting with a letter or digit.
    public static func nodeName(fromHost host: String) -> String {
        let short = host.split(separator: ".").first.map(String.init) ?? host
        var name = String(short.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "-" })
        while name.hasPrefix("-") { name.removeFirst() }
        name = String(name.prefix(63))
        while name.hasSuffix("-") { name.removeLast() }
        return name.isEmpty ? "gpu-node" : name
    }

    private struct EnrolBody: Encodable {
        var token: String
        var facts: Facts

        enum Key: String, CodingKey { case token }
        func encode(to encoder: any Encoder) throws {
            try facts.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(token, forKey: .token)
        }
    }

    private struct Enrolled: Decodable {
        struct Node: Decodable { var name: String }
        var node: Node
        var credential: String
        var heartbeatSeconds: Int
    }

    private struct ErrorBody: Decodable {
        struct Detail: Decodable { var message: String }
        var error: Detail
    }

    /// Redeems `token` with `server` and returns the credential (not yet stored).
    public static func enrol(server: String, token: String, facts: Facts, client: HTTPClient = .shared) async throws(AgentError) -> AgentCredential {
        let (status, body) = try await post(server: server, path: "/api/v1/agent/enroll", bearer: nil, json: EnrolBody(token: token, facts: facts), client: client)
        guard status == .created else {
            throw .enrolmentFailed("the server refused the enrolment (\(status.code)): \(message(body))")
        }
        guard let enrolled = try? JSONDecoder().decode(Enrolled.self, from: body) else {
            throw .enrolmentFailed("the server's answer to the enrolment was not understood; is --server an AI Factory server?")
        }
        return AgentCredential(server: server, node: enrolled.node.name, credential: enrolled.credential, heartbeatSeconds: enrolled.heartbeatSeconds)
    }

    private struct HeartbeatBody: Encodable {
        var agentVersion: String
        var intervalSeconds: Int
        /// Indexes of the GPUs with MIG on: the server refuses diagnostics on such a node.
        var migGPUs: [Int]
    }

    /// Sends one heartbeat; throws with the server's message unless it answered 204.
    public static func heartbeat(_ credential: AgentCredential, migGPUs: [Int] = [], client: HTTPClient = .shared) async throws(AgentError) {
        let (status, body) = try await post(
            server: credential.server, path: "/api/v1/agent/heartbeat", bearer: credential.credential,
            json: HeartbeatBody(agentVersion: AgentVersion.current, intervalSeconds: credential.heartbeatSeconds, migGPUs: migGPUs), client: client)
        guard status == .noContent else {
            throw .enrolmentFailed("heartbeat refused (\(status.code)): \(message(body))")
        }
    }

    private static func message(_ body: Data) -> String {
        (try? JSONDecoder().decode(ErrorBody.self, from: body))?.error.message ?? "no explanation given"
    }

    private static func post(
        server: String, path: String, bearer: String?, json: some Encodable, client: HTTPClient
    ) async throws(AgentError) -> (HTTPResponseStatus, Data) {
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "aifactory-agent/\(AgentVersion.current)")
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        do {
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(json)))
            let response = try await client.execute(request, timeout: .seconds(15))
            let buffer = try await response.body.collect(upTo: 1 << 20)
            return (response.status, Data(buffer.readableBytesView))
        } catch {
            throw .enrolmentFailed("cannot reach \(base): \(error)")
        }
    }
}
