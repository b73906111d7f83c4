import Logging
public import ServiceLifecycle

/// Ends diagnostic runs no agent drives any more on a timer, beside the sweep every read and poll
/// already does: with nobody looking, a run whose agent died would otherwise stay `running` in the
/// store, and its failure event would carry the time someone next looked instead of when it died.
public struct DiagnosticsSweepService: Service {
    let dependencies: ServerDependencies
    let interval: Duration

    public init(dependencies: ServerDependencies, interval: Duration = .seconds(10)) {
        self.dependencies = dependencies
        self.interval = interval
    }

    public func run() async throws {
        let coordinator = dependencies.diagnosticsCoordinator
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        try await coordinator.sweep()
                    } catch {
                        coordinator.logger.warning("diagnostics sweep: \(error)")
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Shutting down.
        }
    }
}
