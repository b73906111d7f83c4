import Fleet
import Testing

@Suite("GPUClass")
struct GPUClassTests {
    @Test("the registry has the classes fleet files name, with unique ids")
    func registry() {
        let ids = GPUClass.known.map(\.id)
        #expect(Set(ids).count == ids.count)
        for id in ["ada-16", "ada-48", "l40s-48", "a100-80", "h100-80", "h200-141"] {
            #expect(GPUClass.named(id) != nil, "missing \(id)")
        }
        #expect(GPUClass.named("ada-16")?.displayName == "RTX 2000 Ada 16 GB")
        #expect(GPUClass.named("ada-48")?.displayName == "RTX 6000 Ada 48 GB")
        #expect(GPUClass.named("h100-80")?.memoryGiB == 80)
    }

    struct DeriveCase: CustomTestStringConvertible, Sendable {
        var model: String
        var memoryMiB: Int
        var expected: String?
        var testDescription: String { "\(model) \(memoryMiB) MiB → \(expected ?? "nil")" }
    }

    @Test("derives the class from what the exporter reports", arguments: [
        DeriveCase(model: "NVIDIA H100 80GB HBM3", memoryMiB: 81559, expected: "h100-80"),
        DeriveCase(model: "NVIDIA H100 PCIe", memoryMiB: 81559, expected: "h100-80"),
        DeriveCase(model: "NVIDIA L40S", memoryMiB: 46068, expected: "l40s-48"),
        DeriveCase(model: "NVIDIA RTX 2000 Ada Generation", memoryMiB: 16380, expected: "ada-16"),
        DeriveCase(model: "NVIDIA RTX 6000 Ada Generation", memoryMiB: 49140, expected: "ada-48"),
        DeriveCase(model: "NVIDIA A100-SXM4-80GB", memoryMiB: 81920, expected: "a100-80"),
        DeriveCase(model: "NVIDIA A100-SXM4-40GB", memoryMiB: 40960, expected: nil),
        DeriveCase(model: "NVIDIA H200", memoryMiB: 143771, expected: "h200-141"),
        DeriveCase(model: "NVIDIA RTX 4000 Ada Generation", memoryMiB: 20473, expected: nil),
    ])
    func derive(_ row: DeriveCase) {
        #expect(GPUClass.derive(modelName: row.model, memoryMiB: row.memoryMiB)?.id == row.expected)
    }
}
