/// Asks a running load test to stop and report what it has (SIGINT in the CLI).
///
/// The level in flight is cancelled (its unfinished requests count nowhere), its report is
/// marked `interrupted`, and no further level starts.
public actor StopSignal {
    public private(set) var isTriggered = false

    public init() {}

    public func trigger() {
        isTriggered = true
    }
}
