import Foundation

/// How `aifactory agent --server URL` enrols and where it keeps its credential.
///
/// On first start the agent redeems `token` (one use) and stores the node credential it gets in
/// `stateDirectory`; every later start finds the credential there and never enrols again, so the
/// used token left in a unit file or a shell history is harmless.
public struct EnrolmentSettings: Sendable {
    /// The one-time enrolment token (`aifactory admin node enroll-token`).
    public var token: String?
    /// `host:port` Prometheus should scrape; `nil`: the listen address, or this host's name when
    /// listening on every interface.
    public var advertise: String?
    /// Where the credential is kept (0700 directory, 0600 file).
    public var stateDirectory: String
    /// The node's name in the inventory; `nil`: derived from the host name.
    public var nodeName: String?

    public static let defaultStateDirectory = "/var/lib/aifactory-agent"

    public init(token: String? = nil, advertise: String? = nil, stateDirectory: String = Self.defaultStateDirectory, nodeName: String? = nil) {
        self.token = token
        self.advertise = advertise
        self.stateDirectory = stateDirectory
        self.nodeName = nodeName
    }

    /// The credential file's path.
    public var credentialPath: String {
        (stateDirectory as NSString).appendingPathComponent(AgentCredential.fileName)
    }

    func validate(serverURL: String?) throws(AgentError) {
        guard let serverURL else {
            if token != nil { throw .invalidConfiguration("--enroll-token needs --server URL (the AI Factory server to enrol with)") }
            return
        }
        guard let url = URL(string: serverURL), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil else {
            throw .invalidConfiguration("--server must be an http(s) URL such as https://factory.example, got '\(serverURL)'")
        }
        if let advertise, !Self.isHostPort(advertise) {
            throw .invalidConfiguration("--advertise must be host:port, got '\(advertise)'")
        }
        if token == nil, !FileManager.default.fileExists(atPath: credentialPath) {
            throw .invalidConfiguration(
                "--server needs --enroll-token TOKEN on first start (no credential in \(stateDirectory)); ask an admin: aifactory admin node enroll-token --tenant T")
        }
    }

    static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
              let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return false }
        return true
    }
}
