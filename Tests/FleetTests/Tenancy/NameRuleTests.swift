import Fleet
import Testing

@Suite("NameRule")
struct NameRuleTests {
    @Test("accepts DNS-label-like names", arguments: ["a", "0", "acme", "acme-labs", "n1-gpu-07", String(repeating: "a", count: 63)])
    func accepts(name: String) {
        #expect(NameRule.isValid(name))
    }

    @Test("rejects anything a label value or URL segment would need escaping for", arguments: [
        "", "-acme", "Acme", "acme_labs", "acme labs", "acme/x", "acme.labs", "ä", #"a"b"#, String(repeating: "a", count: 64),
    ])
    func rejects(name: String) {
        #expect(NameRule.problem(with: name) != nil)
    }
}
