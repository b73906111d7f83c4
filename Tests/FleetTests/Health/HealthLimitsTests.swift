import Fleet
import Foundation
import Testing

@Suite("HealthLimits")
struct HealthLimitsTests {
    @Test("defaults are the documented numbers")
    func defaults() {
        let limits = HealthLimits.default
        #expect(limits.temperatureWarnCelsius == 85 && limits.temperatureCriticalCelsius == 90)
        #expect(limits.temperatureSustainSeconds == 300)
        #expect(limits.xidWindowSeconds == 3600 && limits.xidRepeatThreshold == 3)
        #expect(limits.clockEventDegradedMask == 0xC8)
        #expect(limits.problems().isEmpty)
    }

    @Test("partial JSON overrides keep the other defaults; classes override on top")
    func partial() throws {
        let json = #"{"temperatureWarnCelsius": 83, "xidSeverity": {"94": "healthy"}, "classes": {"h100-80": {"temperatureCriticalCelsius": 87}}}"#
        let limits = try JSONDecoder().decode(HealthLimits.self, from: Data(json.utf8))
        #expect(limits.temperatureWarnCelsius == 83)
        #expect(limits.temperatureCriticalCelsius == 90)
        #expect(limits.xidSeverityOverride(94) == .healthy)
        let h100 = limits.resolved(forClass: "h100-80")
        #expect(h100.temperatureWarnCelsius == 83 && h100.temperatureCriticalCelsius == 87)
        #expect(h100.classes.isEmpty)
        #expect(limits.resolved(forClass: "ada-16").temperatureCriticalCelsius == 90)
        #expect(limits.resolved(forClass: nil).temperatureCriticalCelsius == 90)
    }

    @Test("unknown keys are errors, at the top and in a class", arguments: [
        #"{"temperatureWarnCelcius": 83}"#,
        #"{"classes": {"h100-80": {"tempWarn": 80}}}"#,
    ])
    func strict(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(HealthLimits.self, from: Data(json.utf8)) }
    }

    @Test("round-trips through JSON")
    func roundTrip() throws {
        var limits = HealthLimits.default
        limits.classes["h200-141"] = .init(memoryTemperatureCriticalCelsius: 92)
        limits.xidSeverity = ["13": .degraded]
        let data = try JSONEncoder().encode(limits)
        #expect(try JSONDecoder().decode(HealthLimits.self, from: data) == limits)
    }

    @Test("contradictions are reported")
    func problems() {
        var limits = HealthLimits.default
        limits.classes["ada-16"] = .init(temperatureWarnCelsius: 95)
        limits.xidSeverity = ["x": .healthy]
        #expect(limits.problems().count == 2)
    }
}
