import Testing
@testable import PromQL

extension LabelScope {
    /// The scope most tests use: `tenant="acme"`.
    static let acme = try! LabelScope(label: "tenant", value: "acme")
}

/// One adversarial or ordinary query and what the enforcer must do with it.
struct ScopeCase: CustomTestStringConvertible, Sendable {
    enum Outcome: Sendable {
        case rewritten(String)
        case outsideTenant
        case unscopable
        case malformed
    }

    var query: String
    var outcome: Outcome
    var testDescription: String { query }

    init(_ query: String, _ expected: String) {
        self.query = query
        outcome = .rewritten(expected)
    }

    init(_ query: String, _ outcome: Outcome) {
        self.query = query
        self.outcome = outcome
    }
}

@Suite("TenantScope")
struct TenantScopeTests {
    static let rewritten: [ScopeCase] = [
        // Every selector gets the matcher.
        ScopeCase("up", #"up{tenant="acme"}"#),
        ScopeCase("topk(scalar(count(x)), y)", #"topk(scalar(count(x{tenant="acme"})), y{tenant="acme"})"#),
        ScopeCase("bottomk(scalar(max(z)), y)", #"bottomk(scalar(max(z{tenant="acme"})), y{tenant="acme"})"#),
        ScopeCase("quantile(scalar(q), x)", #"quantile(scalar(q{tenant="acme"}), x{tenant="acme"})"#),
        ScopeCase("limitk(scalar(n), x)", #"limitk(scalar(n{tenant="acme"}), x{tenant="acme"})"#),
        ScopeCase(#"count_values("value", x)"#, #"count_values("value", x{tenant="acme"})"#),
        ScopeCase("rate(x[5m])", #"rate(x{tenant="acme"}[5m])"#),
        ScopeCase("sum by (job) (rate(x[5m]))", #"sum by (job) (rate(x{tenant="acme"}[5m]))"#),
        ScopeCase("x[5m:1m]", #"x{tenant="acme"}[5m:1m]"#),
        ScopeCase("max_over_time(rate(x[1m])[10m:])", #"max_over_time(rate(x{tenant="acme"}[1m])[10m:])"#),
        ScopeCase("min_over_time(max_over_time(rate(x[1m])[10m:])[1h:])",
                  #"min_over_time(max_over_time(rate(x{tenant="acme"}[1m])[10m:])[1h:])"#),
        ScopeCase("(a + b)[5m:]", #"(a{tenant="acme"} + b{tenant="acme"})[5m:]"#),
        ScopeCase("a or b", #"a{tenant="acme"} or b{tenant="acme"}"#),
        ScopeCase("a unless b", #"a{tenant="acme"} unless b{tenant="acme"}"#),
        ScopeCase("a and on (tenant) b", #"a{tenant="acme"} and on (tenant) b{tenant="acme"}"#),
        ScopeCase("a * on (job) group_left (tenant) b",
                  #"a{tenant="acme"} * on (job) group_left (tenant) b{tenant="acme"}"#),
        ScopeCase("-x", #"-x{tenant="acme"}"#),
        ScopeCase("(x)", #"(x{tenant="acme"})"#),
        ScopeCase("x offset 5m @ start()", #"x{tenant="acme"} @ start() offset 5m"#),
        ScopeCase("x[5m] offset -1m", #"x{tenant="acme"}[5m] offset -1m"#),
        ScopeCase("absent(nope)", #"absent(nope{tenant="acme"})"#),
        ScopeCase("histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))",
                  #"histogram_quantile(0.9, sum by (le) (rate(x_bucket{tenant="acme"}[5m])))"#),
        ScopeCase(#"label_replace(x, "dst", "$1", "tenant", "(.*)")"#,
                  #"label_replace(x{tenant="acme"}, "dst", "$1", "tenant", "(.*)")"#),
        ScopeCase(#"sort_by_label(x, "tenant")"#, #"sort_by_label(x{tenant="acme"}, "tenant")"#),
        ScopeCase("sum without (tenant) (x)", #"sum without (tenant) (x{tenant="acme"})"#),
        ScopeCase(#"{"gpu.util"}"#, #"{__name__="gpu.util", tenant="acme"}"#),
        ScopeCase(#"{"gpu.util", "a.b"="x"}"#, #"{__name__="gpu.util", "a.b"="x", tenant="acme"}"#),
        ScopeCase("vllm:kv_cache_usage_perc > 0.9", #"vllm:kv_cache_usage_perc{tenant="acme"} > 0.9"#),
        // Pure literals pass (Grafana's health check).
        ScopeCase("1+1", "1 + 1"),
        ScopeCase("time()", "time()"),
        ScopeCase("vector(0)", "vector(0)"),
        ScopeCase(#""hello""#, #""hello""#),
        ScopeCase("scalar(vector(1)) * 2", "scalar(vector(1)) * 2"),
        // Matchers on the tenant label that can select the value are replaced by the exact matcher.
        ScopeCase(#"up{tenant="acme"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant=~".*"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant=~".+"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant!="other"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant!=""}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant=~"acme|beta"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant=~"beta|acme"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant=~"acme|"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant=~"a.*"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant=~"[a-c]cm[e]"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant=~"(?i)ACME"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant=~"\\x61cme"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant=~"^acme$"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant!~"beta"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant!~""}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant="acme", tenant=~"ac.*", tenant!="b"}"#, #"up{tenant="acme"}"#),
        // Escape-spelled and quoted forms of the same label and value.
        ScopeCase(#"up{"tenant"="acme"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{'tenant'=~".*"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{"\x74enant"="acme"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant="\x61cme"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant="\u0061cme"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant="\U00000061cme"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant="\141cme"}"#, #"up{tenant="acme"}"#),
        ScopeCase(#"up{tenant='acme'}"#, #"up{tenant="acme"}"#),
        ScopeCase("up{tenant=`acme`}", #"up{tenant="acme"}"#),
        ScopeCase(#"{__name__="up", tenant="acme"}"#, #"up{tenant="acme"}"#),
        // Other labels are kept verbatim, compared case-sensitively.
        ScopeCase(#"up{Tenant="other"}"#, #"up{Tenant="other", tenant="acme"}"#),
        ScopeCase(#"up{tenant_id="other"}"#, #"up{tenant_id="other", tenant="acme"}"#),
        ScopeCase(#"up{"tenant "="other"}"#, #"up{"tenant "="other", tenant="acme"}"#),
        // Comments can neither hide nor add matchers.
        ScopeCase(#"up # {tenant="other"}"#, #"up{tenant="acme"}"#),
        ScopeCase("up{job=\"a\" # , tenant=\"other\"\n}", #"up{job="a", tenant="acme"}"#),
        ScopeCase("up{job=\"a\", # tenant=\"acme\"}\n c=\"d\"}", #"up{job="a", c="d", tenant="acme"}"#),
        ScopeCase(##"up{job="# not a comment"}"##, ##"up{job="# not a comment", tenant="acme"}"##),
        // Quote-breaking values stay inside their quotes.
        ScopeCase(#"up{job="\"}, tenant=\"other"}"#, #"up{job="\"}, tenant=\"other", tenant="acme"}"#),
        ScopeCase(#"up{job='"} or other{x="'}"#, #"up{job="\"} or other{x=\"", tenant="acme"}"#),
        ScopeCase(#"up{job="a\\"}"#, #"up{job="a\\", tenant="acme"}"#),
        ScopeCase(#"up{job="line\nbreak"}"#, #"up{job="line\nbreak", tenant="acme"}"#),
        ScopeCase(#"up{job="\u202Eevil"}"#, #"up{job="\u202Eevil", tenant="acme"}"#),
        ScopeCase("up{job=`a\"b`}", #"up{job="a\"b", tenant="acme"}"#),
    ]

    static let outsideTenant: [ScopeCase] = [
        ScopeCase(#"up{tenant="other"}"#, .outsideTenant),
        ScopeCase(#"up{tenant=""}"#, .outsideTenant),
        ScopeCase(#"up{tenant!="acme"}"#, .outsideTenant),
        ScopeCase(#"up{tenant!~"acme"}"#, .outsideTenant),
        ScopeCase(#"up{tenant!~"a.*"}"#, .outsideTenant),
        ScopeCase(#"up{tenant!~".*"}"#, .outsideTenant),
        ScopeCase(#"up{tenant=~"acm"}"#, .outsideTenant),
        ScopeCase(#"up{tenant=~"acme.+"}"#, .outsideTenant),
        ScopeCase(#"up{tenant=~"ACME"}"#, .outsideTenant),
        ScopeCase(#"up{tenant="ACME"}"#, .outsideTenant),
        ScopeCase(#"up{tenant=~""}"#, .outsideTenant),
        ScopeCase(#"up{tenant=~"beta|gamma"}"#, .outsideTenant),
        ScopeCase(#"up{tenant="acme "}"#, .outsideTenant),
        ScopeCase(#"up{tenant="acme\u0000"}"#, .outsideTenant),
        ScopeCase(#"up{tenant="acm\u0065\u0301"}"#, .outsideTenant),
        ScopeCase(#"up{"tenant"="other"}"#, .outsideTenant),
        ScopeCase(#"up{"\x74enant"!="acme"}"#, .outsideTenant),
        ScopeCase(#"up{tenant="\x6fther"}"#, .outsideTenant),
        ScopeCase(#"up{tenant="acme", tenant="other"}"#, .outsideTenant),
        ScopeCase(#"up{tenant="acme", tenant!="acme"}"#, .outsideTenant),
        ScopeCase(#"up{tenant=~"acme", tenant!~"a.*"}"#, .outsideTenant),
        // A foreign selector anywhere rejects the whole query.
        ScopeCase(#"up or other{tenant="beta"}"#, .outsideTenant),
        ScopeCase(#"up unless other{tenant="beta"}"#, .outsideTenant),
        ScopeCase(#"up and on () other{tenant="beta"}"#, .outsideTenant),
        ScopeCase(#"vector(1) + on () group_left sum(x{tenant="beta"})"#, .outsideTenant),
        ScopeCase(#"max_over_time(x{tenant="beta"}[5m:])"#, .outsideTenant),
        ScopeCase(#"max_over_time((y + x{tenant="beta"})[1h:5m])"#, .outsideTenant),
        ScopeCase(#"topk(scalar(count(x{tenant="beta"})), y)"#, .outsideTenant),
        ScopeCase(#"quantile(scalar(q{tenant="beta"}), x)"#, .outsideTenant),
        ScopeCase(#"topk(1, x) + on () group_left bottomk(scalar(z{tenant!~"acme"}), y)"#, .outsideTenant),
        ScopeCase(#"rate(x{tenant="beta"}[5m] offset 1h)"#, .outsideTenant),
        ScopeCase(#"absent(x{tenant="beta"})"#, .outsideTenant),
        ScopeCase(#"-(-(-x{tenant="beta"}))"#, .outsideTenant),
        ScopeCase(#"up # comment"# + "\n" + #"or x{tenant="beta"}"#, .outsideTenant),
    ]

    static let unscopable: [ScopeCase] = [
        ScopeCase("info(x)", .unscopable),
        ScopeCase(#"info(x, {k8s_cluster_name=~".+"})"#, .unscopable),
        ScopeCase(#"sum(info(rate(x[5m])))"#, .unscopable),
        ScopeCase(#"label_replace(x, "tenant", "acme", "", "")"#, .unscopable),
        ScopeCase(#"label_replace(x, ("tenant"), "beta", "", "")"#, .unscopable),
        ScopeCase(#"label_replace(x, "\x74enant", "beta", "", "")"#, .unscopable),
        ScopeCase(#"label_replace(x, 'tenant', "beta", "", "")"#, .unscopable),
        ScopeCase("label_replace(x, `tenant`, \"beta\", \"\", \"\")", .unscopable),
        ScopeCase(#"label_join(x, "tenant", ",", "job")"#, .unscopable),
        ScopeCase(#"sum(label_join(x, "tenant", ""))"#, .unscopable),
        ScopeCase(#"count_values("tenant", x)"#, .unscopable),
        ScopeCase(#"count_values(("tenant"), x)"#, .unscopable),
        ScopeCase(#"topk(1, count_values by (job) ("tenant", x))"#, .unscopable),
    ]

    static let malformed: [ScopeCase] = [
        ScopeCase(#"up{tenant="acme"}}"#, .malformed),
        ScopeCase(#"up{tenant="acme" or tenant="beta"}"#, .malformed),
        ScopeCase(#"up{tenant=~"(?=acme)"}"#, .malformed),
        ScopeCase(#"up{tenant=~"(a)\\1"}"#, .malformed),
        ScopeCase(#"up{tenant="\xff"}"#, .malformed),
        ScopeCase(#"{tenant=~".*"}"#, .malformed),
        ScopeCase("", .malformed),
    ]

    @Test("rewrites every selector to carry exactly the tenant matcher", arguments: rewritten)
    func rewrites(_ scenario: ScopeCase) throws {
        guard case .rewritten(let expected) = scenario.outcome else { return }
        let scoped = try LabelScope.acme.rewrite(scenario.query)
        #expect(scoped.text == expected)
        try assertScoped(scoped.text)
    }

    @Test("rejects selectors that cannot match the tenant", arguments: outsideTenant)
    func rejectsOutside(_ scenario: ScopeCase) {
        #expect {
            _ = try LabelScope.acme.rewrite(scenario.query)
        } throws: { error in
            guard let error = error as? PromQLError, case .outsideTenant = error else { return false }
            return !error.isClientSyntaxError
        }
    }

    @Test("rejects functions that read or forge series outside the text", arguments: unscopable)
    func rejectsUnscopable(_ scenario: ScopeCase) {
        #expect {
            _ = try LabelScope.acme.rewrite(scenario.query)
        } throws: { error in
            guard let error = error as? PromQLError, case .unscopable = error else { return false }
            return true
        }
    }

    @Test("malformed queries are client errors, not scope errors", arguments: malformed)
    func rejectsMalformed(_ scenario: ScopeCase) {
        #expect {
            _ = try LabelScope.acme.rewrite(scenario.query)
        } throws: { error in
            (error as? PromQLError)?.isClientSyntaxError == true
        }
    }

    @Test("the exact matcher is compared without Unicode normalisation")
    func noNormalisation() throws {
        let composed = try LabelScope(label: "tenant", value: "caf\u{E9}")
        #expect(try composed.rewrite(#"x{tenant="caf\u00e9"}"#).text == #"x{tenant="café"}"#)
        #expect(throws: PromQLError.self) { try composed.rewrite(#"x{tenant="cafe\u0301"}"#) }
        #expect(throws: PromQLError.self) { try composed.rewrite(#"x{tenant=~"cafe\u0301"}"#) }
    }

    @Test("tenant values with quotes and regex metacharacters are escaped and compared literally")
    func awkwardTenantValues() throws {
        let quoted = try LabelScope(label: "tenant", value: "a\"b}\\")
        #expect(try quoted.rewrite("up").text == #"up{tenant="a\"b}\\"}"#)
        let dotted = try LabelScope(label: "tenant", value: "a.b")
        #expect(try dotted.rewrite(#"up{tenant=~"a\\.b"}"#).text == #"up{tenant="a.b"}"#)
        let other = try LabelScope(label: "tenant", value: "axb")
        #expect(try other.rewrite(#"up{tenant=~"a.b"}"#).text == #"up{tenant="axb"}"#)
        #expect(throws: PromQLError.self) { try other.rewrite(#"up{tenant=~"a\\.b"}"#) }
    }

    @Test("a tenant label that is not a plain identifier is quoted, and matched when quoted in the query")
    func quotedTenantLabel() throws {
        let scope = try LabelScope(label: "org.id", value: "acme")
        #expect(try scope.rewrite("up").text == #"up{"org.id"="acme"}"#)
        #expect(try scope.rewrite(#"up{"org.id"=~"ac.*"}"#).text == #"up{"org.id"="acme"}"#)
        #expect(throws: PromQLError.self) { try scope.rewrite(#"up{"org.id"="beta"}"#) }
    }

    @Test("configuration errors are refused")
    func configuration() {
        #expect(throws: LabelScope.ConfigurationError.emptyLabel) { try LabelScope(label: "", value: "a") }
        #expect(throws: LabelScope.ConfigurationError.emptyValue) { try LabelScope(label: "t", value: "") }
        #expect(throws: LabelScope.ConfigurationError.metricNameLabel) { try LabelScope(label: "__name__", value: "a") }
    }

    @Test("a matcher on __name__ is never taken for the tenant label")
    func metricNameIsNotTenant() throws {
        #expect(try LabelScope.acme.rewrite(#"{__name__="tenant"}"#).text == #"tenant{tenant="acme"}"#)
    }

    @Test("errors carry the selector's position")
    func errorPosition() {
        do {
            _ = try LabelScope.acme.rewrite("up +\n  x{tenant=\"beta\"}")
            Issue.record("expected rejection")
        } catch {
            #expect(error.position?.line == 2)
            #expect(error.position?.column == 3)
            #expect(error.description.hasPrefix("2:3: forbidden: matcher tenant=\"beta\""))
        }
    }

    @Test("deep nesting and huge queries are 4xx errors, never crashes")
    func limits() {
        let deep = String(repeating: "(", count: 5000) + "x" + String(repeating: ")", count: 5000)
        #expect { try LabelScope.acme.rewrite(deep) } throws: { ($0 as? PromQLError)?.code == "too_deep" }
        let unary = String(repeating: "-", count: 10000) + "x"
        #expect { try LabelScope.acme.rewrite(unary) } throws: { ($0 as? PromQLError)?.code == "too_deep" }
        let chain = Array(repeating: "x", count: 2000).joined(separator: " + ")
        #expect { try LabelScope.acme.rewrite(chain) } throws: { ($0 as? PromQLError)?.code == "too_deep" }
        let huge = "sum(x{a=\"" + String(repeating: "a", count: 70000) + "\"})"
        #expect { try LabelScope.acme.rewrite(huge) } throws: { ($0 as? PromQLError)?.code == "too_long" }
        let nestedRegex = "x{a=~\"" + String(repeating: "(", count: 3000) + String(repeating: ")", count: 3000) + "\"}"
        #expect { try LabelScope.acme.rewrite(nestedRegex) } throws: { ($0 as? PromQLError)?.code == "syntax" }
        let opens = String(repeating: "sum(", count: 16000)
        #expect { try LabelScope.acme.rewrite(opens) } throws: { ($0 as? PromQLError)?.isClientSyntaxError == true }
    }

    @Test("a large but legal query is scoped")
    func largeQuery() throws {
        let value = String(repeating: "a", count: 60000)
        let scoped = try LabelScope.acme.rewrite("sum(x{a=\"\(value)\"})")
        #expect(scoped.text.hasSuffix(#"", tenant="acme"})"#))
    }

    /// Independent check: parse the output and look at every selector.
    private func assertScoped(_ text: String) throws {
        let expr = try Parser.parse(text)
        for selector in expr.selectors {
            let onTenant = selector.matchers.filter { $0.isOn("tenant") }
            #expect(onTenant.count == 1)
            #expect(onTenant.first?.op == .equal)
            #expect(onTenant.first?.value == "acme")
        }
    }
}
