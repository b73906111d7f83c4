import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The node credential an enrolled agent keeps in its state directory, and the facts it needs
/// with it. Written once, at enrolment; read at every start.
///
/// The directory is made 0700 and the file 0600 (created with that mode, then renamed into place,
/// so there is no moment it is readable by others and no half-written file after a crash).
public struct AgentCredential: Sendable, Codable, Equatable {
    public static let fileName = "credential.json"

    /// The server it enrolled with.
    public var server: String
    /// The node's name in the inventory.
    public var node: String
    /// The bearer credential for `POST /api/v1/agent/heartbeat`.
    public var credential: String
    /// How often the server asked for a heartbeat.
    public var heartbeatSeconds: Int

    public init(server: String, node: String, credential: String, heartbeatSeconds: Int) {
        self.server = server
        self.node = node
        self.credential = credential
        self.heartbeatSeconds = heartbeatSeconds
    }

    /// The stored credential, or `nil` when the file does not exist.
    public static func load(from directory: String) throws(AgentError) -> AgentCredential? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(AgentCredential.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .enrolmentFailed("cannot read the stored credential \(path): \(error.localizedDescription); remove it and enrol again with a new token")
        }
    }

    /// Writes the credential (0600) into `directory` (created 0700 when missing).
    public func save(in directory: String) throws(AgentError) {
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        let temporary = path + ".tmp"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // An existing directory keeps its mode from createDirectory; tighten it.
            guard chmod(directory, 0o700) == 0 else { throw Self.posix("chmod \(directory)") }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            let data = try encoder.encode(self)
            unlink(temporary)
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else { throw Self.posix("create \(temporary)") }
            let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            let synced = fsync(descriptor)
            close(descriptor)
            guard written == data.count, synced == 0 else { throw Self.posix("write \(temporary)") }
            guard rename(temporary, path) == 0 else { throw Self.posix("rename to \(path)") }
        } catch let error as AgentError {
            unlink(temporary)
            throw error
        } catch {
            unlink(temporary)
            throw .enrolmentFailed("cannot store the credential in \(directory): \(error.localizedDescription)")
        }
    }

    private static func posix(_ what: String) -> AgentError {
        .enrolmentFailed("cannot store the credential (\(what): \(String(cString: strerror(errno))))")
    }
}
