import Fleet
import Foundation
import Testing

@Suite("XIDCheck")
struct XIDCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var gpu: GPUSnapshot
        var expected: [ExpectedFinding]
        var testDescription: String { name }
    }

    /// The sample GPU with an XID gauge history (one sample a minute, the last now) and baseline.
    static func gauge(_ values: [Double], baseline: Double? = 0, counts: [Int: Int]? = nil, index: GPUIndex = 0) -> GPUSnapshot {
        HealthFixture.gpu(index, [.xidErrors: values.last ?? 0]) {
            $0.xidHistory = HealthFixture.series(values, step: 60)
            $0.xidBaseline = baseline
            $0.xidCounts = counts
        }
    }

    static let cases: [Case] = [
        Case(name: "real sample: gauge 0, nothing", gpu: ExporterSample.gpu(), expected: []),
        Case(name: "change to 79 is critical, with time and meaning", gpu: gauge([0, 0, 79, 79, 79]),
             expected: [ExpectedFinding(.critical, says: ["XID 79 (GPU has fallen off the bus) on GPU 0 at 2026-05-12T11:58:00Z (2 min ago)", "reboot"], action: .rebootNode)]),
        Case(name: "sticky 79 that did not change in the window is only a note",
             gpu: gauge([79, 79, 79, 79], baseline: 79),
             expected: [ExpectedFinding(.healthy, says: ["no new XID in the last 1 h", "still shows 79"], action: Action.none)]),
        Case(name: "79 that changed 2 h ago (outside the window) is only a note",
             gpu: HealthFixture.gpu(0, [.xidErrors: 79]) {
                 $0.xidHistory = [TimedValue(time: HealthFixture.ago(7200), value: 79), TimedValue(time: HealthFixture.ago(60), value: 79)]
                 $0.xidBaseline = 0
             },
             expected: [ExpectedFinding(.healthy, says: ["still shows 79"])]),
        Case(name: "no baseline: a non-zero first sample counts once",
             gpu: gauge([48, 48], baseline: nil), expected: [ExpectedFinding(.critical, says: ["XID 48 (Double Bit ECC Error)"], action: .resetGPU)]),
        Case(name: "one XID 13 is a healthy event", gpu: gauge([0, 13, 13]),
             expected: [ExpectedFinding(.healthy, says: ["XID 13 (Graphics Engine Exception)", "degraded from 3"], action: .checkWorkload)]),
        Case(name: "three XID 13 by the EXP counter is degraded", gpu: gauge([0, 13, 13], counts: [13: 3]),
             expected: [ExpectedFinding(.degraded, says: ["3 times in the last 1 h", "degraded from 3 in the last 1 h"])]),
        Case(name: "EXP counter alone (no gauge change) still counts", gpu: gauge([13, 13], baseline: 13, counts: [31: 1]),
             expected: [ExpectedFinding(.healthy, says: ["XID 31 (GPU memory page fault) on GPU 0, once in the last 1 h"])]),
        Case(name: "63 is degraded, schedule a reset", gpu: gauge([0, 63]),
             expected: [ExpectedFinding(.degraded, action: .scheduleReset)]),
        Case(name: "94 is degraded, restart the app", gpu: gauge([0, 94]), expected: [ExpectedFinding(.degraded, action: .restartApp)]),
        Case(name: "two codes give two findings", gpu: gauge([0, 31, 0, 95]),
             expected: [ExpectedFinding(.healthy, says: ["XID 31"]), ExpectedFinding(.critical, says: ["XID 95 (Uncontained ECC error)"])]),
        Case(name: "an unknown code is degraded, watch", gpu: gauge([0, 57]),
             expected: [ExpectedFinding(.degraded, says: ["Error programming video memory interface", "not in our XID catalogue"], action: .watch)]),
        Case(name: "blank samples are skipped", gpu: gauge([0, Double(Int64.max - 13), 0]), expected: []),
    ]

    @Test("derives occurrences from changes and classifies them", arguments: cases)
    func table(_ row: Case) {
        let findings = XIDCheck().evaluate(HealthFixture.node([row.gpu]), limits: .default)
        #expect(findingsMatch(findings, row.expected), "\(findings)")
    }

    struct SeverityCase: CustomTestStringConvertible, Sendable {
        var code: Int
        var severity: Severity
        var testDescription: String { "XID \(code) → \(severity)" }
    }

    @Test("catalogue severities follow issue 5", arguments:
        [13, 31, 43, 45].map { SeverityCase(code: $0, severity: .healthy) }
        + [63, 92, 94].map { SeverityCase(code: $0, severity: .degraded) }
        + [48, 64, 74, 79, 95, 119, 120, 140].map { SeverityCase(code: $0, severity: .critical) })
    func catalogue(_ row: SeverityCase) {
        let entry = XIDCatalog.entry(for: row.code)
        #expect(entry.severity == row.severity)
        if row.severity == .healthy { #expect(entry.repeatedSeverity == .degraded && entry.kind == .application) }
    }

    @Test("the same XID is one occurrence per change, not per poll")
    func onePerChange() {
        let gpu = Self.gauge([0, 79, 79, 79, 79, 79, 79, 79])
        let found = XIDCheck.occurrences(gpu, now: HealthFixture.now, windowSeconds: 3600)
        #expect(found.map(\.code) == [79])
        #expect(found.first?.count == 1)
    }

    @Test("a critical XID stops counting once it leaves the window")
    func windowExpiry() {
        var gpu = Self.gauge([0, 79])
        gpu.xidHistory = [TimedValue(time: HealthFixture.ago(3000), value: 0), TimedValue(time: HealthFixture.ago(2900), value: 79), TimedValue(time: HealthFixture.ago(10), value: 79)]
        let inWindow = XIDCheck().evaluate(HealthFixture.node([gpu]), limits: .default)
        #expect(inWindow.first?.severity == .critical)
        var shorter = HealthLimits.default
        shorter.xidWindowSeconds = 1800
        let expired = XIDCheck().evaluate(HealthFixture.node([gpu]), limits: shorter)
        #expect(expired.map(\.severity) == [.healthy])
    }

    @Test("severity overrides from the limits win")
    func override() {
        var limits = HealthLimits.default
        limits.xidSeverity = ["94": .healthy, "13": .critical]
        let findings = XIDCheck().evaluate(HealthFixture.node([Self.gauge([0, 94, 13])]), limits: limits)
        #expect(findings.map(\.severity) == [.critical, .healthy])
    }

    @Test("an absent GPU's XID history is still judged")
    func absentGPU() {
        var gpu = GPUSnapshot(index: 0)
        gpu.xidHistory = HealthFixture.series([0, 79], step: 20)
        gpu.xidBaseline = 0
        let findings = XIDCheck().evaluate(HealthFixture.node([gpu, HealthFixture.gpu(1)], expected: 2), limits: .default)
        #expect(findings.map(\.severity) == [.critical])
    }

    @Test("every code 1…172 has NVIDIA's name")
    func names() {
        #expect(XIDCatalog.name(of: 79) == "GPU has fallen off the bus")
        #expect(XIDCatalog.name(of: 172) == "Uncorrectable SRAM Error")
        #expect(XIDCatalog.name(of: 500) == "unknown XID")
        #expect(Set(XIDCatalog.entries.map(\.code)).count == XIDCatalog.entries.count)
    }
}
