public import Foundation

/// Why an enrolment token was refused. The server answers each with 401 and `userMessage`.
///
/// Saying "already used" or "expired" reveals nothing a guesser can use (a token carries 256
/// random bits) and tells the person at the GPU host what to do: ask for a new token.
public enum EnrolmentError: Error, Sendable, Hashable {
    /// Not shaped like a token, or no token has this hash.
    case unknownToken
    /// The token registered a node before.
    case usedToken(at: Date)
    /// The token's lifetime ended.
    case expiredToken(at: Date)

    public var userMessage: String {
        switch self {
        case .unknownToken: "unknown enrolment token; ask an admin for a new one (aifactory admin node enroll-token)"
        case .usedToken: "this enrolment token was already used; each token enrols one node, ask an admin for a new one"
        case .expiredToken: "this enrolment token has expired; ask an admin for a new one"
        }
    }
}
