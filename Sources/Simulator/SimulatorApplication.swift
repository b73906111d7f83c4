public import Hummingbird
import Foundation
import NIOCore

/// Builds the simulator's HTTP application.
///
/// Routes:
/// - `GET /targets`: JSON list of nodes and their exporter paths (`SimulatorTarget`).
/// - `GET /nodes/<node>/dcgm/metrics`: dcgm-exporter exposition; 503 while the node's exporter is
///   down; 404 for an unknown node.
/// - `GET /nodes/<node>/vllm/metrics`: vLLM exposition; 404 when the node runs no vLLM.
/// - `/nodes/<node>/v1/…`: the simulated OpenAI-compatible inference API (`addInferenceRoutes`).
/// - `GET|PUT|DELETE /faults[/<node>]`: exporter faults injected at run time into
///   `config.faults` (`addFaultRoutes`, `ExporterFault`).
///
/// - Parameter onServerRunning: called with the bound port once listening (useful with port 0).
public func buildSimulatorApplication(
    _ config: SimulatorConfiguration,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let simulation = FleetSimulation(fleet: config.fleet, seed: config.seed)
    let router = Router()
    let farm = InferenceFarm(simulation: simulation)
    addSimulatorRoutes(to: router, simulation: simulation, clock: config.clock, inference: farm, faults: config.faults)
    addInferenceRoutes(to: router, farm: farm)
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [farm.wireClock.makeHandler()])),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "aifactory-simulator"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? config.port) },
        logger: config.logger
    )
}

/// Registers the simulator routes on `router` (split out so tests and other apps can mount them),
/// the fault routes (`addFaultRoutes`) included.
///
/// - Parameters:
///   - inference: when given, the vLLM exposition adds the live traffic of these engines.
///   - faults: consulted on every scrape: a `down` node answers 503 on both exporters, the
///     other faults rewrite the rendered bytes (`ExporterFault+Apply.swift`).
public func addSimulatorRoutes<Context: RequestContext>(
    to router: Router<Context>, simulation: FleetSimulation, clock: SimulationClock, inference: InferenceFarm? = nil,
    faults: FaultBoard = FaultBoard()
) {
    let targetsBody: ByteBuffer = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(simulation.targets)) ?? Data("[]".utf8)
        return ByteBuffer(bytes: data)
    }()
    router.get("targets") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: targetsBody))
    }
    router.get("nodes/:node/dcgm/metrics") { _, context in
        let node = try context.parameters.require("node")
        let fault = faults.fault(for: node)
        let answer = fault?.down == true ? simulation.injectedDown(node: node) : simulation.dcgm(node: node, at: clock.elapsed())
        return try exposition(answer, node: node, exporter: "DCGM", injected: fault?.down == true) { fault?.applyDCGM($0) ?? $0 }
    }
    router.get("nodes/:node/vllm/metrics") { _, context in
        let node = try context.parameters.require("node")
        let fault = faults.fault(for: node)
        if fault?.down == true {
            return try exposition(simulation.injectedDown(node: node, vllm: true), node: node, exporter: "vLLM", injected: true) { $0 }
        }
        let live = await inference?.engine(node: node)?.liveTraffic()
        return try exposition(simulation.vllm(node: node, at: clock.elapsed(), live: live), node: node, exporter: "vLLM") {
            fault?.applyVLLM($0) ?? $0
        }
    }
    addFaultRoutes(to: router, simulation: simulation, faults: faults)
}


/// Maps an exporter answer to an HTTP response, passing the exposition through `rewrite` (the
/// node's injected fault).
private func exposition(
    _ answer: ExporterResponse, node: String, exporter: String, injected: Bool = false, rewrite: ([UInt8]) -> [UInt8]
) throws -> Response {
    switch answer {
    case .metrics(let bytes):
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: rewrite(bytes))))
    case .down:
        let cause = injected ? "injected fault: PUT /faults/\(node)" : "simulated outage"
        throw HTTPError(.serviceUnavailable, message: "the \(exporter) exporter on node '\(node)' is down (\(cause))")
    case .unknownNode:
        throw HTTPError(.notFound, message: "unknown node '\(node)'; GET /targets lists the simulated nodes")
    case .noVLLM:
        throw HTTPError(.notFound, message: "node '\(node)' runs no vLLM")
    }
}
