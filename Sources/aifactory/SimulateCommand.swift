import ArgumentParser
import Fleet
import Foundation
import Logging
import Simulator
import Hummingbird

/// `aifactory simulate`: serves a simulated GPU fleet's DCGM and vLLM exporters over HTTP.
///
/// Exit status: 0 after a graceful stop (SIGINT/SIGTERM), 1 when the address cannot be bound,
/// 2 for a malformed fleet or scenario file (printed as `file:line: what is wrong`), 64 for bad
/// flags (ArgumentParser's usage error).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Serve a simulated GPU fleet: dcgm-exporter and vLLM metrics and OpenAI endpoints per node, with scripted faults.",
        discussion: """
        Endpoints: GET /targets (JSON list of nodes), GET /nodes/<node>/dcgm/metrics, \
        GET /nodes/<node>/vllm/metrics, and an OpenAI-compatible inference server per vLLM node at \
        /nodes/<node>/v1/{models,chat/completions,completions,stats} (see docs/LOADTEST.md). \
        See docs/SIMULATOR.md for the fleet and scenario formats.
        """
    )

    @Option(help: "Address to listen on, host:port (port 0 picks a free one).")
    var listen: String = "127.0.0.1:9400"

    @Option(help: "Fleet file (YAML); see deploy/demo/fleet.yaml.")
    var fleet: String?

    @Option(help: "Number of nodes of a synthetic fleet (with --gpus-per-node).")
    var nodes: Int?

    @Option(help: "GPUs per node of a synthetic fleet (with --nodes).")
    var gpusPerNode: Int?

    @Option(help: "Seed: the same seed gives the same UUIDs, load waves and values.")
    var seed: UInt64 = 1

    @Option(name: .customLong("scenario"), help: "Extra scenario file (YAML); repeatable.")
    var scenarios: [String] = []

    func validate() throws {
        _ = try ListenAddress(listen)
        switch (fleet, nodes, gpusPerNode) {
        case (_?, nil, nil): break
        case (nil, let nodes?, let gpus?):
            guard (1...4096).contains(nodes) else { throw ValidationError("--nodes must be between 1 and 4096") }
            guard (1...16).contains(gpus) else { throw ValidationError("--gpus-per-node must be between 1 and 16") }
        case (_?, _, _): throw ValidationError("give either --fleet FILE or --nodes N --gpus-per-node G, not both")
        default: throw ValidationError("give --fleet FILE, or --nodes N with --gpus-per-node G")
        }
    }

    func run() async throws {
        let address = try ListenAddress(listen)
        let loaded: LoadedFleet
        do {
            let extra = try scenarios.flatMap { try ScenarioFile.load(path: $0) }
            if let fleet {
                loaded = try FleetFile.load(path: fleet, scenarios: extra)
            } else {
                loaded = try LoadedFleet.synthetic(nodes: nodes ?? 0, gpusPerNode: gpusPerNode ?? 0).adding(extra)
            }
        } catch let error as FleetFileError {
            printError(error.description)
            throw ExitCode(2)
        }

        var logger = Logger(label: "aifactory.simulate")
        logger.logLevel = .critical  // bind failures are reported below as one line, not a log dump
        let config = SimulatorConfiguration(
            host: address.host, port: address.port, fleet: loaded, seed: seed, clock: .wall(), logger: logger)
        let spec = loaded.spec
        let app = buildSimulatorApplication(config) { port in
            let line = "aifactory simulate: \(spec.nodes.count) nodes, \(spec.gpuCount) GPUs, seed \(config.seed) on http://\(address.hostForURL):\(port) (GET /targets)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        do {
            try await app.runService()
        } catch {
            let text = String(describing: error)
            let reason = text.contains("Address already in use") || text.contains("EADDRINUSE") || text.contains("errno: 98")
                ? "address already in use" : text
            printError("error: cannot listen on \(listen): \(reason)")
            throw ExitCode(1)
        }
    }

    private func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// A validated `host:port` (IPv6 hosts in brackets: `[::1]:9400`).
struct ListenAddress {
    var host: String
    var port: Int

    init(_ text: String) throws {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ValidationError("--listen must be host:port, got '\(text)'") }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ValidationError("--listen must be host:port, got '\(text)'") }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard !hostPart.isEmpty, !hostPart.contains(where: { $0 == " " || $0 == "/" }) else {
            throw ValidationError("--listen needs a host before the port, got '\(text)'")
        }
        guard let port = Int(portPart), (0...65535).contains(port) else {
            throw ValidationError("--listen port must be a number from 0 to 65535, got '\(portPart)'")
        }
        host = String(hostPart)
        self.port = port
    }

    /// The host as it goes into a URL (IPv6 in brackets).
    var hostForURL: String { host.contains(":") ? "[\(host)]" : host }
}
