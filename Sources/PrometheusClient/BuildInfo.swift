/// What `/api/v1/status/buildinfo` reports; fields a backend omits are empty.
///
/// VictoriaMetrics 1.79 (Debian bookworm) answers with an empty `data` object, so even
/// `version` may be empty: a successful answer is what proves the API is there.
public struct BuildInfo: Sendable, Hashable, Decodable {
    /// Prometheus version, or the Prometheus version a compatible backend emulates.
    public var version: String
    public var revision: String
    public var branch: String
    public var goVersion: String

    public init(version: String, revision: String = "", branch: String = "", goVersion: String = "") {
        self.version = version
        self.revision = revision
        self.branch = branch
        self.goVersion = goVersion
    }

    private enum Keys: String, CodingKey { case version, revision, branch, goVersion }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        version = try container.decodeIfPresent(String.self, forKey: .version) ?? ""
        revision = try container.decodeIfPresent(String.self, forKey: .revision) ?? ""
        branch = try container.decodeIfPresent(String.self, forKey: .branch) ?? ""
        goVersion = try container.decodeIfPresent(String.self, forKey: .goVersion) ?? ""
    }
}
