import Agent
import Testing

@Suite("AgentConfiguration")
struct AgentConfigurationTests {
    @Test("durations parse as the flags spell them", arguments: [
        ("1s", Duration.seconds(1)), ("500ms", .milliseconds(500)), ("2m", .seconds(120)), ("1h", .seconds(3600)), ("1.5s", .milliseconds(1500)),
    ])
    func parsesDurations(text: String, expected: Duration) throws {
        #expect(try AgentConfiguration.parseDuration(text, flag: "--interval") == expected)
    }

    @Test("a malformed duration names the flag and the text", arguments: ["", "1", "s", "-1s", "1d", "fast"])
    func rejectsDurations(text: String) {
        let error = #expect(throws: AgentError.self) { try AgentConfiguration.parseDuration(text, flag: "--interval") }
        #expect(error?.description == "--interval must be a duration like 1s, 500ms or 2m, got '\(text)'")
    }

    @Test("intervals out of range are rejected with the bounds")
    func validatesIntervals() {
        let tooFast = #expect(throws: AgentError.self) { try AgentConfiguration(interval: .milliseconds(10)).validate() }
        #expect(tooFast?.description == "--interval must be between 100ms and 1h, got 10ms")
        let counters = #expect(throws: AgentError.self) {
            try AgentConfiguration(interval: .seconds(5), counterInterval: .seconds(1)).validate()
        }
        #expect(counters?.description.hasPrefix("--counter-interval must be at least --interval (5s)") == true)
        #expect(throws: Never.self) { try AgentConfiguration().validate() }
    }

    @Test("a server URL is refused until enrolment exists, rather than ignored")
    func refusesServer() {
        #expect(throws: AgentError.self) { try AgentConfiguration(serverURL: "https://factory.example").validate() }
    }
}
