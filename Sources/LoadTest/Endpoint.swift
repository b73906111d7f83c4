/// Which OpenAI-compatible API the generator drives.
public enum Endpoint: String, Sendable, Codable, CaseIterable {
    /// `POST /v1/chat/completions` (`messages`, content in `choices[].delta.content`).
    case chat
    /// `POST /v1/completions` (`prompt`, content in `choices[].text`).
    case completions

    /// Path below the `/v1` base.
    public var path: String {
        switch self {
        case .chat: "/chat/completions"
        case .completions: "/completions"
        }
    }
}
