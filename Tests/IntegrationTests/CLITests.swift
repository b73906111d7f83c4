import Foundation
import Stack
import Testing

/// The command line's promises about bad input: one line, stable exit codes, no stack traces.
@Suite("aifactory CLI errors")
struct CLITests {
    @Test("an occupied port gives a one-line error and exit 1")
    func occupiedPort() async throws {
        guard let binary = ProcessRunner.aifactoryBinary else {
            Issue.record("aifactory binary not built (run swift build --build-tests)")
            return
        }
        // Occupy a port with a listening socket held by this test process.
        let holder = try ListeningSocket()
        defer { holder.close() }
        let result = try await ProcessRunner.run(binary, ["serve", "--listen", "127.0.0.1:\(holder.port)"], timeout: 30)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").filter { !$0.contains("[") || $0.hasPrefix("error:") }
        #expect(lines == ["error: cannot listen on 127.0.0.1:\(holder.port): address already in use"], "stderr: \(result.stderr)")
        #expect(!result.output.contains("Fatal error"))
    }

    @Test("the demo refuses an occupied port before starting anything")
    func demoOccupiedPort() async throws {
        guard let binary = ProcessRunner.aifactoryBinary else { return }
        let holder = try ListeningSocket()
        defer { holder.close() }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let result = try await ProcessRunner.run(binary, ["demo", "--state-dir", state, "--port", "\(holder.port)"], timeout: 30)
        #expect(result.status == 1)
        #expect(result.stderr.hasSuffix("error: cannot listen on 127.0.0.1:\(holder.port): address already in use\n"), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: state + "/prometheus.log"), "nothing may start")
    }

    @Test("demo refuses a --history that is not a duration up to 7d, or one beside --victoria-metrics, naming the flag")
    func badHistory() async throws {
        guard let binary = ProcessRunner.aifactoryBinary else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        for (arguments, message) in [
            (["--history", "8d"], "--history must be a duration from 1s to 7d"),
            (["--history", "soon"], "--history must be a duration from 1s to 7d"),
            (["--history", "0s"], "--history must be a duration from 1s to 7d"),
            (["--history", "1h", "--victoria-metrics"], "--history writes Prometheus's own TSDB"),
        ] {
            let result = try await ProcessRunner.run(binary, ["demo", "--state-dir", state, "--port", "0"] + arguments, timeout: 30)
            #expect(result.status == 64, "\(arguments): \(result.output)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: state + "/prometheus.log"), "nothing may start")
    }

    @Test("serve refuses an --alertmanager-url that is not an http(s) URL, naming the flag")
    func badAlertmanagerURL() async throws {
        guard let binary = ProcessRunner.aifactoryBinary else { return }
        for bad in ["ftp://127.0.0.1:9093", "127.0.0.1:9093", "http://"] {
            let result = try await ProcessRunner.run(binary, ["serve", "--listen", "127.0.0.1:0", "--alertmanager-url", bad], timeout: 30)
            #expect(result.status == 64, "\(bad): \(result.output)")
            #expect(result.stderr.contains("--alertmanager-url: '\(bad)' is not an http(s) URL"), "\(bad): \(result.stderr)")
        }
    }

    @Test("a malformed fleet file exits 2 with file:line")
    func malformedFleet() async throws {
        guard let binary = ProcessRunner.aifactoryBinary else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aif-fleet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("fleet.yaml").path
        try "nodes:\n  - name: n1\n    host: h1\n    gpuCount: -3\n".write(toFile: path, atomically: true, encoding: .utf8)
        for arguments in [["demo", "--state-dir", dir.path + "/s", "--port", "0", "--fleet", path], ["simulate", "--listen", "127.0.0.1:0", "--fleet", path]] {
            let result = try await ProcessRunner.run(binary, arguments, timeout: 30)
            #expect(result.status == 2, "\(arguments[0]): \(result.output)")
            #expect(result.stderr.hasPrefix(path + ":"), "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }
}

/// A TCP listener on 127.0.0.1 with a kernel-chosen port, held open for the test.
final class ListeningSocket {
    let fd: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(descriptor, 1) == 0 else {
            Glibc.close(descriptor)
            throw TestFailure("cannot bind a test socket")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        fd = descriptor
        port = Int(UInt16(bigEndian: actual.sin_port))
    }

    func close() { Glibc.close(fd) }
}
