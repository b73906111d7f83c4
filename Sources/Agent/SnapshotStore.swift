import NIOConcurrencyHelpers
public import NIOCore

/// The last sample, shared by the sampler, the XID watcher and scrapes.
///
/// A scrape never calls NVML: it takes the lock, renders the snapshot if this generation has not
/// been rendered yet (one render per sample however many scrapers there are), and returns the
/// cached bytes. The sampler publishes under the same short lock.
public final class SnapshotStore: Sendable {
    private struct State {
        var snapshot: AgentSnapshot
        var rendered: ByteBuffer?
        var renderedGeneration: UInt64 = .max
    }

    private let state: NIOLockedValueBox<State>

    init(_ snapshot: AgentSnapshot) {
        state = NIOLockedValueBox(State(snapshot: snapshot))
    }

    /// The latest snapshot.
    public var snapshot: AgentSnapshot {
        state.withLockedValue { $0.snapshot }
    }

    /// Changes the snapshot and starts a new generation.
    func update(_ change: (inout AgentSnapshot) -> Void) {
        state.withLockedValue { state in
            change(&state.snapshot)
            state.snapshot.generation &+= 1
        }
    }

    /// The exposition of the latest snapshot.
    public func metrics() -> ByteBuffer {
        state.withLockedValue { state in
            if let rendered = state.rendered, state.renderedGeneration == state.snapshot.generation {
                return rendered
            }
            let buffer = ByteBuffer(bytes: MetricsRenderer.render(state.snapshot))
            state.rendered = buffer
            state.renderedGeneration = state.snapshot.generation
            return buffer
        }
    }
}
