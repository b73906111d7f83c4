import ServiceLifecycle
import Telemetry

/// Runs the event recorder's poll loop as a member of the demo's service group.
///
/// `Telemetry` stays free of ServiceLifecycle; this wrapper turns graceful shutdown into the
/// cancellation the loop ends on.
struct EventRecorderService: Service {
    let recorder: EventRecorder
    let interval: Duration

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await recorder.run(every: interval)
        }
    }
}
