import Simulator
import Testing
import Fleet
import NIOFoundationEssentialsCompat

@Suite("ScenarioFile")
struct ScenarioFileTests {
    @Test("every built-in scenario parses and has a description")
    func builtins() {
        #expect(Set(BuiltinScenarios.all.keys) == Set(BuiltinScenarios.names))
        for name in BuiltinScenarios.names {
            let scenario = BuiltinScenarios.all[name]
            #expect(scenario?.description.isEmpty == false, "\(name)")
            #expect(scenario?.steps.isEmpty == false, "\(name)")
        }
    }

    @Test("steps read durations, GPU targets and event options")
    func steps() throws {
        let yaml = """
        name: mixed
        description: everything at once
        steps:
          - {at: 90, event: thermal, gpu: 1, celsius: 91.5}
          - {at: 1m30s, event: clock-event, gpu: all, reasons: [hw_slowdown, sw_thermal], duration: 2m}
          - {at: 250ms, event: workload, profile: busy}
          - {at: 1h, event: pcie-downgrade, gen: 3, width: 8}
          - {at: 2m, event: missing-fields, fields: [DCGM_FI_PROF_SM_ACTIVE]}
          - {at: 3m, event: exporter-down}
        """
        let scenario = try #require(try ScenarioFile.parse(yaml: yaml, file: "s.yaml").first)
        #expect(scenario.steps.map(\.at) == [90, 90, 0.25, 3600, 120, 180])
        #expect(scenario.steps[0].event == .thermal(celsius: 91.5, ramp: 60))
        #expect(scenario.steps[0].gpu == .index(1))
        #expect(scenario.steps[1].gpu == .all)
        #expect(scenario.steps[1].event == .clockEvent(mask: 0x8 | 0x20, duration: 120))
        #expect(scenario.steps[2].event == .workload(.busy))
        #expect(scenario.steps[3].event == .pcieDowngrade(gen: 3, width: 8))
        #expect(scenario.steps[4].event == .missingFields(["DCGM_FI_PROF_SM_ACTIVE"]))
        #expect(scenario.steps[5].event == .exporterDown(duration: nil, every: nil))
        #expect(scenario.steps[5].line == 9)
    }

    @Test("malformed scenario files fail with file:line", arguments: [
        ("steps: []\n", 1, "missing required key 'name'"),
        ("name: x\nsteps: []\n", 1, "has no steps"),
        ("name: x\nsteps:\n  - {at: 1m, event: explode}\n", 3, "unknown event 'explode'"),
        ("name: x\nsteps:\n  - {at: soon, event: ecc-dbe}\n", 3, "'soon' is not a duration"),
        ("name: x\nsteps:\n  - {event: ecc-dbe}\n", 3, "missing required key 'at'"),
        ("name: x\nsteps:\n  - {at: 1m, event: xid}\n", 3, "missing required key 'code'"),
        ("name: x\nsteps:\n  - {at: 1m, event: xid, code: 13, celsius: 3}\n", 3, "unknown key 'celsius'"),
        ("name: x\nsteps:\n  - {at: 1m, event: ecc-dbe, gpu: -1}\n", 3, "must not be negative"),
        ("name: x\nsteps:\n  - {at: 1m, event: clock-event, reasons: [too_hot]}\n", 3, "unknown clock event 'too_hot'"),
        ("name: x\nsteps:\n  - {at: 1m, event: workload, profile: lazy}\n", 3, "unknown workload profile 'lazy'"),
        ("name: x\nsteps:\n  - {at: 1m, event: missing-fields, fields: [DCGM_FI_NOPE]}\n", 3, "unknown DCGM field"),
        ("name: x\nsteps:\n  - {at: 1m, event: exporter-down, duration: 5m, every: 1m}\n", 3, "shorter than 'every'"),
        ("name: Bad Name\nsteps:\n  - {at: 1m, event: ecc-dbe}\n", 1, "must match"),
        ("- name: a\n  steps: [{at: 1m, event: ecc-dbe}]\n- name: a\n  steps: [{at: 1m, event: ecc-dbe}]\n", 3, "duplicate scenario name 'a'"),
    ])
    func rejects(yaml: String, line: Int, message: String) {
        #expect {
            _ = try ScenarioFile.parse(yaml: yaml, file: "s.yaml")
        } throws: { error in
            guard let error = error as? FleetFileError else { return false }
            if !(error.line == line && error.message.contains(message)) { print("got: \(error)") }
            return error.file == "s.yaml" && error.line == line && error.message.contains(message)
        }
    }

    @Test("--scenario files attach through their nodes list, and unknown nodes are rejected")
    func adding() throws {
        let custom = try ScenarioFile.parse(yaml: """
            name: late-dbe
            nodes: [node-0001]
            steps:
              - {at: 10m, event: ecc-dbe, gpu: 1}
            """, file: "extra.yaml")
        let fleet = try LoadedFleet.synthetic(nodes: 2, gpusPerNode: 2).adding(custom)
        #expect(fleet.scenarios(for: "node-0001").map(\.name) == ["late-dbe"])
        #expect(fleet.spec.node(named: "node-0001")?.scenarios == ["late-dbe"])
        #expect(fleet.scenarios(for: "node-0000").isEmpty)

        let stray = try ScenarioFile.parse(yaml: "name: s\nnodes: [ghost]\nsteps: [{at: 1m, event: ecc-dbe}]\n", file: "stray.yaml")
        #expect {
            _ = try LoadedFleet.synthetic(nodes: 1, gpusPerNode: 1).adding(stray)
        } throws: { error in
            (error as? FleetFileError)?.description == "stray.yaml:2: scenario 's' names unknown node 'ghost'"
        }
    }
}
