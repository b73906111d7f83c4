// libFuzzer entry point for the PromQL target: parse → enforce → print → re-parse.
//
// Built by scripts/promql-fuzz.sh together with Sources/PromQL/*.swift into one module (so no
// `import PromQL`), with `swiftc -sanitize=fuzzer -parse-as-library -O`. Any trap is a finding:
// the checks below call `fatalError` when an invariant breaks, and a crash or stack overflow inside
// the library is caught by libFuzzer itself.

private let fuzzScope: LabelScope = {
    guard let scope = try? LabelScope(label: ScopeLabel.tenant, value: "acme") else { fatalError("scope") }
    return scope
}()

/// Printed text can be longer than the input (escapes), so re-parsing allows any length.
private let unlimited = Parser.Options(maxLength: Int.max)

@_cdecl("LLVMFuzzerTestOneInput")
public func promQLFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let query = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)

    // 1. Parsing never traps; when it succeeds, printing round-trips to an equal tree.
    if let expr = try? Parser.parse(query) {
        let printed = Printer.print(expr)
        guard let reparsed = try? Parser.parse(printed, options: unlimited) else {
            fatalError("printed query does not parse: \(printed)")
        }
        guard reparsed == expr else { fatalError("round trip changed the tree: \(query) → \(printed)") }
        guard Printer.print(reparsed) == printed else { fatalError("printing is not stable: \(printed)") }
    }

    // 2. The enforcer either rejects or returns text in which every selector is scoped.
    let scoped: LabelScopedQuery
    do {
        scoped = try fuzzScope.rewrite(query)
    } catch {
        _ = error.description  // messages are built without trapping
        _ = error.userMessage
        return 0
    }
    guard let rescoped = try? Parser.parse(scoped.text, options: unlimited) else {
        fatalError("scoped query does not parse: \(scoped.text)")
    }
    for selector in rescoped.selectors {
        let onTenant = selector.matchers.filter { $0.isOn("tenant") }
        guard onTenant.count == 1, let only = onTenant.first, only.op == .equal,
              only.value.utf8.elementsEqual("acme".utf8) else {
            fatalError("selector escaped the tenant: \(scoped.text)")
        }
    }
    // 3. Scoping is idempotent.
    if scoped.text.utf8.count <= fuzzScope.options.maxLength {
        guard let again = try? fuzzScope.rewrite(scoped.text), again.text == scoped.text else {
            fatalError("scoping is not idempotent: \(scoped.text)")
        }
    }
    return 0
}
