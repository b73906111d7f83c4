/// The fixed identity and per-board variation of one simulated GPU.
struct GPUModel: Sendable {
    var index: Int
    /// `GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, derived from seed, node and index.
    var uuid: String
    /// `00000000:18:00.0` style bus id.
    var pciBusID: String
    /// This board's share of the node's load (tensor-parallel shards are never perfectly even).
    var loadScale: Double
    /// Inlet air temperature, °C.
    var ambient: Double
    /// Energy counter at simulation start (the board has been up for days), mJ.
    var energyBase: Double
    /// Framebuffer held by vLLM, MiB (about 90 % of the board).
    var vllmMemory: Double
    /// Key for this board's deterministic noise.
    var noiseKey: UInt64
    var events: GPUEvents

    /// Typical HGX bus numbers for 8 GPUs; more GPUs continue past them.
    static let busNumbers = [0x18, 0x2A, 0x3A, 0x5D, 0x9A, 0xAB, 0xBA, 0xDB]

    init(index: Int, seed: UInt64, node: String, memoryMiB: Int, events: GPUEvents) {
        var hash = SeedHash(seed, "gpu", node).with(index)
        self.index = index
        let a = hash.next()
        let b = hash.next()
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text.suffix(digits)
        }
        // RFC 4122 layout (version 4 / variant bits set) so the UUID looks like NVML's.
        uuid = "GPU-" + hex(a >> 32, 8) + "-" + hex((a >> 16) & 0xFFFF, 4) + "-" + hex(0x4000 | (a & 0x0FFF), 4)
            + "-" + hex(0x8000 | ((b >> 48) & 0x3FFF), 4) + "-" + hex(b & 0xFFFF_FFFF_FFFF, 12)
        let bus = index < Self.busNumbers.count ? Self.busNumbers[index] : (0x10 + index * 0x10) & 0xFF
        pciBusID = "00000000:" + hex(UInt64(bus), 2).uppercased() + ":00.0"
        loadScale = hash.uniform(0.93...1.0)
        ambient = hash.uniform(27...33)
        energyBase = hash.uniform(3...30) * 86_400 * 60 * 1000  // days × s/day × ~60 W × mJ/J
        vllmMemory = Double(memoryMiB) * 0.9 + hash.uniform(350...650)
        noiseKey = hash.next()
        self.events = events
    }
}
