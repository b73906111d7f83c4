/// The scenarios every fleet file can name without defining them.
///
/// Kept as YAML text (the same format `--scenario FILE` reads) so the built-ins double as examples
/// and go through the same parser and validation. Fault onsets are at 90 s or later: a freshly
/// started demo first shows every target up and every tenant's full GPU count, then the faults
/// appear and persist.
public enum BuiltinScenarios {
    /// Label used as the file name in errors about built-in scenarios.
    public static let file = "<built-in scenarios>"

    /// The YAML source of every built-in scenario.
    public static let yaml = """
    - name: thermal-excursion
      description: GPU 0 runs above 85 °C from about 2.5 min on (sustained), then reaches 92 °C at 8.5 min (SW thermal clock events from 88 °C).
      steps:
        - {at: 90s, event: thermal, gpu: 0, celsius: 87, ramp: 60s}
        - {at: 8m, event: thermal, gpu: 0, celsius: 92, ramp: 30s}
    - name: xid-79
      description: GPU 0 reports XID 79 at 90 s and falls off the bus 20 s later; all its series vanish, other GPUs keep reporting.
      steps:
        - {at: 90s, event: xid, gpu: 0, code: 79}
        - {at: 110s, event: fall-off-bus, gpu: 0}
    - name: xid-13
      description: GPU 0 reports XID 13 (graphics engine exception, an application error) three times, a minute apart.
      steps:
        - {at: 90s, event: xid, gpu: 0, code: 13}
        - {at: 150s, event: xid, gpu: 0, code: 13}
        - {at: 210s, event: xid, gpu: 0, code: 13}
    - name: ecc-dbe
      description: GPU 0 takes one double-bit ECC error at 90 s; the DBE counter goes up exactly once and XID 48 appears.
      steps:
        - {at: 90s, event: ecc-sbe, gpu: 0, count: 4}
        - {at: 95s, event: ecc-dbe, gpu: 0}
    - name: pcie-downgrade
      description: GPU 0's PCIe link trains down at 90 s (two generations lower, half the lanes) and replays start counting.
      steps:
        - {at: 90s, event: pcie-downgrade, gpu: 0}
    - name: hw-slowdown
      description: GPU 0 reports the HW_SLOWDOWN clock event (0x8) from 90 s on; its SM clock halves.
      steps:
        - {at: 90s, event: clock-event, gpu: 0, reasons: [hw_slowdown]}
    - name: missing-fields
      description: The exporter runs the stock CSV, so the ECC counters and DCGM_FI_PROF_SM_ACTIVE are absent from the start.
      steps:
        - {at: 0s, event: missing-fields}
    - name: exporter-down
      description: The node's exporters answer 503 for 2 minutes every 5 minutes, starting at 90 s (Prometheus records up=0).
      steps:
        - {at: 90s, event: exporter-down, duration: 2m, every: 5m}
    - name: idle-vllm
      description: vLLM holds about 90 % of VRAM with no traffic (0 % utilisation); healthy, not a leak.
      steps:
        - {at: 0s, event: workload, profile: idle-vllm}
    """

    /// The parsed built-ins, by name. The YAML is covered by tests, so a parse failure here is a
    /// programming error; it yields an empty table rather than a crash.
    public static let all: [String: Scenario] = {
        guard let list = try? ScenarioFile.parse(yaml: yaml, file: file) else { return [:] }
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()

    /// Built-in names in file order.
    public static var names: [String] {
        ["thermal-excursion", "xid-79", "xid-13", "ecc-dbe", "pcie-downgrade", "hw-slowdown", "missing-fields", "exporter-down", "idle-vllm"]
    }
}
