import Fleet
import Foundation
import Simulator
import Testing

@Suite("FleetFile")
struct FleetFileTests {
    @Test("the embedded demo fleet is the committed deploy/demo/fleet.yaml")
    func demoMatchesCommittedFile() throws {
        let committed = try String(contentsOf: Fixture.demoFleetURL, encoding: .utf8)
        let fromFile = try FleetFile.load(path: Fixture.demoFleetURL.path)
        #expect(fromFile.spec == FleetFile.demo.spec)
        #expect(committed == FleetFile.demoYAML)
    }

    @Test("the demo fleet has the tenants, holdings and scenarios the demo relies on")
    func demoShape() throws {
        let demo = FleetFile.demo
        let spec = demo.spec
        #expect(spec.tenants == ["acme", "globex", "initrode"])
        #expect((10...12).contains(spec.nodes.count))
        #expect(spec.gpuCount <= 24)
        // acme: an idle-vLLM ada-16 and an h100-80 pair under load, both serving.
        let acme = spec.nodes.filter { $0.holding == .dedicated(tenant: "acme") }
        #expect(acme.contains { $0.gpuClass == "ada-16" && $0.gpuCount == 1 && $0.servedModel != nil && $0.scenarios == ["idle-vllm"] })
        #expect(acme.contains { $0.gpuClass == "h100-80" && $0.gpuCount >= 2 && $0.servedModel != nil && $0.scenarios.isEmpty })
        // globex contributes ada-48 nodes to shared-ada.
        let globex = spec.nodes.filter { $0.holding.tenant == "globex" }
        #expect(!globex.isEmpty)
        #expect(globex.allSatisfy { $0.gpuClass == "ada-48" && $0.holding.pool == "shared-ada" })
        // One initrode node per fault scenario.
        let faults = ["thermal-excursion", "xid-79", "xid-13", "ecc-dbe", "pcie-downgrade", "hw-slowdown", "missing-fields", "exporter-down"]
        for fault in faults {
            #expect(spec.nodes.filter { $0.holding.tenant == "initrode" && $0.scenarios == [fault] }.count == 1, "no initrode node for \(fault)")
        }
        #expect(spec.nodes.allSatisfy { NodeSpec.isValidName($0.name) })
    }

    @Test("faults in the demo start 90 s after launch or later")
    func demoOnset() {
        let demo = FleetFile.demo
        for node in demo.spec.nodes {
            for scenario in demo.scenarios(for: node.name) {
                for step in scenario.steps {
                    switch step.event {
                    case .workload, .missingFields: continue  // configuration, not a fault
                    default: #expect(step.at >= 90, "\(scenario.name) starts at \(step.at) s")
                    }
                }
            }
        }
    }

    @Test("a fleet file can define its own scenarios and attach them")
    func customScenarios() throws {
        let yaml = """
        nodes:
          - name: n1
            gpuClass: h100-80
            gpuCount: 4
            provider: globex
            pool: big
            scenarios: [hot-gpu-3]
          - name: n2
            host: n2.example
            gpuClass: ada-16
            gpuCount: 1
            tenant: acme
            gpuModel: Custom Board
            gpuMemoryMiB: 16000
        scenarios:
          - name: hot-gpu-3
            steps:
              - {at: 2m, event: thermal, gpu: 3, celsius: 95}
          - name: flaky
            nodes: [n2]
            steps:
              - {at: 1m, event: exporter-down, duration: 30s}
        """
        let fleet = try FleetFile.parse(yaml: yaml, file: "custom.yaml")
        #expect(fleet.scenarios(for: "n1").map(\.name) == ["hot-gpu-3"])
        #expect(fleet.scenarios(for: "n2").map(\.name) == ["flaky"])
        #expect(fleet.spec.node(named: "n2")?.scenarios == ["flaky"])
        #expect(fleet.spec.node(named: "n2")?.gpuModel == "Custom Board")
        #expect(fleet.spec.node(named: "n2")?.host == "n2.example")
        #expect(fleet.spec.node(named: "n1")?.host == "n1")
        #expect(fleet.spec.node(named: "n1")?.holding == .contributed(provider: "globex", pool: "big"))
    }

    struct BadFleet: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var line: Int
        var message: String
        var testDescription: String { name }
    }

    static let node = "  - name: n1\n    gpuClass: ada-16\n    gpuCount: 1\n    tenant: acme\n"

    @Test("a malformed fleet file fails with file:line and what is wrong", arguments: [
        BadFleet(name: "empty", yaml: "", line: 1, message: "empty fleet file"),
        BadFleet(name: "syntax", yaml: "nodes: [\n", line: 2, message: "invalid YAML"),
        BadFleet(name: "unknown top key", yaml: "nodez: []\n", line: 1, message: "unknown key 'nodez'"),
        BadFleet(name: "not a list", yaml: "nodes: 3\n", line: 1, message: "'nodes' must be a list"),
        BadFleet(name: "no nodes", yaml: "nodes: []\n", line: 1, message: "at least one node"),
        BadFleet(name: "unknown node key", yaml: "nodes:\n  - name: n1\n    gpuClass: ada-16\n    gpuCont: 1\n", line: 4, message: "unknown key 'gpuCont'"),
        BadFleet(name: "missing count", yaml: "nodes:\n  - name: n1\n    gpuClass: ada-16\n    tenant: a\n", line: 2, message: "missing required key 'gpuCount'"),
        BadFleet(name: "wrong type", yaml: "nodes:\n  - name: n1\n    gpuClass: ada-16\n    gpuCount: two\n    tenant: a\n", line: 4, message: "'gpuCount' must be an integer"),
        BadFleet(name: "negative count", yaml: "nodes:\n  - name: n1\n    gpuClass: ada-16\n    gpuCount: -2\n    tenant: a\n", line: 4, message: "between 1 and 16"),
        BadFleet(name: "bad class", yaml: "nodes:\n  - name: n1\n    gpuClass: ada-99\n    gpuCount: 1\n    tenant: a\n", line: 3, message: "unknown GPU class 'ada-99'"),
        BadFleet(name: "bad name", yaml: "nodes:\n  - name: N_1\n    gpuClass: ada-16\n    gpuCount: 1\n    tenant: a\n", line: 2, message: "must match [a-z0-9][a-z0-9-]*"),
        BadFleet(name: "duplicate node", yaml: "nodes:\n" + node + node, line: 6, message: "duplicate node name 'n1' (first defined at line 2)"),
        BadFleet(name: "no holder", yaml: "nodes:\n  - name: n1\n    gpuClass: ada-16\n    gpuCount: 1\n", line: 2, message: "missing holder"),
        BadFleet(name: "both holders", yaml: "nodes:\n  - name: n1\n    gpuClass: ada-16\n    gpuCount: 1\n    tenant: a\n    provider: b\n    pool: c\n", line: 5, message: "not both"),
        BadFleet(name: "provider without pool", yaml: "nodes:\n  - name: n1\n    gpuClass: ada-16\n    gpuCount: 1\n    provider: b\n", line: 5, message: "'provider' needs a 'pool'"),
        BadFleet(name: "unknown scenario", yaml: "nodes:\n  - name: n1\n    gpuClass: ada-16\n    gpuCount: 1\n    tenant: a\n    scenarios: [xid-80]\n", line: 6, message: "unknown scenario 'xid-80'"),
        BadFleet(name: "scenario GPU out of range",
                 yaml: "nodes:\n  - name: n1\n    gpuClass: ada-16\n    gpuCount: 1\n    tenant: a\n    scenarios: [x]\nscenarios:\n  - name: x\n    steps:\n      - {at: 1m, event: xid, gpu: 2, code: 13}\n",
                 line: 6, message: "targets GPU 2, but node 'n1' has 1 GPU"),
        BadFleet(name: "scenario names unknown node",
                 yaml: "nodes:\n" + node + "scenarios:\n  - name: x\n    nodes: [n9]\n    steps:\n      - {at: 1m, event: ecc-dbe}\n",
                 line: 8, message: "unknown node 'n9'"),
        BadFleet(name: "redefines a built-in", yaml: "nodes:\n" + node + "scenarios:\n  - name: xid-79\n    steps:\n      - {at: 1m, event: ecc-dbe}\n",
                 line: 7, message: "is a built-in scenario"),
    ])
    func rejects(_ row: BadFleet) {
        #expect {
            _ = try FleetFile.parse(yaml: row.yaml, file: "fleet.yaml")
        } throws: { error in
            guard let error = error as? FleetFileError else { return false }
            let ok = error.file == "fleet.yaml" && error.line == row.line && error.message.contains(row.message)
            if !ok { print("got: \(error)") }
            return ok && error.description.hasPrefix("fleet.yaml:\(row.line): ")
        }
    }

    @Test("a missing file is reported with its path")
    func missingFile() {
        #expect(throws: FleetFileError.self) { try FleetFile.load(path: "/nonexistent/fleet.yaml") }
    }
}
