/// The API shape of a finding:
///
/// ```json
/// {"signal": "xid", "severity": "critical", "gpu": 0, "reason": "XID 79 (…) on GPU 0 at …", "action": "reboot-node"}
/// ```
///
/// `gpu` is always present: a number, or `null` for a node-wide finding.
extension Finding: Codable {
    enum CodingKeys: String, CodingKey {
        case signal, severity, gpu, reason, action
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            signal: try c.decode(Signal.self, forKey: .signal),
            severity: try c.decode(Severity.self, forKey: .severity),
            gpu: try c.decodeIfPresent(GPUIndex.self, forKey: .gpu),
            reason: try c.decode(String.self, forKey: .reason),
            action: try c.decode(Action.self, forKey: .action))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(signal, forKey: .signal)
        try c.encode(severity, forKey: .severity)
        try c.encode(gpu, forKey: .gpu)  // explicit null for node-wide findings
        try c.encode(reason, forKey: .reason)
        try c.encode(action, forKey: .action)
    }
}
