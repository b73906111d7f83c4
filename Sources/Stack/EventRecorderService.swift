public import ServiceLifecycle
public import Telemetry

/// Runs the event recorder's poll loop as a member of the demo's service group.
///
/// `Telemetry` stays free of ServiceLifecycle; this wrapper turns graceful shutdown into the
/// cancellation the loop ends on.
public struct EventRecorderService: Service {
    public let recorder: EventRecorder
    public let interval: Duration

    public init(recorder: EventRecorder, interval: Duration) {
        self.recorder = recorder
        self.interval = interval
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await recorder.run(every: interval)
        }
    }
}
