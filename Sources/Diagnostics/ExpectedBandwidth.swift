/// The all_reduce bus bandwidth a healthy node of a GPU class reaches at large message sizes,
/// in GB/s as nccl-tests prints it (`busbw`). Documented with its sources in docs/DIAGNOSTICS.md.
///
/// Figures are conservative round numbers from NVIDIA's published nccl-tests results and the
/// fixture in `shared/fixtures/nccl-all-reduce-8gpu.txt` (8× H100 SXM: 482 GB/s at 16 GiB):
/// a healthy node exceeds them, so falling well below is a finding, not noise.
public enum ExpectedBandwidth {
    /// The default interconnect of each class: data-centre SXM parts use NVLink, PCIe cards don't.
    public static func interconnect(gpuClass: String?) -> Interconnect {
        switch gpuClass {
        case "h100-80", "h200-141", "a100-80": .nvlink
        default: .pcie
        }
    }

    /// Expected large-message busbw, or nil where the class is unknown.
    public static func busBandwidth(gpuClass: String?, interconnect: Interconnect?) -> Double? {
        guard let gpuClass else { return nil }
        let link = interconnect ?? self.interconnect(gpuClass: gpuClass)
        switch (gpuClass, link) {
        case ("h100-80", .nvlink), ("h200-141", .nvlink): return 400
        case ("a100-80", .nvlink): return 200
        case ("h100-80", .pcie), ("h200-141", .pcie): return 40
        case ("a100-80", .pcie), ("l40s-48", _), ("ada-48", _): return 20
        case ("ada-16", _): return 10
        default: return nil
        }
    }
}
