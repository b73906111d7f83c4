/// DCGM's failure codes (`DCGM_FR_*` in `dcgm_errors.h`) and what each one asks of an operator.
///
/// DCGM's JSON carries `error_id` and `error_severity` per warning; its text table carries only the
/// message, so `action(forMessage:)` reads DCGM's own suggestion sentences instead. Codes not in the
/// table fall back to the severity DCGM gave (`dcgmErrorSeverity_t`). The table is documented in
/// docs/DIAGNOSTICS.md; ids are stable upstream ("new codes are added at the end").
public enum RecoveryCodes {
    public struct Entry: Sendable, Hashable {
        public let name: String
        public let action: RecoveryAction
    }

    /// The codes a diagnostic run reports in practice, with the action for each.
    public static let table: [Int: Entry] = {
        let rows: [(Int, String, RecoveryAction)] = [
            (3, "DCGM_FR_PCI_REPLAY_RATE", .drainNode),
            (4, "DCGM_FR_VOLATILE_DBE_DETECTED", .resetGPU),
            (5, "DCGM_FR_VOLATILE_SBE_DETECTED", .drainNode),
            (6, "DCGM_FR_PENDING_PAGE_RETIREMENTS", .reboot),
            (7, "DCGM_FR_RETIRED_PAGES_LIMIT", .rma),
            (8, "DCGM_FR_RETIRED_PAGES_DBE_LIMIT", .rma),
            (9, "DCGM_FR_CORRUPT_INFOROM", .rma),
            (10, "DCGM_FR_CLOCK_THROTTLE_THERMAL", .drainNode),
            (12, "DCGM_FR_CLOCK_THROTTLE_POWER", .checkConfiguration),
            (13, "DCGM_FR_NVLINK_ERROR_THRESHOLD", .drainNode),
            (14, "DCGM_FR_NVLINK_DOWN", .reboot),
            (15, "DCGM_FR_NVSWITCH_FATAL_ERROR", .reboot),
            (20, "DCGM_FR_DEVICE_COUNT_MISMATCH", .reboot),
            (22, "DCGM_FR_CANNOT_OPEN_LIB", .checkConfiguration),
            (23, "DCGM_FR_DENYLISTED_DRIVER", .checkConfiguration),
            (25, "DCGM_FR_GRAPHICS_PROCESSES", .checkConfiguration),
            (28, "DCGM_FR_BAD_CUDA_ENV", .checkConfiguration),
            (29, "DCGM_FR_PERSISTENCE_MODE", .checkConfiguration),
            (30, "DCGM_FR_LOW_BANDWIDTH", .drainNode),
            (31, "DCGM_FR_HIGH_LATENCY", .drainNode),
            (40, "DCGM_FR_THERMAL_VIOLATIONS", .drainNode),
            (42, "DCGM_FR_TEMP_VIOLATION", .drainNode),
            (43, "DCGM_FR_THROTTLING_VIOLATION", .drainNode),
            (44, "DCGM_FR_INTERNAL", .rerun),
            (45, "DCGM_FR_PCIE_GENERATION", .drainNode),
            (46, "DCGM_FR_PCIE_WIDTH", .drainNode),
            (47, "DCGM_FR_ABORTED", .rerun),
            (50, "DCGM_FR_STRESS_LEVEL", .drainNode),
            (51, "DCGM_FR_CUDA_API", .resetGPU),
            (52, "DCGM_FR_FAULTY_MEMORY", .rma),
            (55, "DCGM_FR_ECC_DISABLED", .checkConfiguration),
            (56, "DCGM_FR_MEMORY_ALLOC", .rerun),
            (57, "DCGM_FR_CUDA_DBE", .resetGPU),
            (58, "DCGM_FR_MEMORY_MISMATCH", .rma),
            (59, "DCGM_FR_CUDA_DEVICE", .reboot),
            (62, "DCGM_FR_MEMORY_BANDWIDTH", .drainNode),
            (63, "DCGM_FR_TARGET_POWER", .drainNode),
            (66, "DCGM_FR_CUDA_CONTEXT", .resetGPU),
            (70, "DCGM_FR_NVLINK_CRC_ERROR_THRESHOLD", .drainNode),
            (71, "DCGM_FR_NVLINK_ERROR_CRITICAL", .reboot),
            (72, "DCGM_FR_ENFORCED_POWER_LIMIT", .checkConfiguration),
            (79, "DCGM_FR_L1TAG_MISCOMPARE", .rma),
            (80, "DCGM_FR_ROW_REMAP_FAILURE", .rma),
            (81, "DCGM_FR_UNCONTAINED_ERROR", .reboot),
            (83, "DCGM_FR_DBE_PENDING_PAGE_RETIREMENTS", .reboot),
            (84, "DCGM_FR_UNCORRECTABLE_ROW_REMAP", .rma),
            (85, "DCGM_FR_PENDING_ROW_REMAP", .reboot),
            (86, "DCGM_FR_BROKEN_P2P_MEMORY_DEVICE", .drainNode),
            (87, "DCGM_FR_BROKEN_P2P_WRITER_DEVICE", .drainNode),
            (95, "DCGM_FR_EUD_TEST_FAILED", .rma),
            (98, "DCGM_FR_PCIE_H_REPLAY_VIOLATION", .drainNode),
            (99, "DCGM_FR_GPU_EXPECTED_NVLINKS_UP", .reboot),
            (101, "DCGM_FR_XID_ERROR", .resetGPU),
            (103, "DCGM_FR_DBE_VIOLATION", .resetGPU),
            (104, "DCGM_FR_PCIE_REPLAY_VIOLATION", .drainNode),
            (106, "DCGM_FR_DBE_THRESHOLD_VIOLATION", .rma),
            (108, "DCGM_FR_CUDA_FM_NOT_INITIALIZED", .checkConfiguration),
            (109, "DCGM_FR_SXID_ERROR", .reboot),
        ]
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.0, Entry(name: $0.1, action: $0.2)) })
    }()

    /// The action for a DCGM warning: its code when known, else its severity, else its message.
    public static func action(code: Int?, severity: Int?, message: String) -> RecoveryAction {
        if let code, let entry = table[code] { return entry.action }
        if let severity, let action = action(severity: severity) { return action }
        return action(forMessage: message)
    }

    /// `dcgmErrorSeverity_t`: MONITOR 1, ISOLATE 2, UNKNOWN 3, TRIAGE 4, CONFIG 5, RESET 6.
    static func action(severity: Int) -> RecoveryAction? {
        switch severity {
        case 1: .rerun
        case 2: .drainNode
        case 4: .resetGPU
        case 5: .checkConfiguration
        case 6: .resetGPU
        default: nil
        }
    }

    /// Reads the action from a message when no code came with it (the text table). Most specific
    /// first: DCGM appends its generic "Reset GPU. Restart DCGM." triage sentence to many
    /// messages whose real cause is configuration (the fabric manager not running shows up as
    /// cuInit's "system not yet initialized").
    public static func action(forMessage message: String) -> RecoveryAction {
        let text = message.lowercased()
        let rules: [(needles: [String], action: RecoveryAction)] = [
            (["uncorrectable row remap", "row remap failure", "retired pages limit", "faulty memory", "miscompare"], .rma),
            (["pending row remap", "pending page retirement", "pending retired page", "uncontained"], .reboot),
            (["system not yet initialized", "fabric manager", "fabricmanager", "persistence mode", "denylist", "nouveau",
              "graphics processes", "environment variable", "ecc memory is disabled", "power limit",
              // dcgmi without nv-hostengine running (or reachable): a host set-up fault, not the GPU's.
              "host engine", "hostengine"], .checkConfiguration),
            (["internal error", "couldn't be parsed", "could not be parsed", "aborted", "timed out", "out of memory",
              "unable to allocate", "cannot allocate"], .rerun),
            (["nvlink", "pcie replay", "bandwidth", "thermal", "throttl"], .drainNode),
            (["double-bit", "double bit", "dbe", "reset gpu", "xid"], .resetGPU),
        ]
        for rule in rules where rule.needles.contains(where: text.contains) {
            return rule.action
        }
        return .rerun
    }
}
