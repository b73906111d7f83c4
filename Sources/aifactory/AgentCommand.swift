import Agent
import Diagnostics
import ArgumentParser
import Foundation
import Logging

/// `aifactory agent`: the GPU-host agent. Reads NVML in the background and serves `/metrics` in
/// dcgm-exporter's format, so Prometheus scrapes it as it scrapes dcgm-exporter.
///
/// Exit status: 0 after a graceful stop (SIGINT/SIGTERM), 1 when NVML cannot be used or the
/// address cannot be bound (one line on stderr), 64 for bad flags.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the GPU-host agent: NVML metrics on /metrics in dcgm-exporter's names and labels.",
        discussion: """
        Loads libnvidia-ml.so.1 at run time (no DCGM needed). Gauges are read every --interval, \
        counters (energy, PCIe replays, ECC, retired pages, remapped rows, power limits) every \
        --counter-interval; a scrape serves the last sample and never waits for NVML. Fields the \
        driver cannot give are listed at start and on /metrics as aifactory_agent_not_collected. \
        See docs/AGENT.md.
        """
    )

    @Option(help: "Address to serve /metrics on, host:port (dcgm-exporter's default port is 9400).")
    var listen: String = "0.0.0.0:9400"

    @Option(help: "Path of libnvidia-ml.so.1 (default: the loader's search path, then the usual driver locations).")
    var nvmlLibrary: String?

    @Option(help: "How often gauges are read: 1s, 500ms (100ms to 1h).")
    var interval: String = "1s"

    @Option(help: "How often counters and limits are read; at least --interval.")
    var counterInterval: String = "10s"

    @Option(help: "The Hostname label (default: this host's name).")
    var hostname: String?

    @Option(help: "The AI Factory server to enrol with and send heartbeats to, e.g. https://factory.example. Without it the agent is a plain exporter.")
    var server: String?

    @Option(help: "One-time enrolment token (aifactory admin node enroll-token); needed only on the first start.")
    var enrollToken: String?

    @Option(help: "host:port Prometheus scrapes this agent at (default: the listen address; this host's name when listening on 0.0.0.0).")
    var advertise: String?

    @Option(help: "Where the node credential is kept (directory 0700, file 0600).")
    var stateDir: String = EnrolmentSettings.defaultStateDirectory

    @Option(help: "The node's name in the inventory (default: derived from the host name).")
    var nodeName: String?

    @Option(help: "dcgmi for diagnostics the server queues (a name on PATH or a path).")
    var dcgmi: String = "dcgmi"

    @Option(help: "NCCL tests' all_reduce_perf for diagnostics (a name on PATH or a path).")
    var allReducePerf: String = "all_reduce_perf"

    @Option(help: "Executable that takes this node out of routing and back (`HOOK drain|restore NODE`) for diagnostics asked to drain first, or `gateway`: the server drains it in the inference gateway's routing (docs/DIAGNOSTICS.md, docs/GATEWAY.md).")
    var drainHook: String?

    @Option(help: "The local vLLM's metrics URL, read after a drain to wait until no request is running or waiting (e.g. http://127.0.0.1:8000/metrics).")
    var vllmMetrics: String?

    @Option(help: "Longest wait for in-flight requests after a drain (e.g. 5m, at most 8m).")
    var drainWait: String = "5m"

    func validate() throws {
        _ = try ListenAddress(listen)
        do {
            try makeConfiguration().validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let configuration: AgentConfiguration
        do {
            configuration = try makeConfiguration()
        } catch {
            throw ValidationError(error.description)
        }
        do {
            try await runAgent(
                configuration,
                onNotes: { notes in
                    for note in notes { Self.printLine("aifactory agent: \(note)", to: .standardError) }
                },
                onEnrolled: { credential, fresh in
                    Self.printLine(
                        fresh ? "aifactory agent: enrolled as node \(credential.node); credential stored in \(Self.credentialPath(credential, configuration))"
                              : "aifactory agent: node \(credential.node), already enrolled (credential in \(Self.credentialPath(credential, configuration)))",
                        to: .standardOutput)
                },
                onServerRunning: { [listen] port in
                    let address = (try? ListenAddress(listen)).map { "\($0.hostForURL):\(port)" } ?? listen
                    Self.printLine("aifactory agent: serving http://\(address)/metrics", to: .standardOutput)
                })
        } catch let error as AgentError {
            CLIErrors.printError(error.description)
            throw ExitCode.failure
        } catch {
            try CLIErrors.exit(for: error, context: "cannot listen on \(listen)")
        }
    }

    private func makeConfiguration() throws(AgentError) -> AgentConfiguration {
        let address: ListenAddress
        do {
            address = try ListenAddress(listen)
        } catch {
            throw .invalidConfiguration("--listen must be host:port, got '\(listen)'")
        }
        var logger = Logger(label: "aifactory.agent")
        logger.logLevel = .error
        return AgentConfiguration(
            host: address.host,
            port: address.port,
            nvmlLibraryPath: nvmlLibrary,
            interval: try AgentConfiguration.parseDuration(interval, flag: "--interval"),
            counterInterval: try AgentConfiguration.parseDuration(counterInterval, flag: "--counter-interval"),
            hostname: hostname,
            serverURL: server,
            enrolment: EnrolmentSettings(token: enrollToken, advertise: advertise, stateDirectory: stateDir, nodeName: nodeName),
            diagnosticTools: DiagnosticTools(dcgmi: dcgmi, allReducePerf: allReducePerf),
            drainHook: drainHook,
            vllmMetricsURL: vllmMetrics,
            drainWait: try AgentConfiguration.parseDuration(drainWait, flag: "--drain-wait"),
            logger: logger)
    }

    private static func credentialPath(_ credential: AgentCredential, _ configuration: AgentConfiguration) -> String {
        configuration.enrolment.credentialPath
    }

    private enum Stream { case standardOutput, standardError }

    private static func printLine(_ line: String, to stream: Stream) {
        let handle = stream == .standardOutput ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data((line + "\n").utf8))
    }
}
