/// Why the agent cannot start: each case carries what a person needs to fix it.
///
/// A field the NVML library cannot give is *not* an error (it is "not collected", see
/// `NotCollected`); only a library that cannot be used at all, or bad configuration, stops the agent.
public enum AgentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `dlopen` failed: no NVIDIA driver, or `--nvml-library` points at nothing loadable.
    case libraryNotFound(tried: [String], reason: String)
    /// The library loaded but lacks the symbols every NVML since driver 325 has.
    case notNVML(path: String, missing: [String])
    /// `nvmlInit_v2` or device enumeration failed (driver not loaded, no permission, …).
    case nvmlFailed(function: String, code: Int32, message: String)
    /// A flag or configuration value is out of range.
    case invalidConfiguration(String)
    /// Enrolment with the AI Factory server failed (refused token, unreachable server, state
    /// directory not writable); the message says which and what to do.
    case enrolmentFailed(String)
    /// A call to the AI Factory server after enrolment failed (network, server down).
    case serverUnreachable(String)

    /// One line for a person.
    public var description: String {
        switch self {
        case .libraryNotFound(let tried, let reason):
            "cannot load NVML (\(tried.joined(separator: ", "))): \(reason); is the NVIDIA driver installed? --nvml-library PATH names the library"
        case .notNVML(let path, let missing):
            "\(path) is not an NVML library: it lacks \(missing.joined(separator: ", "))"
        case .nvmlFailed(let function, let code, let message):
            "NVML \(function) failed: \(message) (code \(code))"
        case .invalidConfiguration(let message):
            message
        case .enrolmentFailed(let message):
            "enrolment failed: \(message)"
        case .serverUnreachable(let message):
            message
        }
    }
}
