import Foundation

/// `DIR/demo-credentials.json`: where the demo runs and which key logs in as which tenant.
///
/// Keys are generated once and reused when the demo restarts on the same state directory, so a
/// bookmarked login or a script keeps working across restarts.
public struct DemoCredentials: Sendable, Hashable, Codable {
    public struct Tenant: Sendable, Hashable, Codable {
        public var tenant: String
        /// `owner`, `provider`, `consumer`, `none` or `operator`.
        public var role: String
        public var apiKey: String
    }

    public var url: String
    public var prometheusURL: String
    public var simulatorURL: String
    /// The demo's Alertmanager (`/api/v2/alerts`); `nil` when none runs (not installed, turned
    /// off) and in files written before the demo ran one.
    public var alertmanagerURL: String?
    /// The long-term store the server reads (`--victoria-metrics`); `nil`: it reads `prometheusURL`.
    public var metricsURL: String?
    /// The demo's inference gateway (OpenAI-compatible; docs/GATEWAY.md); `nil` in files written
    /// before the demo ran one.
    public var gatewayURL: String?
    public var tenants: [Tenant]

    public init(url: String, prometheusURL: String, simulatorURL: String, alertmanagerURL: String? = nil, tenants: [Tenant]) {
        self.url = url
        self.prometheusURL = prometheusURL
        self.simulatorURL = simulatorURL
        self.alertmanagerURL = alertmanagerURL
        self.tenants = tenants
    }

    /// Reads an earlier file, if any; a damaged file is treated as absent (keys are re-issued).
    public static func load(path: String) -> DemoCredentials? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(DemoCredentials.self, from: data)
    }

    /// Writes the file atomically with owner-only permissions (it holds keys).
    public func write(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
