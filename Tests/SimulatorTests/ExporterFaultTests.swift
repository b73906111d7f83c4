import Exposition
import Foundation
import Simulator
import Testing

/// `ExporterFault`: its JSON contract and what it does to the simulator's real output (read back
/// through the same parser as the real exporter fixtures).
@Suite("ExporterFault")
struct ExporterFaultTests {
    let simulation = FleetSimulation(fleet: FleetFile.demo, seed: 7)

    struct BadBody: Sendable, CustomTestStringConvertible {
        var json: String
        var kind: FaultRequestError.Kind
        var mentions: String
        var testDescription: String { json }
    }

    @Test("every field is optional and defaults to no fault; the encoding shows every field")
    func defaults() throws {
        let empty = try ExporterFault.decode(json: Data("{}".utf8))
        #expect(empty == ExporterFault())
        #expect(empty.isEmpty)
        // null is "not given", as for an absent field.
        #expect(try ExporterFault.decode(json: Data(#"{"down":null,"dropFields":null,"forgedTenant":null}"#.utf8)).isEmpty)
        let full = try ExporterFault.decode(json: Data(#"{"dropFields":["A_B"],"down":true,"forgedTenant":"globex","legacyVLLMNames":true}"#.utf8))
        #expect(full == ExporterFault(dropFields: ["A_B"], down: true, forgedTenant: "globex", legacyVLLMNames: true))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(ExporterFault()), as: UTF8.self)
            == #"{"down":false,"dropFields":[],"forgedTenant":null,"legacyVLLMNames":false}"#)
    }

    @Test("a bad body is refused with a message naming the field", arguments: [
        BadBody(json: "", kind: .malformed, mentions: "not valid JSON"),
        BadBody(json: "[1]", kind: .malformed, mentions: "JSON object"),
        BadBody(json: #"{"dwon": true}"#, kind: .invalid, mentions: "unknown field 'dwon'"),
        BadBody(json: #"{"down": "yes"}"#, kind: .invalid, mentions: "down must be true or false"),
        BadBody(json: #"{"dropFields": "DCGM_FI_DEV_GPU_TEMP"}"#, kind: .invalid, mentions: "dropFields must be an array"),
        BadBody(json: #"{"dropFields": ["not a name"]}"#, kind: .invalid, mentions: "'not a name' is not a metric name"),
        BadBody(json: #"{"forgedTenant": 3}"#, kind: .invalid, mentions: "forgedTenant must be a string"),
        BadBody(json: #"{"forgedTenant": ""}"#, kind: .invalid, mentions: "forgedTenant must not be empty"),
        BadBody(json: #"{"legacyVLLMNames": 1}"#, kind: .invalid, mentions: "legacyVLLMNames must be true or false"),
    ])
    func refuses(_ bad: BadBody) {
        #expect {
            _ = try ExporterFault.decode(json: Data(bad.json.utf8))
        } throws: { error in
            guard let error = error as? FaultRequestError else { return false }
            return error.kind == bad.kind && error.message.contains(bad.mentions)
        }
    }

    @Test("the stock-CSV scenario removes the ECC families from a node's DCGM output and leaves the rest")
    func stockCSV() throws {
        let bytes = try #require(dcgmBytes("acme-h100-1"))
        let before = try ExpositionParser.parse(String(decoding: bytes, as: UTF8.self))
        #expect(before.family("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL") != nil)
        let fault = ExporterFault(dropFields: ExporterFault.stockCSVMissingFields)
        let after = try ExpositionParser.parse(String(decoding: fault.applyDCGM(bytes), as: UTF8.self))
        for name in ExporterFault.stockCSVMissingFields { #expect(after.family(name) == nil, "\(name)") }
        #expect(after.familyNames == before.familyNames.filter { !ExporterFault.stockCSVMissingFields.contains($0) })
        #expect(after.samples("DCGM_FI_DEV_GPU_TEMP").count == before.samples("DCGM_FI_DEV_GPU_TEMP").count)
    }

    @Test("a forged tenant lands on every DCGM sample, the XID samples with their message labels included")
    func forgedTenant() throws {
        let bytes = try #require(dcgmBytes("initrode-xid79"))
        let fault = ExporterFault(forgedTenant: "globex")
        let parsed = try ExpositionParser.parse(String(decoding: fault.applyDCGM(bytes), as: UTF8.self))
        #expect(!parsed.allSamples.isEmpty)
        #expect(parsed.allSamples.allSatisfy { $0[label: "tenant"] == "globex" })
        #expect(parsed.samples("DCGM_FI_DEV_XID_ERRORS").allSatisfy { $0[label: "err_msg"] != nil })
    }

    @Test("legacy vLLM names replace the current ones, histogram series included, and nothing else changes")
    func legacyNames() throws {
        guard case .metrics(let bytes) = simulation.vllm(node: "acme-h100-1", at: 300) else {
            Issue.record("no vLLM output")
            return
        }
        let before = try ExpositionParser.parse(String(decoding: bytes, as: UTF8.self))
        let after = try ExpositionParser.parse(String(decoding: ExporterFault(legacyVLLMNames: true).applyVLLM(bytes), as: UTF8.self))
        #expect(after.family("vllm:kv_cache_usage_perc") == nil)
        #expect(after.family("vllm:inter_token_latency_seconds") == nil)
        #expect(after.family("vllm:gpu_cache_usage_perc")?.samples.map(\.value) == before.family("vllm:kv_cache_usage_perc")?.samples.map(\.value))
        let legacy = try #require(after.family("vllm:time_per_output_token_seconds"))
        #expect(legacy.type == .histogram)
        #expect(legacy.samples.count == before.family("vllm:inter_token_latency_seconds")?.samples.count)
        #expect(after.histogramProblems().isEmpty)
        #expect(after.familyNames.count == before.familyNames.count)
        #expect(ExporterFault().applyVLLM(bytes) == bytes)
    }

    private func dcgmBytes(_ node: String) -> [UInt8]? {
        guard case .metrics(let bytes) = simulation.dcgm(node: node, at: 300) else { return nil }
        return bytes
    }
}
