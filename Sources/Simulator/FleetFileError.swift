/// A fleet or scenario file that cannot be used, with the place to fix it.
///
/// `description` reads `file:line: message`, the form editors and CI logs turn into a link; the
/// CLI prints it on stderr and exits with status 2. Lines are 1-based; line 1 is used when the
/// problem has no better place (an empty file).
public struct FleetFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Path (or label) of the file, as given by the caller.
    public var file: String
    /// 1-based line of the offending YAML node.
    public var line: Int
    /// What is wrong, for people.
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`.
    public var description: String { "\(file):\(line): \(message)" }
}
