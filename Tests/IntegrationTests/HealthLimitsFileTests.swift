import Fleet
import Foundation
import Stack
import Testing

/// `--health-limits`: a partial YAML file over the documented defaults, refused loudly when wrong.
@Suite("health limits file")
struct HealthLimitsFileTests {
    @Test("an empty file keeps every default")
    func empty() throws {
        #expect(try HealthLimitsFile.parse("", file: "limits.yml") == .default)
        #expect(try HealthLimitsFile.parse("# nothing overridden\n", file: "limits.yml") == .default)
    }

    @Test("keys given override the default, per class too")
    func overrides() throws {
        let limits = try HealthLimitsFile.parse("""
            temperatureWarnCelsius: 80
            xidSeverity: {"94": healthy}
            classes:
              ada-16: {temperatureCriticalCelsius: 84}
            """, file: "limits.yml")
        #expect(limits.temperatureWarnCelsius == 80)
        #expect(limits.temperatureCriticalCelsius == HealthLimits.default.temperatureCriticalCelsius)
        #expect(limits.xidSeverityOverride(94) == .healthy)
        #expect(limits.resolved(forClass: "ada-16").temperatureCriticalCelsius == 84)
        #expect(limits.resolved(forClass: "h100-80").temperatureCriticalCelsius == 90)
    }

    @Test("problems name the file and the key or line", arguments: [
        ("temperatureWarnCelsius: 80\ntemperatureWarnCelcius: 70\n", "temperatureWarnCelcius"),
        ("temperatureWarnCelsius: hot\n", "temperatureWarnCelsius: expected a number"),
        ("classes:\n  ada-16: {idleVramFraction: 0.5}\n", "idleVramFraction"),
        ("temperatureWarnCelsius: 95\n", "temperatureWarnCelsius is above temperatureCriticalCelsius"),
        ("classes:\n  ada-16: {temperatureCriticalCelsius: 70}\n", "classes.ada-16: temperatureWarnCelsius is above"),
        ("xidRepeatThreshold: 0\n", "xidRepeatThreshold must be at least 1"),
        ("temperatureWarnCelsius: [1\n", "limits.yml:"),
        ("- 1\n- 2\n", "must be a mapping"),
    ])
    func refused(yaml: String, expected: String) {
        do {
            let limits = try HealthLimitsFile.parse(yaml, file: "limits.yml")
            Issue.record("accepted \(yaml.debugDescription) as \(limits)")
        } catch {
            #expect(error.description.hasPrefix("limits.yml"), "\(error)")
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test("serve and demo refuse a bad file before starting anything: exit 2, one line")
    func cliRefuses() async throws {
        guard let binary = ProcessRunner.aifactoryBinary else {
            Issue.record("aifactory binary not built (run swift build --build-tests)")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aif-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("limits.yml").path
        try "temperatureWarnCelsius: 91\n".write(toFile: path, atomically: true, encoding: .utf8)
        let missing = dir.appendingPathComponent("absent.yml").path
        for (file, expected) in [(path, "temperatureWarnCelsius is above"), (missing, "cannot read the file")] {
            for arguments in [
                ["serve", "--listen", "127.0.0.1:0", "--state-dir", dir.path + "/serve", "--health-limits", file],
                ["demo", "--state-dir", dir.path + "/demo", "--port", "0", "--health-limits", file],
            ] {
                let result = try await ProcessRunner.run(binary, arguments, timeout: 30)
                #expect(result.status == 2, "\(arguments[0]): \(result.output)")
                #expect(result.stderr.hasPrefix("error: --health-limits \(file)"), "\(arguments[0]): \(result.stderr)")
                #expect(result.stderr.contains(expected), "\(arguments[0]): \(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/demo/prometheus.log"), "nothing may start")
    }
}
