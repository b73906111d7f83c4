import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import NIOCore
import NIOPosix
@testable import Server
import Testing

/// `serve` runs each connection's handler on that connection's event loop
/// (`EventLoopBoundHTTP1Channel`, docs/ARCHITECTURE.md "Departures from the default stack").
/// Nothing breaks if that silently stops — only every relayed `/prometheus` read gets slower — so
/// this checks where a handler and what it awaits actually run, beside Hummingbird's plain HTTP/1
/// server as the control.
@Suite("Handlers on the connection's event loop")
struct EventLoopBoundChannelTests {
    /// Where a handler ran: on an event loop at all, and on the same one after a suspension and
    /// in a child task.
    static func report() async -> String {
        let first = MultiThreadedEventLoopGroup.currentEventLoop
        try? await Task.sleep(for: .milliseconds(2))
        let afterSleep = MultiThreadedEventLoopGroup.currentEventLoop
        let inChild = await withTaskGroup(of: (any EventLoop)?.self) { group in
            group.addTask { MultiThreadedEventLoopGroup.currentEventLoop }
            return await group.next() ?? nil
        }
        let same = first != nil && afterSleep === first && inChild === first
        return "on a loop: \(first != nil), same loop throughout: \(same)"
    }

    static func application(_ server: HTTPServerBuilder) -> some ApplicationProtocol {
        let router = Router()
        router.get("where") { _, _ -> String in await report() }
        return Application(router: router, server: server, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test("a handler, its suspensions and its child tasks run on its connection's event loop; Hummingbird's own HTTP/1 server runs them off it")
    func handlerStaysOnItsLoop() async throws {
        try await Self.application(.eventLoopBoundHTTP1()).test(.live) { client in
            for _ in 0..<3 {
                let response = try await client.execute(uri: "/where", method: .get)
                #expect(String(buffer: response.body) == "on a loop: true, same loop throughout: true")
            }
        }
        try await Self.application(.http1()).test(.live) { client in
            let response = try await client.execute(uri: "/where", method: .get)
            #expect(String(buffer: response.body) == "on a loop: false, same loop throughout: false")
        }
    }
}
