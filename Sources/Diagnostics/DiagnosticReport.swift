/// What a diagnostic run found, parsed from the tool's output: the verdict, one entry per test
/// with per-GPU results and the recovery action, and for NCCL runs the bandwidth table.
///
/// Stored with the run as JSON and answered by the API as is, so field names are API names.
public struct DiagnosticReport: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case passed
        case failed
    }

    /// Which output the parser recognised; `unparsed` means the verdict is the exit status alone.
    public enum Format: String, Sendable, Hashable, Codable {
        case dcgmJSON3 = "dcgm-json-3"
        case dcgmJSON4 = "dcgm-json-4"
        case dcgmText = "dcgm-text"
        case ncclTests = "nccl-tests"
        case unparsed
    }

    public var outcome: Outcome
    /// One line for lists and events: "GPU Memory failed on GPU 0–7: Fix the host configuration".
    public var summary: String
    public var format: Format
    /// The most disruptive action any failed or warning test asks for.
    public var action: RecoveryAction
    public var tests: [DiagnosticTest]
    /// DCGM version, driver version and device ids where the output states them.
    public var metadata: [String: String]
    public var nccl: NCCLReport?

    public init(
        outcome: Outcome, summary: String, format: Format, action: RecoveryAction, tests: [DiagnosticTest],
        metadata: [String: String] = [:], nccl: NCCLReport? = nil
    ) {
        self.outcome = outcome
        self.summary = summary
        self.format = format
        self.action = action
        self.tests = tests
        self.metadata = metadata
        self.nccl = nccl
    }
}

/// One DCGM test (`Denylist`, `GPU Memory`, `pcie`…) or one NCCL check.
public struct DiagnosticTest: Sendable, Hashable, Codable {
    public var name: String
    /// DCGM's category (`Deployment`, `Integration`, `Hardware`, `Stress`), nil for NCCL.
    public var category: String?
    public var status: DiagnosticStatus
    /// Test-level information and warnings, unwrapped from the table's 45-column cells.
    public var messages: [String]
    public var gpus: [GPUResult]
    public var action: RecoveryAction

    public init(
        name: String, category: String? = nil, status: DiagnosticStatus, messages: [String] = [],
        gpus: [GPUResult] = [], action: RecoveryAction = .none
    ) {
        self.name = name
        self.category = category
        self.status = status
        self.messages = messages
        self.gpus = gpus
        self.action = action
    }
}

/// One GPU's result within a test.
public struct GPUResult: Sendable, Hashable, Codable {
    public var gpu: Int
    public var status: DiagnosticStatus
    public var messages: [String]
    /// The `DCGM_FR_*` name (or `error N` for an id outside the table) when DCGM gave one.
    public var code: String?
    public var action: RecoveryAction

    public init(gpu: Int, status: DiagnosticStatus, messages: [String] = [], code: String? = nil, action: RecoveryAction = .none) {
        self.gpu = gpu
        self.status = status
        self.messages = messages
        self.code = code
        self.action = action
    }
}

/// The nccl-tests table and what it says about the interconnect.
public struct NCCLReport: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var bytes: Int
        public var count: Int
        public var type: String
        /// Out-of-place time (µs), algorithm and bus bandwidth (GB/s) and wrong elements.
        public var time: Double
        public var algorithmBandwidth: Double
        public var busBandwidth: Double
        /// nil where nccl-tests printed `N/A` (validation off).
        public var wrong: Int?
        public var inPlaceTime: Double
        public var inPlaceAlgorithmBandwidth: Double
        public var inPlaceBusBandwidth: Double
        public var inPlaceWrong: Int?
    }

    public struct Device: Sendable, Hashable, Codable {
        public var rank: Int
        public var host: String
        public var device: Int
        public var busID: String
        public var name: String
    }

    public var rows: [Row]
    public var devices: [Device]
    /// GB/s, as nccl-tests' `# Avg bus bandwidth` line says (mean over sizes, small ones included).
    public var averageBusBandwidth: Double?
    /// The best out-of-place busbw of any size: what the interconnect reached.
    public var peakBusBandwidth: Double?
    /// Mean out-of-place busbw over the bandwidth-bound sizes (≥ `NCCLParser.bandwidthBoundBytes`,
    /// 32 MiB): the average the run is judged on. The tool's own average mixes in the
    /// latency-bound small messages of an 8 B sweep and says nothing about the links.
    public var bandwidthBoundBusBandwidth: Double?
    /// What a healthy node of the class reaches (`ExpectedBandwidth`), nil for unknown classes.
    public var expectedBusBandwidth: Double?
    public var interconnect: Interconnect?
    /// Sum of `#wrong` over every size, both placements.
    public var wrong: Int
    /// `# Out of bounds values : N` where printed.
    public var outOfBounds: Int?
    /// The CUDA / NCCL failure line where the test aborted.
    public var failure: String?
}
