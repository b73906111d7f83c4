import Fleet
import Foundation
import Testing

@Suite("ThermalCheck")
struct ThermalCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var gpu: GPUSnapshot
        var gpuClass: String? = nil
        var expected: [ExpectedFinding]
        var testDescription: String { name }
    }

    static let limits = HealthLimits.default

    static let cases: [Case] = [
        Case(name: "real sample at 48 °C is fine", gpu: ExporterSample.gpu(), expected: []),
        Case(name: "91 °C is critical", gpu: HealthFixture.gpu(1, [.gpuTemp: 91]),
             expected: [ExpectedFinding(.critical, gpu: 1, says: ["GPU 1 at 91 °C (critical at 90 °C)"], action: .checkCooling)]),
        Case(name: "exactly 90 °C is critical", gpu: HealthFixture.gpu(0, [.gpuTemp: 90]), expected: [ExpectedFinding(.critical)]),
        Case(name: "≥ 85 °C for 6 min is degraded",
             gpu: HealthFixture.gpu(0, [.gpuTemp: 87]) { $0.temperatureHistory = HealthFixture.series([80] + Array(repeating: 87, count: 13)) },
             expected: [ExpectedFinding(.degraded, says: ["GPU 0 at 87 °C", "for 6 min", "degraded at 85 °C sustained 5 min"])]),
        Case(name: "≥ 85 °C for exactly 5 min is degraded",
             gpu: HealthFixture.gpu(0, [.gpuTemp: 86]) { $0.temperatureHistory = HealthFixture.series(Array(repeating: 86, count: 11)) },
             expected: [ExpectedFinding(.degraded, says: ["for 5 min"])]),
        Case(name: "≥ 85 °C for 2 min is only a note",
             gpu: HealthFixture.gpu(0, [.gpuTemp: 88]) { $0.temperatureHistory = HealthFixture.series([70, 70, 70, 88, 88, 88, 88, 88]) },
             expected: [ExpectedFinding(.healthy, says: ["for 2 min"], action: .watch)]),
        Case(name: "one cool sample inside the window resets the run",
             gpu: HealthFixture.gpu(0, [.gpuTemp: 86]) { $0.temperatureHistory = HealthFixture.series([86, 86, 86, 86, 86, 84, 86, 86, 86, 86, 86]) },
             expected: [ExpectedFinding(.healthy)]),
        Case(name: "hot without history is a note, not degraded",
             gpu: HealthFixture.gpu(0, [.gpuTemp: 86]), expected: [ExpectedFinding(.healthy, says: ["no history"])]),
        Case(name: "blank sentinel temperature is ignored",
             gpu: HealthFixture.gpu(0, [.gpuTemp: Double(Int64.max - 13)]), expected: []),
        Case(name: "class override lowers the limits",
             gpu: HealthFixture.gpu(0, [.gpuTemp: 88]), gpuClass: "h100-80",
             expected: [ExpectedFinding(.critical, says: ["critical at 87 °C"])]),
        Case(name: "GDDR memory temperature 0 is not a reading",
             gpu: HealthFixture.gpu(0, [.memoryTemp: 0]), expected: []),
        Case(name: "HBM at 96 °C is critical", gpu: HealthFixture.gpu(0, [.memoryTemp: 96]),
             expected: [ExpectedFinding(.critical, says: ["memory (HBM) at 96 °C (critical at 95 °C)"])]),
        Case(name: "HBM limit from the exporter's max operating temperature",
             gpu: HealthFixture.gpu(0, [.memoryTemp: 84, .memoryMaxOperatingTemp: 87]),
             expected: [ExpectedFinding(.degraded, says: ["degraded at 82 °C", "critical at 87 °C", "max operating"])]),
    ]

    @Test("maps temperatures to findings", arguments: cases)
    func table(_ row: Case) {
        var limits = Self.limits
        limits.classes["h100-80"] = .init(temperatureWarnCelsius: 83, temperatureCriticalCelsius: 87)
        let findings = ThermalCheck().evaluate(HealthFixture.node([row.gpu], gpuClass: row.gpuClass), limits: limits)
        #expect(findingsMatch(findings, row.expected), "\(findings)")
    }

    @Test("a missing temperature field yields nothing here (SeriesPresenceCheck reports it)")
    func missingField() {
        let gpu = HealthFixture.gpu { $0.values[.gpuTemp] = nil }
        #expect(ThermalCheck().evaluate(HealthFixture.node([gpu]), limits: .default).isEmpty)
    }

    @Test("absent GPUs are not judged on current values")
    func absent() {
        let gpu = GPUSnapshot(index: 1)
        #expect(ThermalCheck().evaluate(HealthFixture.node([HealthFixture.gpu(0), gpu]), limits: .default).isEmpty)
    }
}
