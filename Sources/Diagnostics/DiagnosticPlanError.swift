/// Why a diagnostic request cannot become a plan. `description` is the user-facing sentence the
/// API answers with (422) and the CLI prints.
public struct DiagnosticPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
