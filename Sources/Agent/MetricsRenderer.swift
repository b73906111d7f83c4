import Exposition
import Fleet

/// Renders an `AgentSnapshot` as dcgm-exporter renders its scrape.
///
/// One `# HELP`/`# TYPE` pair per family, then one line per GPU that has a value; a family no GPU
/// has is left out (absent, not 0). `DCGM_FI_DEV_XID_ERRORS` carries dcgm-exporter's `err_code`
/// and `err_msg` labels. The agent's own `aifactory_agent_not_collected` family names each field
/// it cannot give and why, so "not collected" is visible without reading the agent's log, and
/// `aifactory_agent_last_sample_timestamp_seconds` says how old the served sample is.
public enum MetricsRenderer {
    public static let notCollectedName = "aifactory_agent_not_collected"
    public static let lastSampleName = "aifactory_agent_last_sample_timestamp_seconds"

    public static func render(_ snapshot: AgentSnapshot) -> [UInt8] {
        var writer = ExpositionWriter(reservingCapacity: 1024 + snapshot.gpus.count * 6144)
        let blocks = snapshot.gpus.map {
            ExpositionWriter.labelBlock($0.identity.labels(hostname: snapshot.hostname, driverVersion: snapshot.driverVersion))
        }
        for field in AgentField.allCases {
            if field == .xidErrors {
                renderXID(snapshot, blocks: blocks, into: &writer)
                continue
            }
            guard snapshot.gpus.contains(where: { $0.values[field] != nil }) else { continue }
            writer.header(name: field.name, help: field.help, type: field.type)
            for (gpu, block) in zip(snapshot.gpus, blocks) {
                guard let value = gpu.values[field] else { continue }
                writer.append(field.name)
                writer.append(byte: UInt8(ascii: "{"))
                writer.append(bytes: block)
                writer.append("} ")
                writer.append(value, format: field.format)
                writer.append(byte: UInt8(ascii: "\n"))
            }
        }
        let missing = snapshot.notCollected
        if !missing.isEmpty {
            writer.header(
                name: notCollectedName,
                help: "A dcgm-exporter field this agent cannot read from NVML (value 1), and why.",
                type: .gauge)
            for entry in missing {
                var labels: [Label] = []
                if let gpu = entry.gpu { labels.append(Label("gpu", String(gpu))) }
                labels.append(Label("field", entry.field.name))
                labels.append(Label("reason", entry.reason))
                writer.sample(notCollectedName, labels, 1, format: .integer)
            }
        }
        writer.header(name: lastSampleName, help: "When the agent last read NVML (Unix time); /metrics serves that sample.", type: .gauge)
        writer.sample(lastSampleName, [], snapshot.sampledAt, format: .fixed6)
        return writer.bytes
    }

    private static func renderXID(_ snapshot: AgentSnapshot, blocks: [[UInt8]], into writer: inout ExpositionWriter) {
        guard snapshot.gpus.contains(where: { $0.lastXID != nil }) else { return }
        let field = AgentField.xidErrors
        writer.header(name: field.name, help: field.help, type: field.type)
        for (gpu, block) in zip(snapshot.gpus, blocks) {
            guard let xid = gpu.lastXID else { continue }
            let code = Int(clamping: xid)
            writer.append(field.name)
            writer.append(byte: UInt8(ascii: "{"))
            writer.append(bytes: block)
            writer.append(",err_code=\"\(code)\",err_msg=\"\(Label.escape(XIDCatalog.name(of: code)))\"} ")
            writer.appendInteger(Int64(code))
            writer.append(byte: UInt8(ascii: "\n"))
        }
    }
}
