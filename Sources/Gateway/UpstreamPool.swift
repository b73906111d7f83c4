public import Fleet
import Foundation

/// Which of a pool's vLLM nodes takes the next request: the least loaded by in-flight requests
/// through this gateway, never a draining node (docs/GATEWAY.md "Routing").
public actor UpstreamPool {
    private var inFlight: [String: Int] = [:]
    private var draining: Set<String> = []

    public init() {}

    /// Candidates in the order to try them: least in flight first, ties by name; draining
    /// nodes and nodes without vLLM left out.
    func order(_ nodes: [NodeRecord]) -> [NodeRecord] {
        nodes.filter { $0.openAIBase != nil && !draining.contains($0.name) }
            .sorted { (inFlight[$0.name, default: 0], $0.name) < (inFlight[$1.name, default: 0], $1.name) }
    }

    func begin(_ node: String) { inFlight[node, default: 0] += 1 }
    func end(_ node: String) { inFlight[node] = max(0, inFlight[node, default: 1] - 1) }

    /// Stops sending new requests to `node`; requests in flight there finish.
    public func drain(_ node: String) { draining.insert(node) }
    public func restore(_ node: String) { draining.remove(node) }
    public func inFlightCount(_ node: String) -> Int { inFlight[node, default: 0] }
    public var drainingNodes: Set<String> { draining }
}
