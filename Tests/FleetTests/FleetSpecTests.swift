import Fleet
import Foundation
import Testing

@Suite("FleetSpec")
struct FleetSpecTests {
    static let ada16 = GPUClass.named("ada-16")!
    static let ada48 = GPUClass.named("ada-48")!

    static let fleet = FleetSpec(nodes: [
        NodeSpec(name: "a1", gpuClass: ada16, gpuCount: 1, holding: .dedicated(tenant: "acme")),
        NodeSpec(name: "g1", gpuClass: ada48, gpuCount: 2, holding: .contributed(provider: "globex", pool: "shared-ada")),
        NodeSpec(name: "g2", gpuClass: ada48, gpuCount: 4, holding: .contributed(provider: "globex", pool: "shared-ada")),
        NodeSpec(name: "i1", gpuClass: ada16, gpuCount: 1, holding: .dedicated(tenant: "initrode")),
    ])

    @Test("tenants are unique and sorted, providers included")
    func tenants() {
        #expect(Self.fleet.tenants == ["acme", "globex", "initrode"])
        #expect(Self.fleet.pools == ["shared-ada"])
    }

    @Test("GPU count per tenant adds dedicated and contributed nodes")
    func gpuCount() {
        #expect(Self.fleet.gpuCount(tenant: "globex") == 6)
        #expect(Self.fleet.gpuCount(tenant: "acme") == 1)
        #expect(Self.fleet.gpuCount(tenant: "nobody") == 0)
        #expect(Self.fleet.gpuCount == 8)
    }

    @Test("holding names the responsible tenant and the pool")
    func holding() {
        #expect(Holding.dedicated(tenant: "acme").tenant == "acme")
        #expect(Holding.dedicated(tenant: "acme").pool == nil)
        #expect(Holding.contributed(provider: "globex", pool: "p").tenant == "globex")
        #expect(Holding.contributed(provider: "globex", pool: "p").pool == "p")
    }

    @Test("a synthetic fleet has the requested shape and valid, unique names")
    func synthetic() {
        let fleet = FleetSpec.synthetic(nodes: 128, gpusPerNode: 8)
        #expect(fleet.nodes.count == 128)
        #expect(fleet.gpuCount == 1024)
        #expect(Set(fleet.nodes.map(\.name)).count == 128)
        #expect(fleet.nodes.allSatisfy { NodeSpec.isValidName($0.name) && $0.servedModel != nil })
        #expect(fleet.nodes.first?.name == "node-0000")
        #expect(FleetSpec.synthetic(nodes: 0, gpusPerNode: 8).nodes.isEmpty)
    }

    @Test("node names are safe in URLs and labels", arguments: [
        ("acme-h100-1", true), ("n0", true), ("0", true), ("", false), ("-a", false), ("Acme", false),
        ("a_b", false), ("a/b", false), ("a.b", false), ("a b", false), (String(repeating: "a", count: 64), false),
    ])
    func names(name: String, valid: Bool) {
        #expect(NodeSpec.isValidName(name) == valid)
    }

    @Test("specs round-trip through Codable")
    func codable() throws {
        let data = try JSONEncoder().encode(Self.fleet)
        #expect(try JSONDecoder().decode(FleetSpec.self, from: data) == Self.fleet)
    }
}
