import Fleet
import Foundation
import Testing

@Suite("Finding+Codable")
struct FindingCodableTests {
    func json(_ finding: Finding) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(finding), as: UTF8.self)
    }

    @Test("the API shape is {signal, severity, gpu, reason, action}")
    func shape() throws {
        let finding = Finding(signal: .pcieLink, severity: .degraded, gpu: 1, reason: "GPU 1 PCIe link at x8 of x16", action: .inspectHardware)
        #expect(try json(finding) == #"{"action":"inspect-hardware","gpu":1,"reason":"GPU 1 PCIe link at x8 of x16","severity":"degraded","signal":"pcie-link"}"#)
        #expect(try JSONDecoder().decode(Finding.self, from: Data(json(finding).utf8)) == finding)
    }

    @Test("a node-wide finding carries gpu: null")
    func nodeWide() throws {
        let finding = Finding(signal: .exporter, severity: .unknown, gpu: nil, reason: "down", action: .checkExporter)
        #expect(try json(finding).contains(#""gpu":null"#))
        #expect(try JSONDecoder().decode(Finding.self, from: Data(json(finding).utf8)) == finding)
    }

    @Test("every action and signal has a label")
    func labels() {
        #expect(Action.allCases.allSatisfy { !$0.label.isEmpty })
        #expect(Signal.allCases.allSatisfy { !$0.label.isEmpty })
    }
}
