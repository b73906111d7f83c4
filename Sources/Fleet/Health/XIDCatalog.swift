// XID catalogue: what each XID code means and what the health model makes of it.
//
// Sources, as summarised in docs/reference metrics.md §4 (commits named there):
// - NVIDIA's XID catalogue (docs.nvidia.com/deploy/xid-errors, "Analyzing XID catalog"), as mirrored
//   in leptonai/gpud `components/accelerator/nvidia/xid/catalog_generated.go`: mnemonic and the
//   immediate resolution (RESTART_APP, RESET_GPU, RESTART_BM, …).
// - NVIDIA DCGM `modules/health/DcgmHealthWatch.cpp` (`BuildXidMappings`): the "devastating" XIDs
//   48, 74, 79, 95, 119, 120, 140 FAIL and 94 WARN; 64 MEM FAIL; subsystem WARNs.
// - leptonai/gpud `xid.go`: event types (Info/Warning/Critical/Fatal) and repair actions.
// - NVIDIA/dcgm-exporter `internal/pkg/collector/xid_errors.go`: the `err_msg` texts ("Based on
//   docs.nvidia.com/deploy/xid-errors"), used here as `XIDCatalog.name(of:)` for every code 1…172.
//
// The severity column is ours (metrics.md §4.2): application-class codes never flip a GPU on one
// occurrence; memory- and bus/firmware-class codes are Critical; 63/92/94 are Degraded.

/// What the health model does with one XID code.
public struct XIDEntry: Sendable, Hashable {
    /// How a code is judged.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Usually the workload's own error (13, 31, 43, 45 …): an event, Healthy on its own,
        /// Degraded when it repeats `xidRepeatThreshold` times in the window on one GPU.
        case application
        /// A GPU or driver fault of a fixed severity.
        case fault
        /// A link fault that is Degraded once and Critical when it repeats (NVLink5 sub-unit errors).
        case escalating
    }

    /// The XID code.
    public var code: Int
    /// NVIDIA's short name for it (dcgm-exporter's `err_msg`).
    public var name: String
    /// How it is judged.
    public var kind: Kind
    /// Severity of one occurrence.
    public var severity: Severity
    /// Severity once it repeats `xidRepeatThreshold` times in the window.
    public var repeatedSeverity: Severity
    /// What to do.
    public var action: Action
    /// One sentence of advice for the reason text.
    public var advice: String

    public init(code: Int, name: String, kind: Kind, severity: Severity, repeatedSeverity: Severity, action: Action, advice: String) {
        self.code = code
        self.name = name
        self.kind = kind
        self.severity = severity
        self.repeatedSeverity = repeatedSeverity
        self.action = action
        self.advice = advice
    }
}

/// The XID table (see the header comment for sources).
public enum XIDCatalog {
    /// Every code the product classifies explicitly.
    public static let entries: [XIDEntry] = {
        func app(_ code: Int, _ action: Action, _ advice: String) -> XIDEntry {
            XIDEntry(code: code, name: name(of: code), kind: .application, severity: .healthy, repeatedSeverity: .degraded, action: action, advice: advice)
        }
        func fault(_ code: Int, _ severity: Severity, _ action: Action, _ advice: String) -> XIDEntry {
            XIDEntry(code: code, name: name(of: code), kind: .fault, severity: severity, repeatedSeverity: severity, action: action, advice: advice)
        }
        func link(_ code: Int) -> XIDEntry {
            XIDEntry(code: code, name: name(of: code), kind: .escalating, severity: .degraded, repeatedSeverity: .critical,
                     action: .rebootNode, advice: "NVLink5 sub-unit error: reboot; check the peer GPU and the switch if it repeats")
        }
        return [
            app(8, .checkWorkload, "usually the workload; run dcgmi diag if it repeats across jobs"),
            app(13, .checkWorkload, "usually an application error (illegal access in a kernel); if it repeats across jobs, run dcgmi diag"),
            app(31, .checkWorkload, "usually an out-of-bounds access in the application (debug with compute-sanitizer); run dcgmi diag if it recurs"),
            app(43, .checkWorkload, "the driver stopped a faulting application; no action on the GPU"),
            app(45, .none, "cleanup after another error or a killed process; look at the XID that preceded it"),
            app(68, .checkWorkload, "video decoder exception, usually the application"),
            app(69, .checkWorkload, "usually an application error"),
            fault(46, .critical, .resetGPU, "the GPU timed out; reset it"),
            fault(48, .critical, .resetGPU, "uncorrectable memory error: drain and reset the GPU; if no row remap (XID 63/64) follows, run field diagnostics"),
            fault(62, .critical, .resetGPU, "reset the GPU; contact support if it recurs"),
            fault(63, .degraded, .scheduleReset, "a row remap is recorded and takes effect at the next GPU reset"),
            fault(64, .critical, .inspectHardware, "row remapping failed: the memory can no longer be repaired; RMA candidate"),
            fault(74, .critical, .resetGPU, "reset the GPU or reboot; inspect NVLink and NVSwitch if it repeats"),
            fault(79, .critical, .rebootNode, "the GPU is unreachable: drain and reboot the node; inspect PCIe and power if it recurs"),
            fault(92, .degraded, .watch, "watch the single-bit ECC trend; RMA if it stays high"),
            fault(94, .degraded, .restartApp, "the error was contained: restart the affected application and reset the GPU at a convenient time"),
            fault(95, .critical, .resetGPU, "every application on the GPU is affected: reset the GPU now"),
            fault(109, .critical, .resetGPU, "reset the GPU"),
            fault(119, .critical, .resetGPU, "GSP firmware timed out: reset the GPU; power-cycle the node if it persists"),
            fault(120, .critical, .resetGPU, "GSP firmware error: reset the GPU; power-cycle the node if it persists"),
            fault(121, .critical, .rebootNode, "reboot the node; inspect the hardware if it recurs"),
            fault(140, .critical, .resetGPU, "uncorrectable memory error the hardware did not recover: reset the GPU and inspect the hardware"),
            fault(143, .critical, .inspectHardware, "the GPU failed to initialise: inspect the hardware"),
            link(144), link(145), link(146), link(147), link(148), link(149), link(150), link(155),
            fault(154, .degraded, .watch, "the driver changed the GPU's recovery action; read DCGM's recovery action field and follow it"),
        ]
    }()

    private static let byCode: [Int: XIDEntry] = Dictionary(entries.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    /// The entry for `code`. Codes outside the table are Degraded faults (action: watch): a
    /// driver-reported error we cannot classify is neither ignored nor allowed to page anyone;
    /// `HealthLimits.xidSeverity` can reclassify it.
    public static func entry(for code: Int) -> XIDEntry {
        if let entry = byCode[code] { return entry }
        return XIDEntry(code: code, name: name(of: code), kind: .fault, severity: .degraded, repeatedSeverity: .degraded,
                        action: .watch, advice: "not in our XID catalogue; look it up in NVIDIA's XID catalogue")
    }

    /// NVIDIA's short name for `code` (dcgm-exporter's `err_msg`), or "unknown XID" outside 1…172.
    public static func name(of code: Int) -> String {
        guard code >= 0, code < names.count else { return "unknown XID" }
        return names[code]
    }

    /// dcgm-exporter's `xidErrCodeToText`, index = code.
    static let names: [String] = [
        "No Error", "Invalid or corrupted push buffer stream", "Invalid or corrupted push buffer stream",
        "Invalid or corrupted push buffer stream", "Invalid or corrupted push buffer stream", "Unused",
        "Invalid or corrupted push buffer stream", "Invalid or corrupted push buffer address", "GPU stopped processing",
        "Driver error programming GPU", "Unused", "Invalid or corrupted push buffer stream",
        "Driver error handling GPU exception", "Graphics Engine Exception", "Unused", "Unused", "Display engine hung",
        "Unused", "Bus mastering disabled in PCI Config Space", "Display Engine error",
        "Invalid or corrupted Mpeg push buffer", "Invalid or corrupted Motion Estimation push buffer",
        "Invalid or corrupted Video Processor push buffer", "Unused", "GPU semaphore timeout",
        "Invalid or illegal push buffer stream", "Framebuffer timeout", "Video processor exception",
        "Video processor exception", "Video processor exception", "GPU semaphore access error", "GPU memory page fault",
        "Invalid or corrupted push buffer stream", "Internal micro-controller error", "Video processor exception",
        "Video processor exception", "Video processor exception", "Driver firmware error", "Driver firmware error",
        "Unused", "Unused", "Unused", "Video processor exception", "GPU stopped processing",
        "Graphics Engine fault during context switch", "Preemptive cleanup, due to previous errors",
        "GPU stopped processing", "Video processor exception", "Double Bit ECC Error", "Unused", "Unused", "Unused",
        "Unused", "Unused", "Auxiliary power is not connected to the GPU board", "Unused", "Display Engine error",
        "Error programming video memory interface", "Unstable video memory interface detected",
        "Internal micro-controller error", "Video processor exception", "Internal micro-controller breakpoint/warning",
        "Internal micro-controller halt", "ECC page retirement or row remapping recording event",
        "ECC page retirement or row remapper recording failure", "Video processor exception", "Illegal access by driver",
        "Illegal access by driver", "NVDEC0 Exception", "Graphics Engine class error", "CE3: Unknown Error",
        "CE4: Unknown Error", "CE5: Unknown Error", "NVENC2 Error", "NVLINK Error", "CE6: Unknown Error",
        "CE7: Unknown Error", "CE8: Unknown Error", "vGPU Start Error", "GPU has fallen off the bus",
        "Corrupted data sent to GPU", "VGA Subsystem Error", "NVJPG0 Error", "NVDEC1 Error", "NVDEC2 Error",
        "CE9: Unknown Error", "OFA Exception", "Reserved", "NVDEC3 Error", "NVDEC4 Error", "Reserved", "Reserved",
        "High single-bit ECC error rate", "Non-fatal violation of provisioned InfoROM wear limit", "Contained ECC error",
        "Uncontained ECC error", "NVDEC5 Error", "NVDEC6 Error", "NVDEC7 Error", "NVJPG1 Error", "NVJPG2 Error",
        "NVJPG3 Error", "NVJPG4 Error", "NVJPG5 Error", "NVJPG6 Error", "NVJPG7 Error", "SMBPBI Test Message",
        "SMBPBI Test Message Silent", "Reserved", "Context Switch Timeout Error", "Security Fault Error",
        "Display Bundle Error Event", "Display Supervisor Error", "DP Link Training Error",
        "Display Pipeline Underflow Error", "Display Core Channel Error", "Display Window Channel Error",
        "Display Cursor Channel Error", "Display Pixel Pipeline Error", "GSP RPC Timeout", "GSP Error",
        "C2C Link Error", "SPI PMU RPC Read Failure", "SPI PMU RPC Write Failure", "SPI PMU RPC Erase Failure",
        "Inforom FS Failure", "Robust Channel CE10 Error", "Robust Channel CE11 Error", "Robust Channel CE12 Error",
        "Robust Channel CE13 Error", "Robust Channel CE14 Error", "Robust Channel CE15 Error",
        "Robust Channel CE16 Error", "Robust Channel CE17 Error", "Robust Channel CE18 Error",
        "Robust Channel CE19 Error", "ALI Training Fail", "NVLink Privilege Error", "Robust Channel DLA Error",
        "Robust Channel OFA1 Error", "Unrecovered ECC Error", "Robust Channel Fast Path Error",
        "Robust Channel NVENVC3 Error", "GPU Initialization Failure", "NVLINK: Saw Error", "NVLINK: RLW Error",
        "NVLINK: TLW Error", "NVLINK: TREX Error", "NVLINK: NVLPW_CTRL Error", "NVLINK: NETIR Error",
        "NVLINK: MSE Error", "Robust Channel Key rotation Error", "Robust Channel DLA SMMU Error",
        "Robust Channel DLA timeout Error", "GPU Recovery Action Changed", "NVLINK: SW Defined Error",
        "Resource Retirement Event", "Resource Retirement Failure", "GPU Fatal Timeout",
        "Robust Channel CHI Non-Data Error", "Channel Retirement Event", "Channel Retirement Failure",
        "Power Smoothing HW Circuitry Reengaged", "Power Smoothing HW Circuitry Disengaged",
        "Power Smoothing HW Circuitry Low Lifetime", "Power Smoothing HW Circuitry Lifetime Exhausted",
        "NVLINK Secure Crypto Error", "PCIE Fatal Timeout",
        "Reduced GPU Memory Capacity (Errors found in write protection region)", "Internal micro-controller halt",
        "NVLINK: Interrupt seen in CC mode", "Uncorrectable DRAM Error", "Uncorrectable SRAM Error",
    ]
}
