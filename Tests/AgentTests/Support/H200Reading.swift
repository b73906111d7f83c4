import Foundation

/// The H200 readings in `Tests/Fixtures/h200-nvml/nvml.json` (the stand-in serves them), with
/// dcgm-exporter's units applied: what the agent's `/metrics` must say for GPU 0.
struct H200Reading {
    let json: [String: Any]

    static func load() throws -> H200Reading {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/h200-nvml/nvml.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let json = object as? [String: Any] else { throw StandInError("nvml.json is not an object") }
        return H200Reading(json: json)
    }

    func number(_ path: String...) throws -> Double {
        var node: Any? = json
        for key in path { node = (node as? [String: Any])?[key] }
        if let number = node as? NSNumber { return number.doubleValue }
        if let list = node as? [Any], let first = list.first as? NSNumber { return first.doubleValue }
        throw StandInError("nvml.json has no number at \(path.joined(separator: "."))")
    }

    func text(_ key: String) throws -> String {
        guard let text = json[key] as? String else { throw StandInError("nvml.json has no text at \(key)") }
        return text
    }

    var driver: String { get throws { try text("driver") } }
    var uuid: String { get throws { try text("uuid") } }
    var name: String { get throws { try text("name") } }
    var busID: String {
        get throws {
            guard let text = (json["pci"] as? [String: Any])?["busId"] as? String else { throw StandInError("nvml.json has no pci.busId") }
            return text
        }
    }

    /// Expected value per series name for GPU 0 (the full library).
    func expected() throws -> [String: Double] {
        let mebibyte = 1_048_576.0
        let total = try number("memory", "total"), free = try number("memory", "free"), usedV1 = try number("memory", "used")
        let fields = json["field_values_supported"] as? [String: Any]
        func field(_ id: Int) throws -> Double {
            guard let value = fields?[String(id)] as? NSNumber else { throw StandInError("nvml.json lacks field \(id)") }
            return value.doubleValue
        }
        return [
            "DCGM_FI_DEV_SM_CLOCK": try number("clock_sm"),
            "DCGM_FI_DEV_MEM_CLOCK": try number("clock_mem"),
            "DCGM_FI_DEV_MEMORY_TEMP": try field(82),
            "DCGM_FI_DEV_GPU_TEMP": try number("temp_gpu"),
            "DCGM_FI_DEV_POWER_USAGE": try number("power_mw") / 1000,
            "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION": try number("energy_mj"),
            "DCGM_FI_DEV_PCIE_REPLAY_COUNTER": try number("pcie_replay"),
            "DCGM_FI_DEV_GPU_UTIL": try number("util", "gpu"),
            "DCGM_FI_DEV_MEM_COPY_UTIL": try number("util", "memory"),
            "DCGM_FI_DEV_XID_ERRORS": 0,
            // nvidia-smi -q: used 0 MiB, reserved 616 MiB; the v1 "used" is the reservation.
            "DCGM_FI_DEV_FB_FREE": (free / mebibyte).rounded(.down),
            "DCGM_FI_DEV_FB_USED": 0,
            "DCGM_FI_DEV_FB_RESERVED": (usedV1 / mebibyte).rounded(.down),
            "DCGM_FI_DEV_FB_TOTAL": (total / mebibyte).rounded(.down),
            "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS": try field(143),
            "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS": try field(142),
            "DCGM_FI_DEV_ROW_REMAP_PENDING": try field(144),
            "DCGM_FI_DEV_ROW_REMAP_FAILURE": try field(145),
            "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL": try number("ecc_sbe_volatile"),
            "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL": try number("ecc_dbe_volatile"),
            "DCGM_FI_DEV_ECC_SBE_AGG_TOTAL": try field(5),
            "DCGM_FI_DEV_ECC_DBE_AGG_TOTAL": try number("ecc_dbe_aggregate"),
            "DCGM_FI_DEV_RETIRED_SBE": try field(74),
            "DCGM_FI_DEV_RETIRED_DBE": try field(75),
            "DCGM_FI_DEV_RETIRED_PENDING": try field(76),
            "DCGM_FI_DEV_PCIE_LINK_GEN": try number("pcie_gen"),
            "DCGM_FI_DEV_PCIE_LINK_WIDTH": try number("pcie_width"),
            "DCGM_FI_DEV_PCIE_MAX_LINK_GEN": try number("pcie_gen"),  // nvidia-smi -q: Max 5, at gen 5 idle
            "DCGM_FI_DEV_PCIE_MAX_LINK_WIDTH": try number("pcie_width_max"),
            "DCGM_FI_DEV_CLOCKS_EVENT_REASONS": try number("throttle"),
            "DCGM_FI_DEV_POWER_MGMT_LIMIT": try number("power_limit_mw") / 1000,
            "DCGM_FI_DEV_ENFORCED_POWER_LIMIT": try number("power_limit_mw") / 1000,
        ]
    }
}
