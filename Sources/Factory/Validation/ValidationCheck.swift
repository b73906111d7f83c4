public import Foundation

/// One answer of the "validate observability stack" self-check (docs/VALIDATE.md).
///
/// `seen` says what was found, in words a person can check against Prometheus; `hint` says what
/// to change when the answer is not `pass`. Both are shown as they are.
public struct ValidationCheck: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case pass, skip, warn, fail

        private var rank: Int {
            switch self {
            case .pass: 0
            case .skip: 1
            case .warn: 2
            case .fail: 3
            }
        }

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }
    }

    /// The groups, in the order the page lists them.
    public enum Group: String, Sendable, Hashable, Codable, CaseIterable {
        case backend, targets, coverage, tenancy, vllm, rules, alerting, loops

        public var title: String {
            switch self {
            case .backend: "Metrics backend"
            case .targets: "Scrape targets"
            case .coverage: "Series coverage per GPU"
            case .tenancy: "Tenant labels"
            case .vllm: "vLLM metric names"
            case .rules: "Alert rules"
            case .alerting: "Alert path"
            case .loops: "AI Factory's own loops"
            }
        }
    }

    /// Stable across runs: `targets.<node>.<exporter>`, `coverage.<node>`, `rules.can-fire`, …
    public var id: String
    public var group: Group
    public var title: String
    public var status: Status
    public var seen: String
    public var hint: String?
    public var node: String?

    public init(id: String, group: Group, title: String, status: Status, seen: String, hint: String? = nil, node: String? = nil) {
        self.id = id
        self.group = group
        self.title = title
        self.status = status
        self.seen = seen
        self.hint = hint
        self.node = node
    }
}

/// One run of the self-check: what was checked, for whom, how it went and how long it took.
public struct ValidationReport: Sendable, Hashable, Codable {
    /// `tenant` (a tenant admin's nodes) or `fleet` (an operator's run).
    public var scope: String
    public var tenant: String?
    public var nodes: [String]
    public var status: ValidationCheck.Status
    public var counts: [String: Int]
    public var durationMs: Int
    /// Failures first, then warnings, skips and passes; by group and id within each.
    public var checks: [ValidationCheck]

    public init(scope: String, tenant: String?, nodes: [String], durationMs: Int, checks: [ValidationCheck]) {
        self.scope = scope
        self.tenant = tenant
        self.nodes = nodes
        self.durationMs = durationMs
        let groups = Dictionary(uniqueKeysWithValues: ValidationCheck.Group.allCases.enumerated().map { ($1, $0) })
        self.checks = checks.sorted {
            if $0.status != $1.status { return $0.status > $1.status }
            if $0.group != $1.group { return groups[$0.group, default: 0] < groups[$1.group, default: 0] }
            return $0.id < $1.id
        }
        status = checks.map(\.status).filter { $0 != .skip }.max() ?? .pass
        var counts = Dictionary(uniqueKeysWithValues: ValidationCheck.Status.allCases.map { ($0.rawValue, 0) })
        for check in checks { counts[check.status.rawValue, default: 0] += 1 }
        self.counts = counts
    }
}
