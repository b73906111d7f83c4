import Agent
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
import Simulator
@testable import Stack
import TestSupport
import Testing

/// Issue 16 end to end: an enrolment token, `aifactory agent` on the stand-in NVML library as a
/// child process, service discovery, a real Prometheus scrape, the tenant's overview, an XID that
/// turns the node Critical, and a token that cannot be used twice.
@Suite("Node enrolment", .serialized)
struct EnrolmentTests {
    static func post(_ url: String, bearer: String?, json: [String: Any]) async throws -> (status: Int, body: [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:])
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    @Test("token → agent enrols → listed in SD → scraped → acme's overview shows it → XID turns it Critical; the token works once")
    func enrolEndToEnd() async throws {
        guard ExternalTool.require("prometheus") != nil, let binary = ProcessRunner.aifactoryBinary else { return }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aif-enrol-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let state = scratch + "/demo"
        let agentState = scratch + "/agent"
        let xidFile = scratch + "/xid"
        let library = try await StandInLibrary().build(into: scratch + "/standin")
        let configuration = DemoConfiguration(stateDirectory: state, port: 0, fleet: FleetFile.demo, scrapeInterval: .seconds(1))
        try await withDemoStack(configuration) { credentials in
            let operatorKey = try #require(credentials.tenants.first { $0.role == "operator" }?.apiKey)
            let acmeKey = try #require(credentials.tenants.first { $0.tenant == "acme" }?.apiKey)

            // The admin CLI mints the token through the admin API.
            let minted = try await ProcessRunner.run(
                binary, ["admin", "node", "enroll-token", "--tenant", "acme", "--ttl", "10m"],
                environment: ["AIFACTORY_URL": credentials.url, "AIFACTORY_KEY": operatorKey])
            #expect(minted.status == 0, "\(minted.output)")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(minted.stdout.utf8)) as? [String: Any])
            let token = try #require(answer["token"] as? String)
            #expect((answer["command"] as? String)?.contains("--enroll-token \(token)") == true)

            let arguments = [
                "agent", "--server", credentials.url, "--enroll-token", token, "--listen", "127.0.0.1:0",
                "--state-dir", agentState, "--nvml-library", library, "--node-name", "acme-agent-1", "--interval", "500ms",
            ]
            let agent = try ChildProcess(name: "agent", executable: binary, arguments: arguments, logPath: scratch + "/agent.log",
                                         environment: ["NVML_STANDIN_XID_FILE": xidFile])
            var stopped = false
            defer { if !stopped { agent.requestStop(grace: .seconds(5)) } }

            let credentialPath = agentState + "/credential.json"
            let enrolled = try await PrometheusHTTP.eventually(timeout: .seconds(30)) { FileManager.default.fileExists(atPath: credentialPath) }
            #expect(enrolled, "the agent never stored a credential: \(agent.logTail(lines: 10))")
            #expect(Self.mode(credentialPath) == 0o600)
            #expect(Self.mode(agentState) == 0o700)

            // Listed in service discovery at once, with the tenant's labels.
            let sdToken = try String(contentsOfFile: state + "/sd-token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let sd = try JSONSerialization.jsonObject(with: try await PrometheusHTTP.get(credentials.url + "/sd/prometheus?exporter=dcgm", bearer: sdToken)) as? [[String: Any]] ?? []
            let group = try #require(sd.first { ($0["labels"] as? [String: String])?["node"] == "acme-agent-1" })
            #expect((group["labels"] as? [String: String])?["tenant"] == "acme")
            #expect((group["labels"] as? [String: String])?["gpu_class"] == "h200-141")

            // Prometheus scrapes the agent (SD refresh is the scrape interval, 1 s).
            let scraped = try await PrometheusHTTP.eventually(timeout: .seconds(60)) {
                try await PrometheusHTTP.query(credentials.prometheusURL, #"DCGM_FI_DEV_GPU_TEMP{node="acme-agent-1",tenant="acme"}"#).first?.value == 38
            }
            #expect(scraped, "Prometheus never scraped the agent: \(agent.logTail(lines: 10))")

            func card() async throws -> [String: Any]? {
                let overview = try JSONSerialization.jsonObject(with: try await PrometheusHTTP.get(credentials.url + "/api/v1/factory/overview", bearer: acmeKey)) as? [String: Any]
                return (overview?["nodes"] as? [[String: Any]])?.first { $0["id"] as? String == "acme-agent-1" }
            }
            let shown = try await PrometheusHTTP.eventually(timeout: .seconds(30)) { try await card()?["agentVersion"] as? String == AgentVersion.current }
            #expect(shown, "acme's overview does not show the enrolled node")
            let before = try await card()?["health"] as? String
            #expect(before != "critical")

            // The stand-in delivers XID 79 (fallen off the bus) to GPU 0 → the node turns Critical.
            try "0 79\n".write(toFile: xidFile, atomically: true, encoding: .utf8)
            let critical = try await PrometheusHTTP.eventually(timeout: .seconds(60)) { try await card()?["health"] as? String == "critical" }
            let last = try? await card()
            #expect(critical, "the node never turned critical: \(String(describing: last))")

            // The used token cannot enrol another node.
            let again = try await Self.post(credentials.url + "/api/v1/agent/enroll", bearer: nil, json: [
                "token": token, "name": "acme-agent-2", "host": "x", "gpuModel": "NVIDIA H200", "gpuCount": 1,
                "gpuMemoryMiB": 143_771, "address": "127.0.0.1:9", "agentVersion": "x",
            ])
            #expect(again.status == 401)
            #expect(((again.body["error"] as? [String: Any])?["message"] as? String)?.contains("already used") == true)

            // A restart with the same (used) token finds its credential and does not enrol again.
            #expect(await agent.terminate(grace: .seconds(10)) == 0, "\(agent.logTail(lines: 10))")
            stopped = true
            let restarted = try ChildProcess(name: "agent", executable: binary, arguments: arguments, logPath: scratch + "/agent2.log")
            let resumed = try await PrometheusHTTP.eventually(timeout: .seconds(30)) {
                (try? String(contentsOfFile: scratch + "/agent2.log", encoding: .utf8))?.contains("already enrolled") == true
            }
            #expect(resumed, "\(restarted.logTail(lines: 10))")
            #expect(await restarted.terminate(grace: .seconds(10)) == 0, "\(restarted.logTail(lines: 10))")
            let log = (try? String(contentsOfFile: scratch + "/agent2.log", encoding: .utf8)) ?? ""
            #expect(!log.contains("enrolment failed"), "\(log)")
        }
    }
}
