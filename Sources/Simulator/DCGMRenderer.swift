import Exposition
import Fleet

/// Renders one node's DCGM exporter output, byte for byte in dcgm-exporter's format.
///
/// Everything that does not change between scrapes is prepared once: each family's `# HELP` /
/// `# TYPE` block and each GPU's label block (`{gpu="0",UUID="…",pci_bus_id="…",device="nvidia0",
/// modelName="…",Hostname="…",DCGM_FI_DRIVER_VERSION="…"`, the exporter's fixed label order). A
/// scrape then only copies bytes and formats numbers, which keeps a 1,024-GPU fleet well inside
/// the 20 ms budget.
struct DCGMRenderer: Sendable {
    /// Driver version reported in the `DCGM_FI_DRIVER_VERSION` label.
    static let driverVersion = "580.95.05"
    /// `DCGM_EXP_XID_ERRORS_COUNT`'s window label, matching the exporter's default 5 minutes.
    static let windowLabel = Array(",window_size_in_ms=\"300000\"".utf8)

    let headers: [[UInt8]]
    let names: [[UInt8]]
    /// Per GPU: `{` + the fixed label block, without the closing brace.
    let gpuLabels: [[UInt8]]
    /// A capacity hint for the output buffer.
    let expectedSize: Int

    init(node: NodeModel) {
        headers = DCGMField.allCases.map { ExpositionWriter.header(name: $0.name, help: $0.help, type: $0.type) }
        names = DCGMField.allCases.map { Array($0.name.utf8) }
        gpuLabels = node.gpus.map { gpu in
            [UInt8(ascii: "{")] + ExpositionWriter.labelBlock([
                Label("gpu", String(gpu.index)),
                Label("UUID", gpu.uuid),
                Label("pci_bus_id", gpu.pciBusID),
                Label("device", "nvidia\(gpu.index)"),
                Label("modelName", node.spec.gpuModel),
                Label("Hostname", node.spec.host),
                Label("DCGM_FI_DRIVER_VERSION", Self.driverVersion),
            ])
        }
        let perLine = (gpuLabels.first?.count ?? 200) + 48
        expectedSize = headers.reduce(0) { $0 + $1.count } + perLine * DCGMField.allCases.count * max(1, node.gpus.count)
    }

    /// Appends the node's exposition at `t` to `writer`.
    func render(_ node: NodeModel, at t: Double, into writer: inout ExpositionWriter) {
        var readings: [(index: Int, reading: GPUReading)] = []
        readings.reserveCapacity(node.gpus.count)
        for gpu in node.gpus where node.isPresent(gpu: gpu.index, at: t) {
            readings.append((gpu.index, node.reading(gpu: gpu.index, at: t)))
        }
        guard !readings.isEmpty else { return }  // every GPU gone: the exporter has nothing to say
        let missing = node.missingFields(at: t)
        for field in DCGMField.allCases {
            if !missing.isEmpty, missing.contains(field.name) { continue }
            let fieldIndex = field.rawValue
            writer.append(bytes: headers[fieldIndex])
            let name = names[fieldIndex]
            for (index, reading) in readings {
                switch field {
                case .xidErrors:
                    writer.append(bytes: name)
                    writer.append(bytes: gpuLabels[index])
                    writer.append(",err_code=\"\(reading.xid)\",err_msg=\"\(Label.escape(XIDMessage.text(reading.xid)))\"} ")
                    writer.appendInteger(Int64(reading.xid))
                    writer.append(byte: UInt8(ascii: "\n"))
                case .xidCount:
                    if reading.recentXIDs.isEmpty {
                        writer.append(bytes: name)
                        writer.append(bytes: gpuLabels[index])
                        writer.append(bytes: Self.windowLabel)
                        writer.append("} 0\n")
                    }
                    for entry in reading.recentXIDs {
                        writer.append(bytes: name)
                        writer.append(bytes: gpuLabels[index])
                        writer.append(bytes: Self.windowLabel)
                        writer.append(",xid=\"\(entry.code)\"} ")
                        writer.appendInteger(Int64(entry.count))
                        writer.append(byte: UInt8(ascii: "\n"))
                    }
                default:
                    writer.append(bytes: name)
                    writer.append(bytes: gpuLabels[index])
                    writer.append(byte: UInt8(ascii: "}"))
                    writer.append(byte: UInt8(ascii: " "))
                    let value = field.value(reading)
                    if field.format == .fixed6 {
                        writer.appendFixed6(value)
                    } else {
                        writer.appendInteger(Int64(value))
                    }
                    writer.append(byte: UInt8(ascii: "\n"))
                }
            }
        }
    }
}
