import Diagnostics
import Testing

@Suite("dcgmi diag output")
struct DCGMParserTests {
    static func parse(_ fixture: String, level: Int, exit: Int32) throws -> DiagnosticReport {
        let plan = try DiagnosticPlan(kind: .dcgm, level: level)
        return DiagnosticParser.parse(plan: plan, output: try Fixture.text(fixture), exitStatus: exit, gpuClass: nil, interconnect: nil)
    }

    @Test("DCGM 3.x JSON r1: nine deployment tests pass, no GPU ids")
    func json3Level1Pass() throws {
        let report = try Self.parse("dcgmi-diag-r1-pass-dcgm3.json", level: 1, exit: 0)
        #expect(report.format == .dcgmJSON3)
        #expect(report.outcome == .passed)
        #expect(report.action == .none)
        #expect(report.tests.count == 9)
        #expect(report.tests.map(\.name).contains("CUDA Main Library")) // the entry written `"status": "Pass"`
        #expect(report.tests.allSatisfy { $0.status == .pass && $0.category == "Deployment" && $0.gpus.isEmpty })
        #expect(report.summary == "9 of 9 tests passed")
    }

    @Test("DCGM 3.x JSON r3: per-GPU results with info, EUD skipped")
    func json3Level3Pass() throws {
        let report = try Self.parse("dcgmi-diag-r3-pass-dcgm3.json", level: 3, exit: 0)
        #expect(report.outcome == .passed)
        #expect(report.tests.count == 16)
        let pcie = try #require(report.tests.first { $0.name == "PCIe" })
        #expect(pcie.category == "Integration")
        #expect(pcie.gpus.map(\.gpu) == [0])
        #expect(pcie.gpus[0].messages.first?.contains("13.15 GB/s") == true)
        let eud = try #require(report.tests.first { $0.name == "EUD Test" })
        #expect(eud.status == .skip)
        #expect(report.summary == "15 of 16 tests passed, 1 skipped")
    }

    @Test("DCGM 4.x JSON r1 failure: persistence mode (DCGM_FR_PERSISTENCE_MODE) → fix configuration")
    func json4Level1Fail() throws {
        let report = try Self.parse("dcgmi-diag-r1-fail-dcgm4.json", level: 1, exit: 226)
        #expect(report.format == .dcgmJSON4)
        #expect(report.outcome == .failed)
        #expect(report.metadata["dcgmVersion"] == "4.2.3")
        #expect(report.metadata["driverVersion"] == "580.82.09")
        let software = try #require(report.tests.first)
        #expect(software.name == "software")
        #expect(software.status == .fail)
        #expect(software.messages.first?.contains("SRAM Threshold") == true)
        let gpu = try #require(software.gpus.first)
        #expect(gpu.gpu == 0)
        #expect(gpu.status == .fail)
        #expect(gpu.code == "DCGM_FR_PERSISTENCE_MODE")
        #expect(gpu.action == .checkConfiguration)
        #expect(gpu.messages.first?.hasPrefix("Persistence Mode: Persistence mode for GPU 0 is disabled") == true)
        #expect(report.action == .checkConfiguration)
        #expect(report.summary.contains("software on GPU 0"))
    }

    @Test("DCGM 3.x text r3 failure: GPU Memory fails on all 8 GPUs, wrapped warnings unwrapped")
    func text3Level3Fail() throws {
        let report = try Self.parse("dcgmi-diag-r3-fail-dcgm3.txt", level: 3, exit: 226)
        #expect(report.format == .dcgmText)
        #expect(report.outcome == .failed)
        #expect(report.metadata["dcgmVersion"] == "3.3.8")
        #expect(report.metadata["driverVersion"] == "560.35.03")
        let memory = try #require(report.tests.first { $0.name == "GPU Memory" })
        #expect(memory.category == "Hardware")
        #expect(memory.status == .fail)
        #expect(memory.gpus.map(\.gpu) == Array(0...7))
        #expect(memory.gpus.allSatisfy { $0.status == .fail })
        let message = try #require(memory.gpus[3].messages.first)
        // 45-column hard wrap joined without inventing spaces: "initiali" + "ze", "Restar" + "t".
        #expect(message.contains("Unable to initialize CUDA library: 'system not yet initialized'"))
        #expect(message.contains("Reset GPU. Restart DCGM. Rerun diagnostics."))
        #expect(message.hasSuffix("https://github.com/nvidia/cuda-samples"))
        // DCGM's generic "Reset GPU" triage loses to the real cause: the fabric manager is not running.
        #expect(memory.action == .checkConfiguration)
        let persistence = try #require(report.tests.first { $0.name == "Persistence Mode" })
        #expect(persistence.status == .pass)
        #expect(persistence.messages.first?.contains("Enable persistence mode by running \"nvidia-smi -i <gpuId> -pm 1 \" as root.,Persistence mode for GPU 1") == true)
        #expect(report.tests.first { $0.name == "PCIe" }?.status == .skip)
        #expect(report.tests.filter { $0.category == "Stress" }.map(\.name) == ["Memory Bandwidth", "EUD Test"])
        #expect(report.summary.hasPrefix("failed: GPU Memory on GPU 0–7"))
    }

    @Test("DCGM 4.x text r2 failure: pcie fails with an internal error while every GPU line passes")
    func text4Level2Fail() throws {
        let report = try Self.parse("dcgmi-diag-r2-fail-dcgm4.txt", level: 2, exit: 226)
        #expect(report.format == .dcgmText)
        #expect(report.metadata["dcgmVersion"] == "4.4.1")
        #expect(report.tests.map(\.name) == ["software", "memory", "pcie"])
        let software = report.tests[0]
        #expect(software.status == .pass)
        #expect(software.gpus.count == 8)
        let pcie = report.tests[2]
        #expect(pcie.status == .fail)
        #expect(pcie.gpus.count == 8)
        #expect(pcie.gpus.allSatisfy { $0.status == .pass }) // kept as DCGM said it
        #expect(pcie.messages.first?.contains("Output of child process (11167) couldn't be parsed") == true)
        #expect(pcie.action == .rerun)
        #expect(report.outcome == .failed)
        #expect(report.summary.hasPrefix("failed: pcie"))
    }

    @Test("Unreadable output falls back to the exit status and keeps the last line")
    func unparsed() throws {
        let plan = try DiagnosticPlan(kind: .dcgm, level: 1)
        let failed = DiagnosticParser.parse(
            plan: plan, output: "Error: unable to establish a connection to the specified host: localhost\n",
            exitStatus: 255, gpuClass: nil, interconnect: nil)
        #expect(failed.outcome == .failed)
        #expect(failed.format == .unparsed)
        #expect(failed.summary.contains("exited 255"))
        #expect(failed.summary.contains("unable to establish a connection"))
        let passed = DiagnosticParser.parse(plan: plan, output: "", exitStatus: 0, gpuClass: nil, interconnect: nil)
        #expect(passed.outcome == .passed)
        #expect(passed.format == .unparsed)
    }

    @Test("A cut-off JSON document (timeout mid-write) is not a verdict")
    func truncatedJSON() throws {
        let text = try Fixture.text("dcgmi-diag-r3-pass-dcgm3.json")
        let cut = String(text.prefix(text.count / 2))
        let plan = try DiagnosticPlan(kind: .dcgm, level: 3)
        let report = DiagnosticParser.parse(plan: plan, output: cut, exitStatus: -1, gpuClass: nil, interconnect: nil)
        #expect(report.outcome == .failed)
        #expect(report.format == .unparsed)
    }

    @Test("Codes outside the table use DCGM's severity; messages without codes use DCGM's wording")
    func recoveryCodes() {
        #expect(RecoveryCodes.action(code: 84, severity: nil, message: "") == .rma)
        #expect(RecoveryCodes.action(code: 85, severity: nil, message: "") == .reboot)
        #expect(RecoveryCodes.action(code: 500, severity: 6, message: "") == .resetGPU)
        #expect(RecoveryCodes.action(code: 500, severity: 2, message: "") == .drainNode)
        #expect(RecoveryCodes.action(forMessage: "GPU 2 had an uncorrectable row remap") == .rma)
        #expect(RecoveryCodes.action(forMessage: "Detected 2 volatile double-bit ECC error(s) in GPU 1.") == .resetGPU)
        #expect(RecoveryCodes.action(forMessage: "Error: Unable to connect to host engine. Host engine connection invalid/disconnected.") == .checkConfiguration)
        #expect(RecoveryCodes.table[29]?.name == "DCGM_FR_PERSISTENCE_MODE")
    }
}
