/// Why a `PUT /faults/<node>` body was refused, with a message that names the offending field.
public struct FaultRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Not JSON, or not a JSON object (HTTP 400).
        case malformed
        /// A JSON object with an unknown field, a value of the wrong type, or a value out of
        /// range (HTTP 422).
        case invalid
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
