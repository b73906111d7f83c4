/// Failures while bringing up or running the local stack, each with a one-line message for people.
public enum StackError: Error, Sendable, CustomStringConvertible {
    /// A required binary (e.g. `prometheus`) is not installed.
    case missingBinary(name: String, hint: String)
    /// The address is already taken by another process.
    case addressInUse(host: String, port: Int)
    /// A child process exited on its own; `logTail` holds its last output lines.
    case childExited(name: String, status: Int32, logTail: String)
    /// A child did not become ready before its deadline.
    case notReady(name: String, url: String, waited: Duration)
    /// The state directory cannot be used.
    case stateDirectory(path: String, reason: String)
    /// Anything else that stops the stack, already phrased for people.
    case other(String)

    public var description: String {
        switch self {
        case .missingBinary(let name, let hint):
            return "\(name) is not installed (\(hint))"
        case .addressInUse(let host, let port):
            return "cannot listen on \(host):\(port): address already in use"
        case .childExited(let name, let status, let logTail):
            let tail = logTail.isEmpty ? "" : "; last output: \(logTail)"
            return "\(name) exited unexpectedly with status \(status)\(tail)"
        case .notReady(let name, let url, let waited):
            return "\(name) did not become ready at \(url) within \(waited)"
        case .stateDirectory(let path, let reason):
            return "cannot use state directory \(path): \(reason)"
        case .other(let message):
            return message
        }
    }
}
