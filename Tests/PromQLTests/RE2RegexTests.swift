import Testing
@testable import PromQL

@Suite("RE2Regex")
struct RE2RegexTests {
    @Test("matches the whole value, as Prometheus anchors label regexes", arguments: [
        ("acme", "acme", true), ("acm", "acme", false), ("acme.+", "acme", false), ("a.*", "acme", true),
        (".*", "", true), (".+", "", false), ("", "", true), ("", "a", false), ("acme|beta", "acme", true),
        ("beta|acme", "acme", true), ("acme|", "", true), ("(ac)(me)", "acme", true), ("(?:ac|x)me", "acme", true),
        ("^acme$", "acme", true), ("a^cme", "acme", false), ("acme$x", "acmex", false),
        ("[a-c]cme", "acme", true), ("[^a]cme", "acme", false), ("[^a]cme", "bcme", true), ("[]a]", "]", true),
        ("[a-]", "-", true), ("[[:alpha:]]+", "acme", true), ("[[:digit:]]+", "acme", false), ("[[:^digit:]]+", "acme", true),
        ("\\d+", "123", true), ("\\D+", "123", false), ("\\w+", "a_1", true), ("\\W", "a", false), ("\\s", " ", true),
        ("\\S", " ", false), ("[\\d\\s]+", "1 2", true), ("a{2}", "aa", true), ("a{2}", "aaa", false),
        ("a{2,}", "aaaa", true), ("a{2,3}", "aaaa", false), ("a{,3}", "a{,3}", true), ("a{", "a{", true),
        ("a*?", "aaa", true), ("a+?b??", "aab", true), ("(?i)ACME", "acme", true), ("(?i:AC)ME", "acME", true),
        ("(?i:AC)ME", "acme", false), ("(?i:AC)me", "acme", true), ("AC(?i)me", "ACME", true),
        ("a.b", "a\nb", true), ("(?-s)a.b", "a\nb", false), ("(?m)^a$\\n^b$", "a\nb", true), ("\\Aacme\\z", "acme", true),
        ("\\bacme\\b", "acme", true), ("a\\Bcme", "acme", true), ("a\\bcme", "acme", false),
        ("\\x61cme", "acme", true), ("\\x{61}cme", "acme", true), ("\\141cme", "acme", true), ("\\0", "\u{0}", true),
        ("\\.", ".", true), ("\\.", "a", false), ("\\Qa.b\\E", "a.b", true), ("\\Qa.b\\E", "axb", false),
        ("\\pL+", "acmé", true), ("\\p{Lu}", "A", true), ("\\p{Lu}", "a", false), ("\\PL", "1", true), ("\\p{^L}", "a", false),
        ("(?P<name>a)cme", "acme", true), ("(?<name>a)cme", "acme", true), ("(?)acme", "acme", true),
        ("é", "e\u{301}", false), ("e\u{301}", "e\u{301}", true), ("caf.", "café", true),
        ("(a*)*", "aaaa", true), ("(a|aa)*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false), ("(x+x+)+y", String(repeating: "x", count: 40), false),
    ])
    func matching(pattern: String, value: String, expected: Bool) throws {
        let regex = try RE2Regex(pattern)
        #expect(regex.matches(value) == expected)
    }

    @Test("rejects what RE2 rejects", arguments: [
        "(?=a)", "(?!a)", "(?<=a)b", "(?<!a)b", "(?>a)", "(?#c)", "\\1", "(a)\\1", "\\8", "a**", "a++", "a*+", "a?*",
        "x{2}{3}", "a{1001}", "a{2,1}", "(a{100}){100}", "*a", "+", "?", "a|*", "(*)", "[a", "a)", "(a", "[z-a]",
        "[[:foo:]]", "\\Z", "\\C", "\\e", "\\y", "(?P<>a)", "(?P=n)", "(?i-)", "(?z)", "\\", "\\p{Greek}", "\\pX",
        "\\x{110000}", "\\xZZ", "a{1,2}{3}",
    ])
    func rejects(pattern: String) {
        #expect(throws: RE2Regex.SyntaxError.self) { try RE2Regex(pattern) }
    }

    @Test("nesting and size are bounded")
    func bounds() {
        #expect(throws: RE2Regex.SyntaxError.self) {
            try RE2Regex(String(repeating: "(", count: 1000) + String(repeating: ")", count: 1000))
        }
        #expect(throws: RE2Regex.SyntaxError.self) { try RE2Regex(String(repeating: "a{1000}", count: 200)) }
        #expect((try? RE2Regex(String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100))) != nil)
    }

    @Test("matching time is linear: catastrophic-backtracking patterns finish")
    func linear() throws {
        let regex = try RE2Regex("(a+)+$b")
        #expect(!regex.matches(String(repeating: "a", count: 20000)))
        let nested = try RE2Regex("((a*)*)*(b|c)")
        #expect(!nested.matches(String(repeating: "a", count: 20000)))
    }
}
