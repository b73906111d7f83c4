import Fleet
import Foundation
import Testing

@Suite("RoleResolver")
struct RoleResolverTests {
    /// Which relationships the tenant `acme` has in one row of the matrix.
    struct Case: CustomTestStringConvertible, Sendable {
        var owns: Bool
        var provides: Bool
        var consumes: Bool
        var expected: Role

        var testDescription: String {
            let parts = [owns ? "owner" : nil, provides ? "provider" : nil, consumes ? "consumer" : nil].compactMap { $0 }
            return (parts.isEmpty ? "nothing" : parts.joined(separator: "+")) + " → \(expected)"
        }

        var nodes: [NodeRecord] {
            var nodes = [node("other-dedicated", .dedicated(tenant: "globex")),
                         node("other-contributed", .contributed(provider: "globex", pool: "shared"))]
            if owns { nodes.append(node("acme-own", .dedicated(tenant: "acme"))) }
            if provides { nodes.append(node("acme-lent", .contributed(provider: "acme", pool: "shared"))) }
            return nodes
        }

        var subscriptions: [Subscription] {
            var subscriptions = [subscription(tenant: "globex", pool: "shared", plan: "pro")]
            if consumes { subscriptions.append(subscription(tenant: "acme", pool: "shared", plan: "standard")) }
            return subscriptions
        }
    }

    /// Every combination of the three relationships: provider > owner > consumer > none.
    static let matrix: [Case] = [
        Case(owns: false, provides: false, consumes: false, expected: .none),
        Case(owns: false, provides: false, consumes: true, expected: .consumer),
        Case(owns: true, provides: false, consumes: false, expected: .owner),
        Case(owns: true, provides: false, consumes: true, expected: .owner),
        Case(owns: false, provides: true, consumes: false, expected: .provider),
        Case(owns: false, provides: true, consumes: true, expected: .provider),
        Case(owns: true, provides: true, consumes: false, expected: .provider),
        Case(owns: true, provides: true, consumes: true, expected: .provider),
    ]

    @Test("provider beats owner beats consumer beats none", arguments: matrix)
    func precedence(row: Case) {
        let resolution = RoleResolver.resolve(tenant: "acme", nodes: row.nodes, subscriptions: row.subscriptions)
        #expect(resolution.role == row.expected)
    }

    @Test("every relationship is listed, and only the tenant's own", arguments: matrix)
    func relationshipsListed(row: Case) {
        let resolution = RoleResolver.resolve(tenant: "acme", nodes: row.nodes, subscriptions: row.subscriptions)
        var expected: [Relationship] = []
        if row.provides { expected.append(Relationship(kind: .provider, node: "acme-lent", pool: "shared")) }
        if row.owns { expected.append(Relationship(kind: .owner, node: "acme-own")) }
        if row.consumes { expected.append(Relationship(kind: .consumer, pool: "shared", plan: "standard")) }
        #expect(resolution.relationships == expected)
    }

    /// Each single change to the inventory, applied to every row: adding or removing one
    /// relationship moves the role exactly as the precedence table says.
    enum Change: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case addOwner, removeOwner, addProvider, removeProvider, addConsumer, removeConsumer
        var testDescription: String { rawValue }

        func apply(_ row: Case) -> Case {
            var changed = row
            switch self {
            case .addOwner: changed.owns = true
            case .removeOwner: changed.owns = false
            case .addProvider: changed.provides = true
            case .removeProvider: changed.provides = false
            case .addConsumer: changed.consumes = true
            case .removeConsumer: changed.consumes = false
            }
            changed.expected = RoleResolverTests.matrix.first {
                $0.owns == changed.owns && $0.provides == changed.provides && $0.consumes == changed.consumes
            }?.expected ?? .none
            return changed
        }
    }

    @Test("every relationship change moves the role per the table", arguments: matrix, Change.allCases)
    func change(row: Case, change: Change) {
        let after = change.apply(row)
        let resolution = RoleResolver.resolve(tenant: "acme", nodes: after.nodes, subscriptions: after.subscriptions)
        #expect(resolution.role == after.expected)
        #expect(resolution.relationships.isEmpty == (after.expected == .none))
    }

    @Test("moving a node from dedicated to contributed turns an owner into a provider")
    func holdingChange() {
        var n = node("acme-1", .dedicated(tenant: "acme"))
        #expect(RoleResolver.resolve(tenant: "acme", nodes: [n], subscriptions: []).role == .owner)
        n.holding = .contributed(provider: "acme", pool: "shared")
        #expect(RoleResolver.resolve(tenant: "acme", nodes: [n], subscriptions: []).role == .provider)
        n.holding = .contributed(provider: "globex", pool: "shared")
        #expect(RoleResolver.resolve(tenant: "acme", nodes: [n], subscriptions: []).role == .none)
    }

    @Test("the result does not depend on input order and lists duplicates once")
    func orderIndependent() {
        let nodes = [node("b", .dedicated(tenant: "acme")), node("a", .dedicated(tenant: "acme")),
                     node("c", .contributed(provider: "acme", pool: "p2")),
                     node("d", .contributed(provider: "acme", pool: "p1"))]
        let subs = [subscription(tenant: "acme", pool: "p2", plan: "x"), subscription(tenant: "acme", pool: "p1", plan: "y"),
                    subscription(tenant: "acme", pool: "p1", plan: "y")]
        let forward = RoleResolver.resolve(tenant: "acme", nodes: nodes, subscriptions: subs)
        let backward = RoleResolver.resolve(tenant: "acme", nodes: nodes.reversed(), subscriptions: subs.reversed())
        #expect(forward == backward)
        #expect(forward.relationships.map(\.kind) == [.provider, .provider, .owner, .owner, .consumer, .consumer])
        #expect(forward.relationships.compactMap(\.node) == ["c", "d", "a", "b"])
        #expect(forward.relationships.filter { $0.kind == .consumer }.compactMap(\.pool) == ["p1", "p2"])
    }

    @Test("tenant names match exactly, not by prefix or case")
    func exactMatch() {
        let nodes = [node("n", .dedicated(tenant: "acme-labs")), node("m", .dedicated(tenant: "ACME"))]
        #expect(RoleResolver.resolve(tenant: "acme", nodes: nodes, subscriptions: []).role == .none)
    }

    @Test("roles and relationship kinds encode as their lower-case names")
    func encoding() throws {
        let resolution = RoleResolution(role: .provider, relationships: [Relationship(kind: .provider, node: "n", pool: "p")])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(resolution), as: UTF8.self)
        #expect(json == #"{"relationships":[{"kind":"provider","node":"n","pool":"p"}],"role":"provider"}"#)
    }
}

private func node(_ name: String, _ holding: Holding) -> NodeRecord {
    NodeRecord(name: name, host: "\(name).example", dcgmAddress: "\(name).example:9400",
               gpuModel: "NVIDIA H100 80GB HBM3", gpuCount: 8, gpuMemoryMiB: 81559, gpuClass: "h100-80",
               holding: holding)
}

private func subscription(tenant: String, pool: String, plan: String) -> Subscription {
    Subscription(id: "s_\(tenant)_\(pool)", tenant: tenant, pool: pool, plan: plan, tokenQuota: 1_000_000,
                 period: "month", createdAt: Date(timeIntervalSince1970: 0))
}
