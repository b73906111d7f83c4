import Exposition
import Simulator
import Testing

/// Each built-in scenario leaves the signature the health checks look for, at the time it says.
@Suite("Scenario signatures")
struct ScenarioSignatureTests {
    let probe = Probe()

    @Test("before onset every demo node reports all its GPUs and every exporter is up")
    func healthyStart() throws {
        for target in probe.simulation.targets {
            for t in [0.0, 30, 89] {
                let set = try probe.dcgm(target.node, at: t)
                let gpus = Set(set.samples("DCGM_FI_DEV_GPU_TEMP").compactMap { $0[label: "gpu"] })
                #expect(gpus.count == target.gpuCount, "\(target.node) at \(t)")
                #expect(set.samples("DCGM_FI_DEV_XID_ERRORS").allSatisfy { $0.value == 0 })
                if target.vllmPath != nil { _ = try probe.vllm(target.node, at: t) }
            }
        }
    }

    @Test("thermal excursion: above 85 °C sustained, then 90 °C or more")
    func thermal() throws {
        #expect(try #require(try probe.value("initrode-thermal", "DCGM_FI_DEV_GPU_TEMP", gpu: 0, at: 80)) < 85)
        for t in stride(from: 160.0, through: 480, by: 10) {
            #expect(try #require(try probe.value("initrode-thermal", "DCGM_FI_DEV_GPU_TEMP", gpu: 0, at: t)) > 85, "at \(t)")
        }
        for t in stride(from: 520.0, through: 1200, by: 20) {
            #expect(try #require(try probe.value("initrode-thermal", "DCGM_FI_DEV_GPU_TEMP", gpu: 0, at: t)) >= 90, "at \(t)")
            let reasons = try #require(try probe.value("initrode-thermal", "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", gpu: 0, at: t))
            #expect(UInt64(reasons) & 0x20 != 0)
        }
        // The other GPU stays normal.
        #expect(try #require(try probe.value("initrode-thermal", "DCGM_FI_DEV_GPU_TEMP", gpu: 1, at: 600)) < 85)
    }

    @Test("XID 79: the XID shows, then that GPU's series vanish while the other GPU keeps reporting")
    func xid79() throws {
        #expect(try probe.value("initrode-xid79", "DCGM_FI_DEV_XID_ERRORS", gpu: 0, at: 100) == 79)
        for t in [111.0, 300, 3600] {
            let set = try probe.dcgm("initrode-xid79", at: t)
            #expect(set.allSamples.allSatisfy { $0[label: "gpu"] != "0" }, "GPU 0 still reports at \(t)")
            #expect(set.samples("DCGM_FI_DEV_GPU_TEMP").map { $0[label: "gpu"] } == ["1"])
            #expect(set.families.count >= 25)
        }
    }

    @Test("XID 13: an application error, three times, counted in the 5-minute window")
    func xid13() throws {
        #expect(try probe.value("initrode-xid13", "DCGM_FI_DEV_XID_ERRORS", gpu: 0, at: 89) == 0)
        #expect(try probe.value("initrode-xid13", "DCGM_FI_DEV_XID_ERRORS", gpu: 0, at: 91) == 13)
        let set = try probe.dcgm("initrode-xid13", at: 220)
        let xid = try #require(set.samples("DCGM_FI_DEV_XID_ERRORS").first)
        #expect(xid[label: "err_code"] == "13")
        #expect(xid[label: "err_msg"] == "Graphics Engine Exception")
        let count = try #require(set.samples("DCGM_EXP_XID_ERRORS_COUNT").first { $0[label: "xid"] == "13" })
        #expect(count.value == 3)
        #expect(count[label: "window_size_in_ms"] == "300000")
        // Sticky last value, but the window forgets.
        let later = try probe.dcgm("initrode-xid13", at: 600)
        #expect(later.samples("DCGM_FI_DEV_XID_ERRORS").first?.value == 13)
        #expect(later.samples("DCGM_EXP_XID_ERRORS_COUNT").map { $0[label: "xid"] } == [nil])
    }

    @Test("ECC DBE: the counter increments exactly once and XID 48 appears")
    func eccDBE() throws {
        var previous: Double?
        var increments = 0
        for t in stride(from: 0.0, through: 1800, by: 5) {
            let dbe = try #require(try probe.value("initrode-ecc", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", gpu: 0, at: t))
            if let previous, dbe != previous {
                #expect(dbe == previous + 1)
                increments += 1
            }
            previous = dbe
        }
        #expect(increments == 1)
        #expect(try probe.value("initrode-ecc", "DCGM_FI_DEV_XID_ERRORS", gpu: 0, at: 100) == 48)
        #expect(try probe.value("initrode-ecc", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", gpu: 1, at: 1000) == 0)
        #expect(try probe.value("initrode-ecc", "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", gpu: 0, at: 100) == 1)
    }

    @Test("PCIe downgrade: width below the maximum and replays climbing")
    func pcie() throws {
        let node = "initrode-pcie"
        #expect(try probe.value(node, "DCGM_FI_DEV_PCIE_LINK_WIDTH", gpu: 0, at: 60) == 16)
        #expect(try probe.value(node, "DCGM_FI_DEV_PCIE_LINK_WIDTH", gpu: 0, at: 120) == 8)
        #expect(try probe.value(node, "DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH", gpu: 0, at: 120) == 16)
        #expect(try #require(try probe.value(node, "DCGM_FI_DEV_PCIE_LINK_GEN", gpu: 0, at: 120)) <= 2)
        let early = try #require(try probe.value(node, "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", gpu: 0, at: 120))
        let late = try #require(try probe.value(node, "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", gpu: 0, at: 400))
        #expect(try probe.value(node, "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", gpu: 0, at: 60) == 0)
        #expect(late > early)
    }

    @Test("HW slowdown: bit 0x8 set and the SM clock cut")
    func hwSlowdown() throws {
        let node = "initrode-slowdown"
        for t in [100.0, 500, 2000] {
            let reasons = try #require(try probe.value(node, "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", gpu: 0, at: t))
            #expect(UInt64(reasons) & 0x8 != 0)
            #expect(try #require(try probe.value(node, "DCGM_FI_DEV_SM_CLOCK", gpu: 0, at: t)) < 1000)
        }
        let before = try #require(try probe.value(node, "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", gpu: 0, at: 60))
        #expect(UInt64(before) & 0x8 == 0)
    }

    @Test("missing fields: no ECC families and no SM activity, everything else present")
    func missingFields() throws {
        let stock = try probe.dcgm("initrode-stockcsv", at: 10)
        let full = try probe.dcgm("acme-h100-1", at: 10)
        let gone = Set(full.familyNames).subtracting(stock.familyNames)
        #expect(gone == ["DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "DCGM_FI_PROF_SM_ACTIVE"])
    }

    @Test("exporter down: 503 for 2 minutes every 5 minutes from 90 s, for DCGM and vLLM")
    func exporterDown() {
        let sim = probe.simulation
        for (t, down) in [(60.0, false), (95, true), (209, true), (211, false), (389, false), (391, true), (600, false)] {
            #expect((sim.dcgm(node: "initrode-down", at: t) == .down) == down, "at \(t)")
            #expect((sim.vllm(node: "initrode-down", at: t) == .down) == down, "at \(t)")
        }
    }

    @Test("idle vLLM: about 90 % of VRAM used at 0 % utilisation, vLLM counters still")
    func idleVLLM() throws {
        for t in [10.0, 500, 5000] {
            let set = try probe.dcgm("acme-ada16-1", at: t)
            let used = try #require(set.samples("DCGM_FI_DEV_FB_USED").first?.value)
            let free = try #require(set.samples("DCGM_FI_DEV_FB_FREE").first?.value)
            let reserved = try #require(set.samples("DCGM_FI_DEV_FB_RESERVED").first?.value)
            let share = used / (used + free + reserved)
            #expect(share > 0.88 && share < 0.95)
            #expect(set.samples("DCGM_FI_DEV_GPU_UTIL").first?.value == 0)
            #expect(set.samples("DCGM_FI_PROF_GR_ENGINE_ACTIVE").first?.value == 0)
            let vllm = try probe.vllm("acme-ada16-1", at: t)
            #expect(vllm.samples("vllm:num_requests_running").first?.value == 0)
            #expect(vllm.samples("vllm:kv_cache_usage_perc").first?.value == 0)
        }
        #expect(try probe.vllm("acme-ada16-1", at: 10).samples("vllm:generation_tokens_total").first?.value
            == probe.vllm("acme-ada16-1", at: 5000).samples("vllm:generation_tokens_total").first?.value)
    }
}
