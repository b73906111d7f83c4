import Fleet
import Foundation
import PromQL
import PrometheusClient
import Telemetry

extension StackValidator {
    /// Per node: every GPU reports every field the page and the rules read.
    func coverageChecks(_ context: Context) async -> [ValidationCheck] {
        guard let metrics, let scope = context.scope, !context.nodes.isEmpty else { return [] }
        let names = RequiredSeries.dcgmNames.joined(separator: "|")
        let samples: [VectorSample]
        do {
            samples = try await scope.samples(metrics, "group by (node, gpu, __name__) ({__name__=~\"\(names)\"})", at: context.at)
        } catch {
            return context.nodes.map { Self.unreadable("coverage.\($0.name)", .coverage, "Series coverage on \($0.name)", node: $0.name, error) }
        }
        var present: [String: [Int: Set<String>]] = [:]
        for sample in samples {
            guard let node = sample.labels[ScopeLabel.node], let gpu = sample.labels["gpu"].flatMap(Int.init),
                  let name = sample.labels[metricNameLabel] else { continue }
            present[node, default: [:]][gpu, default: []].insert(name)
        }
        return context.nodes.map { node in
            let id = "coverage.\(node.name)"
            let title = "Every GPU of \(node.name) reports what the page and the rules read"
            guard Self.scrapedWell(context.targets, node: node.name, job: "dcgm", at: context.at, fromUp: context.targetsFromUp) else {
                return ValidationCheck(id: id, group: .coverage, title: title, status: .skip,
                                       seen: "not judged: the node's DCGM target is not scraped (see Scrape targets)", node: node.name)
            }
            let gpus = present[node.name] ?? [:]
            let expected = Array(0..<max(node.gpuCount, (gpus.keys.max() ?? -1) + 1))
            let silent = expected.filter { gpus[$0] == nil }
            var missing: [(field: RequiredSeries.Field, gpus: [Int])] = []
            for field in RequiredSeries.dcgm {
                let lacking = expected.filter { gpu in gpus[gpu].map { Set(field.names).isDisjoint(with: $0) } ?? false }
                if !lacking.isEmpty { missing.append((field, lacking)) }
            }
            if silent.isEmpty, missing.isEmpty {
                return ValidationCheck(
                    id: id, group: .coverage, title: title, status: .pass,
                    seen: "\(RequiredSeries.dcgm.count) fields on GPU \(Self.list(expected)) (\(expected.count) GPU\(expected.count == 1 ? "" : "s"))",
                    node: node.name)
            }
            var seen: [String] = []
            var hints: [String] = []
            if !silent.isEmpty {
                seen.append("GPU \(Self.list(silent)) report\(silent.count == 1 ? "s" : "") nothing (the node is registered with \(node.gpuCount))")
                hints.append("A GPU that reports nothing has fallen off the bus or is hidden from DCGM: check nvidia-smi and dcgmi discovery -l on \(node.name).")
            }
            for (field, lacking) in missing {
                seen.append("\(field.names[0]) missing on GPU \(Self.list(lacking)) (\(field.purpose))")
            }
            if !missing.isEmpty {
                let lines = missing.map { "`\($0.field.csvLine)`" }.joined(separator: " ")
                let agent = Set(missing.map(\.field.agent)).sorted().joined(separator: ", ")
                hints.append("Enable the field\(missing.count == 1 ? "" : "s") in dcgm-exporter's counters CSV (-f): \(lines) — the stock default-counters.csv ships the ECC lines commented out. With the AI Factory agent they come from NVML (\(agent)): its log names any field it could not collect.")
            }
            return ValidationCheck(id: id, group: .coverage, title: title, status: .fail, seen: seen.joined(separator: "; "),
                                   hint: hints.joined(separator: " "), node: node.name)
        }
    }

    /// Per node: every series carries the inventory's tenant and pool, and no exporter brought
    /// its own (Prometheus renames a clashing exporter label to `exported_<name>`).
    func tenancyChecks(_ context: Context) async -> [ValidationCheck] {
        guard let metrics else { return [] }
        return await withTaskGroup(of: ValidationCheck.self) { group in
            for node in context.nodes {
                group.addTask { await self.tenancyCheck(node, context, metrics) }
            }
            var checks: [ValidationCheck] = []
            for await check in group { checks.append(check) }
            return checks
        }
    }

    private func tenancyCheck(_ node: NodeRecord, _ context: Context, _ metrics: any MetricsBackend) async -> ValidationCheck {
        let id = "tenancy.\(node.name)"
        let title = "Series of \(node.name) carry tenant \(node.holding.tenant), unforged"
        guard Self.scrapedWell(context.targets, node: node.name, job: "dcgm", at: context.at, fromUp: context.targetsFromUp) else {
            return ValidationCheck(id: id, group: .tenancy, title: title, status: .skip,
                                   seen: "not judged: the node's DCGM target is not scraped (see Scrape targets)", node: node.name)
        }
        let samples: [VectorSample]
        do {
            guard let scope = try context.caller.operator?.connectionCheckScope(for: node) ?? context.caller.tenant?.connectionCheckScope(for: node) else {
                return ValidationCheck(id: id, group: .tenancy, title: title, status: .skip, seen: "not the caller's node", node: node.name)
            }
            let labels = [ScopeLabel.tenant, "exported_\(ScopeLabel.tenant)", ScopeLabel.pool, "exported_\(ScopeLabel.pool)"].joined(separator: ", ")
            // Scraped series only (they carry `job`): the rules' ALERTS series and recording
            // outputs keep only the labels their expressions aggregate by.
            samples = try await metrics.samples(
                try scope.rewrite("count by (\(labels)) ({job!=\"\", __name__!~\"ALERTS|ALERTS_FOR_STATE\"})"), at: context.at)
        } catch {
            return Self.unreadable(id, .tenancy, title, node: node.name, error)
        }
        let expectedPool = node.holding.pool ?? ScopeLabel.dedicatedPool
        let series = samples.reduce(0) { $0 + Int($1.value) }
        var problems: [String] = []
        var hints: [String] = []
        let tenants = Set(samples.map { $0.labels[ScopeLabel.tenant] ?? "" })
        if tenants != [node.holding.tenant] {
            problems.append("tenant label \(tenants.sorted().map { $0.isEmpty ? "(none)" : "\"\($0)\"" }.joined(separator: ", ")), not only \"\(node.holding.tenant)\"")
            hints.append("The node's scrape jobs must take their labels from /sd/prometheus, with honor_labels: false and no relabelling of \(ScopeLabel.tenant).")
        }
        let forged = Set(samples.compactMap { $0.labels["exported_\(ScopeLabel.tenant)"] }.filter { !$0.isEmpty })
        if !forged.isEmpty {
            problems.append("the exporter sets its own tenant label (exported_tenant=\(forged.sorted().map { "\"\($0)\"" }.joined(separator: ", ")))")
            hints.append("Remove the \(ScopeLabel.tenant) label from the exporter on \(node.name) (its command line, counters or relabelling): Prometheus kept the inventory's value and renamed the exporter's, which no query of AI Factory reads — but honor_labels: true on that job would let it through.")
        }
        let pools = Set(samples.map { $0.labels[ScopeLabel.pool] ?? "" })
        if pools != [expectedPool] {
            problems.append("pool label \(pools.sorted().map { $0.isEmpty ? "(none)" : "\"\($0)\"" }.joined(separator: ", ")), expected \"\(expectedPool)\"")
            hints.append("The pool label comes from service discovery only (\"\(ScopeLabel.dedicatedPool)\" for a dedicated node); check the job's relabelling.")
        }
        let foreignPools = Set(samples.compactMap { $0.labels["exported_\(ScopeLabel.pool)"] }.filter { !$0.isEmpty })
        if !foreignPools.isEmpty {
            problems.append("the exporter sets its own pool label (exported_pool=\(foreignPools.sorted().map { "\"\($0)\"" }.joined(separator: ", ")))")
            hints.append("Remove the pool label from the exporter on \(node.name): a pool aggregate must never count a node the inventory does not put there.")
        }
        if series == 0 {
            return ValidationCheck(id: id, group: .tenancy, title: title, status: .fail, seen: "no series for \(node.name)",
                                   hint: "See the node's scrape targets.", node: node.name)
        }
        if problems.isEmpty {
            return ValidationCheck(id: id, group: .tenancy, title: title, status: .pass,
                                   seen: "\(series) series, all tenant=\"\(node.holding.tenant)\" pool=\"\(expectedPool)\", no exported_ labels", node: node.name)
        }
        return ValidationCheck(id: id, group: .tenancy, title: title, status: .fail, seen: problems.joined(separator: "; "),
                               hint: hints.joined(separator: " "), node: node.name)
    }

    /// Per vLLM node: the series the page and the rules read exist under their current names;
    /// deprecated names are flagged with their replacement.
    func vllmChecks(_ context: Context) async -> [ValidationCheck] {
        let nodes = context.nodes.filter { $0.vllmAddress != nil }
        guard let metrics, let scope = context.scope, !nodes.isEmpty else { return [] }
        let names = (RequiredSeries.vllmCurrent + RequiredSeries.vllmDeprecated.keys.sorted()).joined(separator: "|")
        let samples: [VectorSample]
        do {
            samples = try await scope.samples(metrics, "group by (node, __name__) ({__name__=~\"\(names)\"})", at: context.at)
        } catch {
            return nodes.map { Self.unreadable("vllm.\($0.name)", .vllm, "vLLM metric names on \($0.name)", node: $0.name, error) }
        }
        var present: [String: Set<String>] = [:]
        for sample in samples {
            guard let node = sample.labels[ScopeLabel.node], let name = sample.labels[metricNameLabel] else { continue }
            present[node, default: []].insert(name)
        }
        return nodes.map { node in
            let id = "vllm.\(node.name)"
            let title = "vLLM on \(node.name) exports the current metric names"
            guard Self.scrapedWell(context.targets, node: node.name, job: "vllm", at: context.at, fromUp: context.targetsFromUp) else {
                return ValidationCheck(id: id, group: .vllm, title: title, status: .skip,
                                       seen: "not judged: the node's vLLM target is not scraped (see Scrape targets)", node: node.name)
            }
            let have = present[node.name] ?? []
            let missing = RequiredSeries.vllmCurrent.filter { !have.contains($0) }
            let deprecated = RequiredSeries.vllmDeprecated.keys.sorted().filter(have.contains)
            let renames = deprecated.map { "\($0) → \(RequiredSeries.vllmDeprecated[$0] ?? "")" }
            if missing.isEmpty, deprecated.isEmpty {
                return ValidationCheck(id: id, group: .vllm, title: title, status: .pass,
                                       seen: "all \(RequiredSeries.vllmCurrent.count) current names present", node: node.name)
            }
            if missing.isEmpty {
                return ValidationCheck(
                    id: id, group: .vllm, title: title, status: .warn,
                    seen: "deprecated names still exported beside the current ones: \(renames.joined(separator: ", "))",
                    hint: "Dashboards or rules of your own that read the old names go silent when vLLM drops them: move them to the new names.",
                    node: node.name)
            }
            var seen = "missing: \(missing.joined(separator: ", "))"
            if !renames.isEmpty { seen += "; exported under deprecated names instead: \(renames.joined(separator: ", "))" }
            return ValidationCheck(
                id: id, group: .vllm, title: title, status: .fail, seen: seen,
                hint: renames.isEmpty
                    ? "Check that vLLM runs with its Prometheus metrics on (they are on by default at /metrics) and is a V1 engine (vLLM ≥ 0.8): the page's inference cards and the vLLM alert rules read these names."
                    : "This vLLM is older than the names the page and the rules read (renamed in vLLM 0.9–0.11): upgrade vLLM, or start it with --show-hidden-metrics-for-version to keep both; meanwhile the KV-cache and latency alerts cannot fire for this node.",
                node: node.name)
        }
    }
}
