/// The agent's version, reported at enrolment and with every heartbeat (shown on the node).
public enum AgentVersion {
    public static let current = "0.1.0"
}
