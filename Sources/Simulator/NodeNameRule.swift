import Fleet

/// The naming rule shared by nodes and scenarios: `[a-z0-9][a-z0-9-]*`, safe in URLs and labels.
enum NodeNameRule {
    static func isValid(_ name: String) -> Bool { NodeSpec.isValidName(name) }
}
