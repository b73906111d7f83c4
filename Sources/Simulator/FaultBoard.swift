import Synchronization

/// The faults currently injected into the simulated exporters, per node (`/faults` routes).
///
/// The one mutable part of the simulator: `FleetSimulation` stays an immutable value, and the
/// exporter routes read this board on every scrape, so a fault set over HTTP shows in the very
/// next scrape and a cleared one disappears as fast. A `Mutex` rather than an actor because a
/// scrape only copies a small value out and must not suspend.
public final class FaultBoard: Sendable {
    private let faults = Mutex<[String: ExporterFault]>([:])

    public init() {}

    /// The fault injected into `node`, if any.
    public func fault(for node: String) -> ExporterFault? {
        faults.withLock { $0[node] }
    }

    /// Every node with a fault, by node name.
    public var all: [String: ExporterFault] {
        faults.withLock { $0 }
    }

    /// Replaces `node`'s fault; an empty fault clears it.
    public func set(_ fault: ExporterFault, for node: String) {
        faults.withLock { $0[node] = fault.isEmpty ? nil : fault }
    }

    /// Clears `node`'s fault.
    public func clear(node: String) {
        _ = faults.withLock { $0.removeValue(forKey: node) }
    }

    /// Clears every fault.
    public func clearAll() {
        faults.withLock { $0.removeAll() }
    }
}
