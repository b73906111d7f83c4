import Fleet
import Foundation
@testable import Gateway
import Store
import Testing

/// A node drained in the store (by its agent before a diagnostic, or by an admin) gets no new
/// requests from any gateway on that store within a second, and gets them again once restored.
@Suite("Gateway follows the store's drains", .serialized)
struct StoreDrainTests {
    @Test("drained in the store: nothing new reaches it; restored: it takes requests again")
    func storeDrain() async throws {
        try await GatewayTests.with { upstream, _, world, base in
            let key = world.keys["umbrella-1"]
            #expect(try await GatewayTests.post(base, key: key, GatewayTests.chat).status == 200)
            #expect(upstream.count("up-a") == 1, "idle pool: by name")

            #expect(try await world.store.setNodeDrain(node: "up-a", reason: "diagnostic run d_1", at: Date()))
            try await Task.sleep(for: .milliseconds(1100))  // the gateway reads drains at most every second
            for _ in 0..<3 { #expect(try await GatewayTests.post(base, key: key, GatewayTests.chat).status == 200) }
            #expect(upstream.count("up-a") == 1 && upstream.count("up-b") == 3, "nothing new reaches the drained node")

            #expect(try await world.store.setNodeDrain(node: "up-a", reason: nil, at: Date()))
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await GatewayTests.post(base, key: key, GatewayTests.chat).status == 200)
            #expect(upstream.count("up-a") == 2, "restored")

            // Both nodes drained: the pool has no node to take it, an OpenAI-shaped 503.
            _ = try await world.store.setNodeDrain(node: "up-a", reason: "x", at: Date())
            _ = try await world.store.setNodeDrain(node: "up-b", reason: "x", at: Date())
            try await Task.sleep(for: .milliseconds(1100))
            let none = try await GatewayTests.post(base, key: key, GatewayTests.chat)
            #expect(none.status >= 500 && none.error?["message"] is String, "\(none.status) \(none.body)")
        }
    }
}
