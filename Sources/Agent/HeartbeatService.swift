public import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
public import ServiceLifecycle

/// Enrols once (or finds the stored credential), then sends a heartbeat every interval until the
/// agent stops. Runs beside the collector and the HTTP server in the agent's `ServiceGroup`.
///
/// Enrolment waits for the HTTP server's bound port, so the scrape address it reports is one that
/// answers. A refused enrolment ends the agent with the server's message; a failed heartbeat is
/// logged (the server shows the node Unknown after three missed intervals) and retried.
public final class HeartbeatService: Service, Sendable {
    private let configuration: AgentConfiguration
    private let collector: NVMLCollector
    private let client: HTTPClient
    private let port: AsyncStream<Int>
    private let portContinuation: AsyncStream<Int>.Continuation
    private let onEnrolled: @Sendable (AgentCredential, _ fresh: Bool) -> Void
    private let lastError = NIOLockedValueBox<String?>(nil)

    public init(
        configuration: AgentConfiguration, collector: NVMLCollector, client: HTTPClient = .shared,
        onEnrolled: @escaping @Sendable (AgentCredential, _ fresh: Bool) -> Void = { _, _ in }
    ) {
        self.configuration = configuration
        self.collector = collector
        self.client = client
        (port, portContinuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        self.onEnrolled = onEnrolled
    }

    /// Tells the service the port the HTTP server listens on (`onServerRunning`).
    public func serverRunning(port: Int) {
        portContinuation.yield(port)
    }

    public func run() async throws {
        guard let server = configuration.serverURL else { return }
        do {
            try await runUntilShutdown(server: server)
        } catch is CancellationError {
            // Stopped: the agent is shutting down.
        }
    }

    private func runUntilShutdown(server: String) async throws {
        try await cancelWhenGracefulShutdown {
            let credential = try await self.credential(server: server)
            let interval = Duration.seconds(max(1, credential.heartbeatSeconds))
            while !Task.isCancelled {
                do {
                    let mig = self.collector.store.snapshot.gpus.filter(\.identity.migEnabled).map(\.identity.index)
                    try await Enrolment.heartbeat(credential, migGPUs: mig, client: self.client)
                    self.lastError.withLockedValue { $0 = nil }
                } catch {
                    // A heartbeat cut short by the agent stopping is not a failure to report
                    // (it read "enrolment failed: … CancellationError()" on every stop mid-call).
                    if Task.isCancelled { return }
                    // One log line per distinct failure, not one per interval.
                    let message = (error as? AgentError)?.description ?? "\(error)"
                    let isNew = self.lastError.withLockedValue { last in
                        defer { last = message }
                        return last != message
                    }
                    if isNew { self.configuration.logger.error("\(message)") }
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// The stored credential, or a new one from enrolling (stored before it is used).
    private func credential(server: String) async throws -> AgentCredential {
        let settings = configuration.enrolment
        if let stored = try AgentCredential.load(from: settings.stateDirectory) {
            onEnrolled(stored, false)
            return stored
        }
        guard let token = settings.token else {
            throw AgentError.enrolmentFailed("no credential in \(settings.stateDirectory) and no --enroll-token to enrol with")
        }
        var ports = port.makeAsyncIterator()
        guard let bound = await ports.next() else { throw CancellationError() }
        let address = settings.advertise ?? Self.advertised(host: configuration.host, port: bound, hostname: collector.store.snapshot.hostname)
        let facts = try Enrolment.facts(collector.store.snapshot, address: address, nodeName: settings.nodeName)
        let credential = try await Enrolment.enrol(server: server, token: token, facts: facts, client: client)
        try credential.save(in: settings.stateDirectory)
        onEnrolled(credential, true)
        return credential
    }

    /// The listen address as Prometheus should reach it: this host's name when listening on every
    /// interface, else the listen host.
    static func advertised(host: String, port: Int, hostname: String) -> String {
        let everywhere = ["0.0.0.0", "::", "[::]", ""].contains(host)
        let name = everywhere ? (hostname.isEmpty ? "localhost" : hostname) : host
        return name.contains(":") && !name.hasPrefix("[") ? "[\(name)]:\(port)" : "\(name):\(port)"
    }
}
