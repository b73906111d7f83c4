import ArgumentParser
import Foundation
import NIOHTTP1

/// `aifactory validate`: the "validate observability stack" self-check from a terminal or a CI
/// job — the same checks as the page's panel (`POST /api/v1/factory/validate`), for the key's
/// tenant (a tenant admin) or the fleet (an operator). Exit status 1 when any check fails.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the whole metrics pipeline (targets, series, tenant labels, rules, alert path); exit 1 on any failure.",
        discussion: "Read-only; the run is saved and listed on the page. docs/VALIDATE.md lists every check.")

    @OptionGroup var connection: AdminConnection

    @Flag(help: "Print the run as JSON instead of a checklist.")
    var json = false

    @Flag(help: "Print passing checks too (default: only what is not a pass, and the counts).")
    var all = false

    func run() async throws {
        guard let run = try await connection.send(.POST, "/api/v1/factory/validate", printing: json) as? [String: Any] else {
            CLIErrors.printError("the server's answer was not a validation run")
            throw ExitCode.failure
        }
        let checks = run["checks"] as? [[String: Any]] ?? []
        if !json {
            var out = ""
            let scope = (run["scope"] as? String) == "fleet" ? "the fleet" : "tenant \(run["tenant"] as? String ?? "?")"
            out += "Validation \(run["id"] as? String ?? "") of \(scope): \(checks.count) checks in \(run["durationMs"] as? Int ?? 0) ms\n"
            for check in checks where all || (check["status"] as? String) != "pass" {
                let status = (check["status"] as? String ?? "?").uppercased()
                out += "\n[\(status)] \(check["title"] as? String ?? "")\n"
                out += "       seen: \(check["seen"] as? String ?? "")\n"
                if let hint = check["hint"] as? String { out += "       fix:  \(hint)\n" }
            }
            let counts = run["counts"] as? [String: Int] ?? [:]
            out += "\n\(counts["pass"] ?? 0) pass, \(counts["warn"] ?? 0) warn, \(counts["fail"] ?? 0) fail, \(counts["skip"] ?? 0) skip\n"
            FileHandle.standardOutput.write(Data(out.utf8))
        }
        if (run["status"] as? String) == "fail" { throw ExitCode.failure }
    }
}
