import Diagnostics
import Testing

@Suite("nccl-tests all_reduce_perf output")
struct NCCLParserTests {
    static func parse(_ fixture: String, exit: Int32, gpuClass: String?) throws -> DiagnosticReport {
        let plan = try DiagnosticPlan(kind: .nccl, level: 0)
        return DiagnosticParser.parse(plan: plan, output: try Fixture.text(fixture), exitStatus: exit, gpuClass: gpuClass, interconnect: nil)
    }

    @Test("8× H100 over NVLink: 10 sizes, average and peak against the class figure")
    func passing() throws {
        let report = try Self.parse("nccl-all-reduce-8gpu.txt", exit: 0, gpuClass: "h100-80")
        let nccl = try #require(report.nccl)
        #expect(report.format == .ncclTests)
        #expect(report.outcome == .passed)
        #expect(nccl.rows.count == 10)
        #expect(nccl.rows.first?.bytes == 33_554_432)
        #expect(nccl.rows.first?.busBandwidth == 321.10)
        #expect(nccl.rows.last?.inPlaceBusBandwidth == 482.12)
        #expect(nccl.devices.count == 8)
        #expect(nccl.devices[7].busID == "0000:df:00")
        #expect(nccl.devices[7].name == "NVIDIA H100 80GB HBM3")
        #expect(nccl.averageBusBandwidth == 437.957)
        // Every size of this sweep is ≥ 32 MiB: the judged mean is the rows' out-of-place mean.
        let judged = try #require(nccl.bandwidthBoundBusBandwidth)
        #expect(abs(judged - 437.96) < 0.05, "\(judged)")
        #expect(nccl.peakBusBandwidth == 482.27)
        #expect(nccl.expectedBusBandwidth == 400)
        #expect(nccl.interconnect == .nvlink)
        #expect(nccl.wrong == 0)
        #expect(nccl.outOfBounds == 0)
        #expect(report.tests.map(\.status) == [.pass, .pass])
        #expect(report.summary.contains("average bus bandwidth 438 GB/s"))
    }

    @Test("The same numbers on a class that expects more warn about bandwidth, not fail")
    func lowBandwidth() throws {
        let report = try Self.parse("nccl-all-reduce-8gpu.txt", exit: 0, gpuClass: "h100-80")
        #expect(report.action == .none)
        let plan = try DiagnosticPlan(kind: .nccl, level: 0)
        let slow = DiagnosticParser.parse(
            plan: plan, output: try Fixture.text("nccl-all-reduce-8gpu.txt"), exitStatus: 0, gpuClass: "h100-80", interconnect: .pcie)
        #expect(slow.outcome == .passed) // 482 GB/s beats the PCIe figure
        let unknown = try Self.parse("nccl-all-reduce-8gpu.txt", exit: 0, gpuClass: "mystery-1")
        #expect(unknown.tests[1].status == .skip)
        #expect(unknown.nccl?.expectedBusBandwidth == nil)
    }

    @Test("#wrong at 1 MiB and out-of-bounds values fail the run")
    func wrongValues() throws {
        let report = try Self.parse("nccl-all-reduce-wrong.txt", exit: 1, gpuClass: "h200-141")
        let nccl = try #require(report.nccl)
        #expect(report.outcome == .failed)
        #expect(nccl.rows.count == 25)
        #expect(nccl.wrong == 128)
        #expect(nccl.outOfBounds == 4)
        #expect(nccl.averageBusBandwidth == 4.79995)
        #expect(nccl.devices.map(\.host) == ["gpu-1-1", "gpu-1-7"])
        let correctness = report.tests[0]
        #expect(correctness.status == .fail)
        #expect(correctness.messages.first?.contains("128 wrong element(s) at 1 MiB") == true)
        #expect(correctness.action == .drainNode)
        #expect(report.summary.contains("128 wrong element(s)"))
    }

    @Test("A CUDA failure before the table fails with the failure line")
    func cudaFailure() throws {
        let report = try Self.parse("nccl-all-reduce-cuda-failure.txt", exit: 1, gpuClass: "h100-80")
        #expect(report.outcome == .failed)
        #expect(report.nccl?.rows.isEmpty == true)
        #expect(report.nccl?.failure == "test: Test CUDA failure common.cu:941 'system not yet initialized'")
        #expect(report.summary.hasPrefix("all_reduce aborted: test: Test CUDA failure"))
        #expect(report.tests[0].action == .checkConfiguration)
    }

    @Test("One GPU: no bus bandwidth to judge")
    func singleGPU() throws {
        let output = """
            # nccl-tests version 2.17.8 nccl-headers=22902 nccl-library=22902
            # nThread 1 nGpus 1 minBytes 8 maxBytes 268435456 step: 2(factor) warmup iters: 1 iters: 20 agg iters: 1 validation: 1 graph: 0
            #  Rank  0 Group  0 Pid 100 on h200-host device  0 [0000:18:00] NVIDIA H200
                   8             2     float     sum      -1     4.10    0.00    0.00       0     0.20    0.04    0.00       0
            # Out of bounds values : 0 OK
            # Avg bus bandwidth    : 0
            """
        let plan = try DiagnosticPlan(kind: .nccl, level: 0)
        let report = DiagnosticParser.parse(plan: plan, output: output, exitStatus: 0, gpuClass: "h200-141", interconnect: nil)
        #expect(report.outcome == .passed)
        #expect(report.tests[1].status == .skip)
    }

    @Test("Plans: levels, acknowledgement, warnings, command lines")
    func plans() throws {
        #expect(throws: DiagnosticPlanError.self) { try DiagnosticPlan(kind: .dcgm, level: 5) }
        #expect(throws: DiagnosticPlanError.self) { try DiagnosticPlan(kind: .nccl, level: 2) }
        let quick = try DiagnosticPlan(kind: .dcgm, level: 1)
        #expect(!quick.needsAcknowledgement)
        #expect(quick.warning.isEmpty)
        for level in 2...4 {
            let plan = try DiagnosticPlan(kind: .dcgm, level: level)
            #expect(plan.needsAcknowledgement)
            #expect(plan.warning.contains("90 %"))
        }
        #expect(try DiagnosticPlan(kind: .dcgm, level: 3).warning.contains("XID 79"))
        let nccl = try DiagnosticPlan(kind: .nccl, level: 0)
        #expect(nccl.needsAcknowledgement)
        let tools = DiagnosticTools(dcgmi: "/opt/dcgm/dcgmi")
        #expect(tools.command(for: try DiagnosticPlan(kind: .dcgm, level: 2), gpus: 8).arguments == ["diag", "-r", "2", "-j"])
        #expect(tools.command(for: nccl, gpus: 8).arguments == ["-b", "8", "-e", "256M", "-f", "2", "-g", "8"])
        #expect(tools.missingToolMessage(for: .dcgm, node: "h200-a").hasPrefix("dcgmi is not installed on h200-a: install datacenter-gpu-manager"))
    }
}
