import Testing
@testable import LoadTest

@Suite struct LoadTestVersionTests {
    @Test func namesTheTool() {
        #expect(LoadTestVersion.name == "aifactory-loadtest")
    }
}
