/// What a person (or a runbook) should do about a finding.
///
/// Modelled on gpud's `RepairActionType`: an enum the page renders, alert annotations reuse and
/// runbooks key on, never free text. Cases are declared from least to most disruptive.
/// Raw values are returned by the API, so they must not change.
public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nothing to do: the finding is information (idle vLLM, one application XID).
    case none
    /// Nothing to do now; keep an eye on the trend (SBE rate, a warm GPU).
    case watch
    /// Enable the missing field in the exporter's counters CSV so the check can run.
    case enableField = "enable-field"
    /// Check the node's dcgm-exporter and its scrape target: the data are missing, not the GPU.
    case checkExporter = "check-exporter"
    /// The error is most likely the workload's: check the application, restart it if needed.
    case checkWorkload = "check-workload"
    /// Restart the application on the GPU; the GPU itself contained the error.
    case restartApp = "restart-app"
    /// Check cooling: airflow, fans, inlet temperature, facility.
    case checkCooling = "check-cooling"
    /// Schedule a GPU reset at a convenient time (e.g. to activate a pending row remap).
    case scheduleReset = "schedule-reset"
    /// Drain the GPU's work and reset the GPU now.
    case resetGPU = "reset-gpu"
    /// Drain the node and take it out of scheduling before anything else.
    case drain
    /// Drain and reboot the node (the GPU is unreachable or its firmware hung).
    case rebootNode = "reboot-node"
    /// Drain and have the hardware inspected (RMA candidate: memory, bus, power, NVLink).
    case inspectHardware = "inspect-hardware"

    /// Short imperative label for the page.
    public var label: String {
        switch self {
        case .none: "No action needed"
        case .watch: "Watch"
        case .enableField: "Enable the field in the exporter"
        case .checkExporter: "Check the exporter"
        case .checkWorkload: "Check the workload"
        case .restartApp: "Restart the application"
        case .checkCooling: "Check cooling"
        case .scheduleReset: "Schedule a GPU reset"
        case .resetGPU: "Drain and reset the GPU"
        case .drain: "Drain the node"
        case .rebootNode: "Drain and reboot the node"
        case .inspectHardware: "Drain and inspect the hardware"
        }
    }
}
