/// One timed step of a scenario.
public struct ScenarioStep: Sendable, Hashable {
    /// Seconds after simulation start.
    public var at: Double
    /// GPUs the step applies to (ignored by node-wide events).
    public var gpu: GPUTarget
    public var event: ScenarioEvent
    /// Line of the step in its file, for errors found when the scenario is attached to a node.
    public var line: Int

    public init(at: Double, gpu: GPUTarget = .index(0), event: ScenarioEvent, line: Int = 0) {
        self.at = at
        self.gpu = gpu
        self.event = event
        self.line = line
    }
}
