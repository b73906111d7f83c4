public import Hummingbird
import Foundation
import NIOCore
import NIOFoundationCompat

/// Registers the fault-injection routes (docs/SIMULATOR.md "Injected exporter faults"):
///
/// - `GET /faults`: `{"<node>": <ExporterFault>, …}` for every node with a fault (`{}` when none).
/// - `PUT /faults/<node>`: replaces the node's fault with the JSON body (`ExporterFault`) and
///   answers it; 404 for an unknown node, 400 for a body that is not a JSON object, 422 for an
///   unknown field or a bad value (the message names the field).
/// - `DELETE /faults/<node>`: clears the node (204; 404 for an unknown node).
/// - `DELETE /faults`: clears every node (204).
///
/// Unauthenticated like the rest of the simulator, which only ever listens on loopback.
public func addFaultRoutes<Context: RequestContext>(to router: Router<Context>, simulation: FleetSimulation, faults: FaultBoard) {
    let nodes = Set(simulation.nodeNames)
    @Sendable func requireNode(_ context: Context) throws -> String {
        let node = try context.parameters.require("node")
        guard nodes.contains(node) else {
            throw HTTPError(.notFound, message: "unknown node '\(node)'; GET /targets lists the simulated nodes")
        }
        return node
    }
    router.get("faults") { _, _ in
        try json(faults.all)
    }
    router.put("faults/:node") { request, context in
        let node = try requireNode(context)
        let body = try await request.body.collect(upTo: 64 * 1024)
        let fault: ExporterFault
        do throws(FaultRequestError) {
            fault = try ExporterFault.decode(json: Data(buffer: body))
        } catch {
            throw HTTPError(error.kind == .malformed ? .badRequest : .unprocessableContent, message: error.message)
        }
        faults.set(fault, for: node)
        return try json(fault)
    }
    router.delete("faults/:node") { _, context in
        faults.clear(node: try requireNode(context))
        return Response(status: .noContent)
    }
    router.delete("faults") { _, _ in
        faults.clearAll()
        return Response(status: .noContent)
    }
}

/// A 200 JSON response with sorted keys (stable for tests and people).
private func json(_ value: some Encodable) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
