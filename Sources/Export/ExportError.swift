/// Why an export input (tenant receivers file, fleet file) was rejected.
///
/// `description` is one line a person can fix the file from; `code` is stable for programs.
public struct ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The text is not YAML.
        case malformedYAML
        /// The YAML does not have the expected shape (missing or wrongly typed key).
        case invalidDocument
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
