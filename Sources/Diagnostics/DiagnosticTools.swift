/// Where the agent finds the diagnostic tools on its host. Names without a slash are looked up
/// on `PATH`; the defaults are what NVIDIA's packages install.
public struct DiagnosticTools: Sendable, Hashable, Codable {
    /// `dcgmi` from the `datacenter-gpu-manager` package.
    public var dcgmi: String
    /// `all_reduce_perf` from a build of github.com/NVIDIA/nccl-tests.
    public var allReducePerf: String

    public init(dcgmi: String = "dcgmi", allReducePerf: String = "all_reduce_perf") {
        self.dcgmi = dcgmi
        self.allReducePerf = allReducePerf
    }

    /// The command line for `plan` on a node with `gpus` GPUs.
    ///
    /// DCGM runs with `-j` so the parser reads structured JSON (the text table is the fallback
    /// for old versions); NCCL sweeps 8 B to 256 MiB doubling each step, one process over all GPUs.
    public func command(for plan: DiagnosticPlan, gpus: Int) -> (executable: String, arguments: [String]) {
        switch plan.kind {
        case .dcgm:
            (dcgmi, ["diag", "-r", String(plan.level), "-j"])
        case .nccl:
            (allReducePerf, ["-b", "8", "-e", "256M", "-f", "2", "-g", String(max(1, gpus))])
        }
    }

    /// The run's failure reason when the tool is not on the host: names the node and the fix.
    public func missingToolMessage(for kind: DiagnosticKind, node: String) -> String {
        switch kind {
        case .dcgm:
            "dcgmi is not installed on \(node): install datacenter-gpu-manager (or pass --dcgmi PATH to the agent)"
        case .nccl:
            "all_reduce_perf is not installed on \(node): build github.com/NVIDIA/nccl-tests (or pass --all-reduce-perf PATH to the agent)"
        }
    }
}
