import Exposition
import Foundation
import Simulator
import Testing

/// The simulated exporter is read by the same parser as the real scrape and matches its format.
@Suite("DCGM exposition")
struct DCGMExpositionTests {
    let probe = Probe()

    @Test("simulator output and the real scrape parse with the same code; every real family is present with the same TYPE and HELP")
    func sameFamiliesAsRealExporter() throws {
        let real = try ExpositionParser.parse(try Fixture.text("dcgm-exporter-sample.prom"))
        let simulated = try probe.dcgm("acme-h100-1", at: 300)
        for family in real.families {
            let ours = try #require(simulated.family(family.name), "missing \(family.name)")
            #expect(ours.type == family.type, "\(family.name)")
            #expect(ours.help == family.help, "\(family.name)")
        }
        // The real families come first, in the real exporter's order.
        #expect(Array(simulated.familyNames.prefix(real.families.count)) == real.familyNames)
        for name in [
            "DCGM_FI_PROF_SM_ACTIVE", "DCGM_FI_PROF_NVLINK_RX_BYTES", "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL",
            "DCGM_FI_DEV_PCIE_LINK_GEN", "DCGM_FI_DEV_PCIE_LINK_WIDTH", "DCGM_FI_DEV_PCIE_MAX_LINK_GEN", "DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH",
            "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", "DCGM_EXP_XID_ERRORS_COUNT",
        ] {
            #expect(simulated.family(name) != nil, "missing \(name)")
        }
    }

    @Test("labels come in the exporter's order, with XID labels last")
    func labelOrder() throws {
        let real = try ExpositionParser.parse(try Fixture.text("dcgm-exporter-sample.prom"))
        let realPrefix = Array(try #require(real.allSamples.first).labelNames.prefix(7))
        let simulated = try probe.dcgm("acme-h100-1", at: 300)
        for sample in simulated.allSamples {
            #expect(Array(sample.labelNames.prefix(7)) == realPrefix)
        }
        let xid = try #require(simulated.samples("DCGM_FI_DEV_XID_ERRORS").first)
        #expect(xid.labelNames.suffix(2) == ["err_code", "err_msg"])
        #expect(xid[label: "err_msg"] == "No Error")
        let count = try #require(simulated.samples("DCGM_EXP_XID_ERRORS_COUNT").first)
        #expect(count.labelNames.last == "window_size_in_ms")
        #expect(count.value == 0)
    }

    @Test("values are formatted like the exporter: %d for integers, %f for doubles")
    func valueFormat() throws {
        let text = try #require(probe.simulation.dcgmText(node: "acme-h100-1", at: 300))
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        for line in lines {
            let value = line[line.index(after: try #require(line.lastIndex(of: " ")))...]
            let doubles = ["DCGM_FI_DEV_POWER_USAGE{", "DCGM_FI_DEV_POWER_MGMT_LIMIT{", "DCGM_FI_PROF_GR_ENGINE_ACTIVE{", "DCGM_FI_PROF_DRAM_ACTIVE{", "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE{", "DCGM_FI_PROF_SM_ACTIVE{"]
            if doubles.contains(where: { line.hasPrefix($0) }) {
                #expect(value.split(separator: ".").last?.count == 6, "\(line)")
            } else {
                #expect(Int64(value) != nil, "\(line)")
            }
        }
        #expect(!text.contains("\n\n"))
    }

    @Test("GPU identity is deterministic from the seed and shaped like NVML's")
    func identity() throws {
        let uuidPattern = #/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/#
        let a = try Probe(seed: 7).dcgm("acme-h100-1", at: 0).samples("DCGM_FI_DEV_GPU_TEMP").compactMap { $0[label: "UUID"] }
        let b = try Probe(seed: 7).dcgm("acme-h100-1", at: 0).samples("DCGM_FI_DEV_GPU_TEMP").compactMap { $0[label: "UUID"] }
        let c = try Probe(seed: 8).dcgm("acme-h100-1", at: 0).samples("DCGM_FI_DEV_GPU_TEMP").compactMap { $0[label: "UUID"] }
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a).count == 2)
        #expect(a.allSatisfy { $0.wholeMatch(of: uuidPattern) != nil })
        // Same seed, same time: byte-identical output.
        #expect(Probe(seed: 3).simulation.dcgmText(node: "initrode-ecc", at: 1234.5) == Probe(seed: 3).simulation.dcgmText(node: "initrode-ecc", at: 1234.5))
    }

    @Test("counters only grow and temperature follows power under the load wave")
    func behaviourOverTime() throws {
        let node = "acme-h100-1"
        var previousEnergy = 0.0
        var previousNVLink = 0.0
        var powers: [Double] = []
        var temps: [Double] = []
        var utils: [Double] = []
        for t in stride(from: 0.0, through: 3600, by: 30) {
            let set = try probe.dcgm(node, at: t)
            func value(_ name: String) throws -> Double { try #require(set.samples(name).first { $0[label: "gpu"] == "0" }?.value) }
            let energy = try value("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION")
            #expect(energy > previousEnergy)
            previousEnergy = energy
            let nvlink = try value("DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL")
            #expect(nvlink >= previousNVLink)
            previousNVLink = nvlink
            powers.append(try value("DCGM_FI_DEV_POWER_USAGE"))
            temps.append(try value("DCGM_FI_DEV_GPU_TEMP"))
            utils.append(try value("DCGM_FI_DEV_GPU_UTIL"))
            let total = try value("DCGM_FI_DEV_FB_FREE") + value("DCGM_FI_DEV_FB_USED") + value("DCGM_FI_DEV_FB_RESERVED")
            #expect(total == 81559)
        }
        // A visible wave: utilisation spans a wide range, and temperature correlates with power.
        #expect((utils.max() ?? 0) - (utils.min() ?? 0) > 40)
        #expect(correlation(powers, temps) > 0.6)
        #expect(temps.allSatisfy { $0 > 25 && $0 < 85 })
        #expect(powers.allSatisfy { $0 > 0 && $0 <= 700 })
    }

    @Test("the energy counter's rate matches the reported power")
    func energyMatchesPower() throws {
        let node = "globex-ada48-1"
        let e1 = try #require(try probe.value(node, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", gpu: 0, at: 1000))
        let e2 = try #require(try probe.value(node, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", gpu: 0, at: 1001))
        let power = try #require(try probe.value(node, "DCGM_FI_DEV_POWER_USAGE", gpu: 0, at: 1000.5))
        #expect(abs((e2 - e1) / 1000 - power) < power * 0.05)
    }

    @Test("a synthetic fleet renders every GPU of every node")
    func synthetic() throws {
        let probe = Probe(.synthetic(nodes: 3, gpusPerNode: 8), seed: 1)
        for name in probe.simulation.nodeNames {
            let set = try probe.dcgm(name, at: 42)
            #expect(set.samples("DCGM_FI_DEV_GPU_UTIL").count == 8)
            #expect(Set(set.allSamples.compactMap { $0[label: "UUID"] }).count == 8)
        }
    }

    func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let mx = x.reduce(0, +) / Double(x.count)
        let my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }
}
