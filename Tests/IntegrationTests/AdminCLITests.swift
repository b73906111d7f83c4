import Foundation
import Simulator
import Stack
import TestSupport
import Testing

/// `aifactory admin …` against a running demo: the CLI goes through the admin API.
@Suite("aifactory admin", .serialized)
struct AdminCLITests {
    @Test("create, duplicate, unknown node, connection check and bootstrap behave as documented")
    func adminFlow() async throws {
        guard ExternalTool.require("prometheus") != nil, let binary = ProcessRunner.aifactoryBinary else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("aif-admin-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let configuration = DemoConfiguration(stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(1))
        try await withDemoStack(configuration) { credentials in
            let operatorKey = try #require(credentials.tenants.first { $0.role == "operator" }?.apiKey)
            let ownerKey = try #require(credentials.tenants.first { $0.tenant == "acme" }?.apiKey)
            let env = ["AIFACTORY_URL": credentials.url, "AIFACTORY_KEY": operatorKey]

            let created = try await ProcessRunner.run(binary, ["admin", "tenant", "create", "newco"], environment: env)
            #expect(created.status == 0, "\(created.output)")
            #expect(created.stdout.contains("\"name\" : \"newco\""))
            let duplicate = try await ProcessRunner.run(binary, ["admin", "tenant", "create", "newco"], environment: env)
            #expect(duplicate.status == 2)
            #expect(duplicate.stderr == "error: 409: tenant 'newco' already exists\n")
            let member = try await ProcessRunner.run(binary, ["admin", "tenant", "list"], environment: ["AIFACTORY_URL": credentials.url, "AIFACTORY_KEY": ownerKey])
            #expect(member.status == 2)
            #expect(member.stderr.hasPrefix("error: 403:"))
            let unknown = try await ProcessRunner.run(binary, ["admin", "node", "check", "no-such-node"], environment: env)
            #expect(unknown.status == 2)
            #expect(unknown.stderr == "error: 404: node not found\n")

            var checked = false
            let deadline = ContinuousClock.now + .seconds(30)
            while !checked, ContinuousClock.now < deadline {
                let check = try await ProcessRunner.run(binary, ["admin", "node", "check", "acme-h100-1"], environment: env)
                checked = check.status == 0 && check.stdout.contains("\"ok\" : true")
                if !checked { try await Task.sleep(for: .milliseconds(500)) }
            }
            #expect(checked, "the connection check never reported ok")
        }

        // Bootstrap writes straight to the store; the key it prints authenticates as an operator.
        let boot = try await ProcessRunner.run(binary, ["admin", "bootstrap", "--state-dir", state, "--name", "root"])
        #expect(boot.status == 0, "\(boot.output)")
        let key = boot.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(key.hasPrefix("aif_"))
    }
}
