/// The `err_msg` label dcgm-exporter puts on `DCGM_FI_DEV_XID_ERRORS`, for the XIDs the
/// simulator can emit and the common ones a scenario may name (NVIDIA's XID catalog wording).
enum XIDMessage {
    static func text(_ code: Int) -> String {
        switch code {
        case 0: "No Error"
        case 8: "GPU stopped processing"
        case 13: "Graphics Engine Exception"
        case 31: "GPU memory page fault"
        case 32: "Invalid or corrupted push buffer stream"
        case 43: "GPU stopped processing"
        case 45: "Preemptive cleanup, due to previous errors -- Most likely to see when running multiple cuda applications and hitting a DBE"
        case 46: "GPU stopped processing"
        case 48: "DBE (Double Bit Error) ECC Error"
        case 61: "Internal micro-controller breakpoint/warning (newer drivers)"
        case 62: "Internal micro-controller halt (newer drivers)"
        case 63: "ECC page retirement or row remapping recording event"
        case 64: "ECC page retirement or row remapper recording failure"
        case 74: "NVLINK Error"
        case 79: "GPU has fallen off the bus"
        case 92: "High single-bit ECC error rate"
        case 94: "Contained ECC error"
        case 95: "Uncontained ECC error"
        case 109: "Context Switch Timeout Error"
        case 119: "GSP RPC Timeout"
        case 120: "GSP Error"
        default: "Unknown Error"
        }
    }
}
