import Foundation
public import Hummingbird

/// Body of `GET /healthz`: liveness of the API process itself.
///
/// Liveness deliberately does not depend on Prometheus: a slow metrics backend must not make an
/// orchestrator restart a healthy server. Backend reachability is reported by the stack checks.
public struct HealthResponse: ResponseEncodable, Sendable, Hashable, Codable {
    public var status: String
    public var version: String
    public var uptimeSeconds: Int

    public init(status: String, version: String, uptimeSeconds: Int) {
        self.status = status
        self.version = version
        self.uptimeSeconds = uptimeSeconds
    }
}
