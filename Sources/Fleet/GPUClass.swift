/// A class of interchangeable GPUs: same board, same memory size.
///
/// Tenants buy, pool and compare capacity by class ("two `ada-48`"), not by exact SKU string, so the
/// class id is what fleet files, scrape-config labels and the page use. The model name is what
/// dcgm-exporter reports in its `modelName` label; `derive(modelName:memoryMiB:)` maps back from it.
/// The physical figures are nominal board limits, used by the simulator to produce plausible values
/// and available to health checks as defaults when an exporter does not publish its own limits.
public struct GPUClass: Sendable, Hashable, Codable {
    /// Stable id used in files and labels, e.g. `ada-16`. Lower-case, `[a-z0-9-]`.
    public var id: String
    /// Human-readable name, e.g. `RTX 2000 Ada 16 GB`.
    public var displayName: String
    /// Nominal memory size in GiB, as marketed (16, 48, 80, 141).
    public var memoryGiB: Int
    /// The `modelName` label dcgm-exporter reports for this board (NVML's product name).
    public var modelName: String
    /// Framebuffer size as NVML reports it (`FB_FREE + FB_USED + FB_RESERVED`), in MiB.
    public var memoryMiB: Int
    /// Board power limit in watts (default power-management limit).
    public var powerLimitWatts: Int
    /// Highest PCIe generation the board supports.
    public var pcieMaxGen: Int
    /// PCIe lane count of the board's edge connector.
    public var pcieMaxWidth: Int
    /// `true` for HBM boards, which report a memory temperature; GDDR boards report 0.
    public var hasHBM: Bool
    /// `true` for boards connected to peers by NVLink.
    public var hasNVLink: Bool

    public init(
        id: String, displayName: String, memoryGiB: Int, modelName: String, memoryMiB: Int,
        powerLimitWatts: Int, pcieMaxGen: Int, pcieMaxWidth: Int, hasHBM: Bool, hasNVLink: Bool
    ) {
        self.id = id
        self.displayName = displayName
        self.memoryGiB = memoryGiB
        self.modelName = modelName
        self.memoryMiB = memoryMiB
        self.powerLimitWatts = powerLimitWatts
        self.pcieMaxGen = pcieMaxGen
        self.pcieMaxWidth = pcieMaxWidth
        self.hasHBM = hasHBM
        self.hasNVLink = hasNVLink
    }
}

extension GPUClass {
    /// Every class the product knows, in display order.
    ///
    /// A fleet file may only name these ids; anything else is a typo we would rather reject than
    /// show as an "unknown" class on the page.
    public static let known: [GPUClass] = [
        GPUClass(id: "ada-16", displayName: "RTX 2000 Ada 16 GB", memoryGiB: 16,
                 modelName: "NVIDIA RTX 2000 Ada Generation", memoryMiB: 16380,
                 powerLimitWatts: 70, pcieMaxGen: 4, pcieMaxWidth: 8, hasHBM: false, hasNVLink: false),
        GPUClass(id: "ada-48", displayName: "RTX 6000 Ada 48 GB", memoryGiB: 48,
                 modelName: "NVIDIA RTX 6000 Ada Generation", memoryMiB: 49140,
                 powerLimitWatts: 300, pcieMaxGen: 4, pcieMaxWidth: 16, hasHBM: false, hasNVLink: false),
        GPUClass(id: "l40s-48", displayName: "L40S 48 GB", memoryGiB: 48,
                 modelName: "NVIDIA L40S", memoryMiB: 46068,
                 powerLimitWatts: 350, pcieMaxGen: 4, pcieMaxWidth: 16, hasHBM: false, hasNVLink: false),
        GPUClass(id: "a100-80", displayName: "A100 80 GB", memoryGiB: 80,
                 modelName: "NVIDIA A100-SXM4-80GB", memoryMiB: 81920,
                 powerLimitWatts: 400, pcieMaxGen: 4, pcieMaxWidth: 16, hasHBM: true, hasNVLink: true),
        GPUClass(id: "h100-80", displayName: "H100 80 GB", memoryGiB: 80,
                 modelName: "NVIDIA H100 80GB HBM3", memoryMiB: 81559,
                 powerLimitWatts: 700, pcieMaxGen: 5, pcieMaxWidth: 16, hasHBM: true, hasNVLink: true),
        GPUClass(id: "h200-141", displayName: "H200 141 GB", memoryGiB: 141,
                 modelName: "NVIDIA H200", memoryMiB: 143771,
                 powerLimitWatts: 700, pcieMaxGen: 5, pcieMaxWidth: 16, hasHBM: true, hasNVLink: true),
    ]

    /// The known class with this id, or `nil`.
    public static func named(_ id: String) -> GPUClass? {
        known.first { $0.id == id }
    }

    /// Maps what an exporter reports (model name, total framebuffer) to a known class.
    ///
    /// Model names vary by form factor (`H100 PCIe`, `H100 80GB HBM3`, `A100-SXM4-80GB`), so the match is
    /// on the family keyword plus the memory size: a 40 GB A100 must not count as an `a100-80`.
    /// `memoryMiB` is the framebuffer total (free + used + reserved); it may be within 15 % of the
    /// nominal size. Returns `nil` for boards we do not know, so callers show the raw model name.
    public static func derive(modelName: String, memoryMiB: Int) -> GPUClass? {
        let model = modelName.lowercased()
        let families: [(keyword: String, id: String)] = [
            ("rtx 2000 ada", "ada-16"), ("rtx 6000 ada", "ada-48"), ("l40s", "l40s-48"),
            ("a100", "a100-80"), ("h100", "h100-80"), ("h200", "h200-141"),
        ]
        for family in families where model.contains(family.keyword) {
            guard let candidate = named(family.id) else { continue }
            let nominal = Double(candidate.memoryMiB)
            if abs(Double(memoryMiB) - nominal) <= nominal * 0.15 { return candidate }
        }
        return nil
    }
}
