public import Logging
public import ServiceLifecycle

/// Feeds `UpstreamPool` what vLLM reports about its load, every `interval`.
///
/// The reading itself is a closure (`aifactory gateway --prometheus-url`, `serve --gateway` and
/// the demo pass Telemetry's `VLLMLoadReader`), so the gateway depends on no metrics client. A
/// failed read is logged and skipped: the reports it had age out (`UpstreamPool.maxAge`) and
/// routing falls back to the in-flight count alone — never to no routing.
public struct VLLMLoadPolling: Service {
    let pool: UpstreamPool
    let interval: Duration
    let read: @Sendable () async throws -> [String: NodeLoad]
    let logger: Logger

    public init(pool: UpstreamPool, interval: Duration = .seconds(5), logger: Logger, read: @escaping @Sendable () async throws -> [String: NodeLoad]) {
        self.pool = pool
        self.interval = interval
        self.read = read
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                do {
                    await pool.report(try await read())
                    if failing { logger.info("vLLM load readings are back") }
                    failing = false
                } catch is CancellationError {
                    return
                } catch {
                    if !failing { logger.warning("reading vLLM load failed; routing by in-flight requests only", metadata: ["error": "\(error)"]) }
                    failing = true
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
