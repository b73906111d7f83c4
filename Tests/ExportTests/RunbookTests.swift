import Export
import Foundation
import Testing

@Suite("Runbooks")
struct RunbookTests {
    static let names = AlertRuleSet.standard(.init(), nodes: [(node: "n1", tenant: "acme")]).alertNames

    static func runbookFiles() throws -> Set<String> {
        let files = try FileManager.default.contentsOfDirectory(atPath: Repository.url("docs/runbooks").path)
        return Set(files.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) })
    }

    @Test("every alert has docs/runbooks/<AlertName>.md with causes, numbered remediation and how to confirm", arguments: names)
    func runbookExists(name: String) throws {
        let text = try Repository.read("docs/runbooks/\(name).md")
        #expect(text.hasPrefix("# \(name)\n"))
        #expect(text.contains("## Likely causes"))
        #expect(text.contains("## Remediation\n\n1. "))
        #expect(text.contains("## Confirm on the AI Factory page"))
    }

    @Test("every runbook belongs to an alert")
    func noOrphans() throws {
        let orphans = try Self.runbookFiles().subtracting(Self.names)
        #expect(orphans.isEmpty, "runbooks without an alert: \(orphans.sorted())")
    }
}
