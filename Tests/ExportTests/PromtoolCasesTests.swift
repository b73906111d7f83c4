import Export
import Testing

@Suite("promtool unit-test cases")
struct PromtoolCasesTests {
    @Test("every alert has a check where it fires and one where it does not")
    func coverage() throws {
        let file = try PromtoolCases.file()
        let checks = file.groups.flatMap(\.checks)
        let firing = Set(checks.filter { !$0.firing.isEmpty }.map(\.alert))
        let quiet = Set(checks.filter { $0.firing.isEmpty }.map(\.alert))
        for name in file.rules.alertNames {
            #expect(firing.contains(name), "\(name) never fires in PromtoolCases")
            #expect(quiet.contains(name), "\(name) is never checked quiet in PromtoolCases")
        }
        #expect(Set(checks.map(\.alert)).isSubset(of: Set(file.rules.alertNames)))
    }

    @Test("every rule variant (fast/slow burn, generic and per-node absent) is expected somewhere")
    func variants() throws {
        let file = try PromtoolCases.file()
        let expectations = file.groups.flatMap(\.checks).flatMap { check in check.firing.map { (check.alert, $0.labels) } }
        let used = Set(expectations.compactMap { file.rule(named: $0.0, labels: $0.1) }.map { "\($0.name) \($0.labels.sorted { $0.key < $1.key })" })
        let perNode = file.rules.rules.filter { $0.expr.hasPrefix("absent_over_time") }
        let variants = file.rules.rules.filter { !$0.expr.hasPrefix("absent_over_time") } + perNode.prefix(1)
        for rule in variants {
            #expect(used.contains("\(rule.name) \(rule.labels.sorted { $0.key < $1.key })"), "no expectation exercises \(rule.name) \(rule.labels)")
        }
    }

    @Test("annotation templates expand like Prometheus's, missing labels as <no value>")
    func expansion() {
        #expect(PromtoolTestFile.expand("GPU {{ $labels.gpu }} at {{ $value }} °C on {{ $labels.x }}", labels: ["gpu": "3"], value: "91")
            == "GPU 3 at 91 °C on <no value>")
    }
}
