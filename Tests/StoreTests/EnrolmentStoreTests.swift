import Fleet
import Foundation
@testable import Store
import Testing

/// Enrolment tokens and agent credentials, on SQLite and PostgreSQL alike.
@Suite("Enrolment store")
struct EnrolmentStoreTests {
    /// What the agent reports at enrolment; the holding is the token's, whatever this says.
    static func enrolling(_ name: String) -> NodeRecord {
        NodeRecord(name: name, host: "\(name).lab.example", dcgmAddress: "\(name).lab.example:9400",
                   gpuModel: "NVIDIA H200", gpuCount: 1, gpuMemoryMiB: 143_771, gpuClass: "h200-141",
                   gpuUUIDs: ["GPU-8c1f3a52-1b6e-4a8e-9d1c-2f5b7e9a4c31"], holding: .dedicated(tenant: "globex"))
    }

    static func enrolmentError(_ body: () async throws -> Void) async -> EnrolmentError? {
        do {
            try await body()
            Issue.record("expected an EnrolmentError, got success")
            return nil
        } catch let error as EnrolmentError {
            return error
        } catch {
            Issue.record("expected an EnrolmentError, got \(error)")
            return nil
        }
    }

    @Test("a token registers its node once, held as the token says; a second redeem fails and changes nothing", arguments: Backend.allCases)
    func redeemOnce(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let (record, token) = try await store.createEnrolmentToken(
                tenant: "acme", pool: "shared", createdBy: "op", expiresAt: Date().addingTimeInterval(3600),
                audit: AuditNote(actor: "op", action: "node.enroll-token"))
            #expect(token.hasPrefix("aife_") && token.count == 69)
            #expect(try await store.auditLog(limit: 1).first?.target == record.id)
            let now = Date()
            let (node, credential) = try await store.redeemEnrolmentToken(
                token, node: Self.enrolling("h200-a"), agentVersion: "1.2.3", heartbeatSeconds: 15, now: now)
            #expect(node.holding == .contributed(provider: "acme", pool: "shared"))
            #expect(credential.hasPrefix("aifn_"))
            let stored = try #require(try await store.node(named: "h200-a"))
            #expect(stored.holding == .contributed(provider: "acme", pool: "shared"))
            #expect(stored.agent?.version == "1.2.3")
            #expect(stored.agent?.intervalSeconds == 15)
            #expect(try await store.enrolmentTokens(tenant: "acme").first?.node == "h200-a")
            #expect(try await store.enrolmentTokens(tenant: "acme").first?.usedAt != nil)

            let second = await Self.enrolmentError {
                _ = try await store.redeemEnrolmentToken(
                    token, node: Self.enrolling("h200-b"), agentVersion: "1.2.3", heartbeatSeconds: 15, now: Date())
            }
            guard case .usedToken? = second else { Issue.record("expected usedToken, got \(String(describing: second))"); return }
            #expect(try await store.node(named: "h200-b") == nil)
            #expect(try await store.nodes().map(\.name) == ["h200-a"])
        }
    }

    @Test("concurrent redeems of one token register exactly one node", arguments: Backend.allCases)
    func concurrentRedeem(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let (_, token) = try await store.createEnrolmentToken(
                tenant: "acme", pool: nil, createdBy: "op", expiresAt: Date().addingTimeInterval(3600), audit: nil)
            let successes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        (try? await store.redeemEnrolmentToken(
                            token, node: Self.enrolling("race-\(index)"), agentVersion: "1", heartbeatSeconds: 10, now: Date())) != nil
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(successes == 1)
            #expect(try await store.nodes().count == 1)
        }
    }

    @Test("an expired or unknown token registers nothing", arguments: Backend.allCases)
    func expiredAndUnknown(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let (_, token) = try await store.createEnrolmentToken(
                tenant: "acme", pool: nil, createdBy: "op", expiresAt: Date().addingTimeInterval(60), audit: nil)
            let late = await Self.enrolmentError {
                _ = try await store.redeemEnrolmentToken(
                    token, node: Self.enrolling("late"), agentVersion: "1", heartbeatSeconds: 10, now: Date().addingTimeInterval(120))
            }
            guard case .expiredToken? = late else { Issue.record("expected expiredToken, got \(String(describing: late))"); return }
            let forged = "aife_" + String(repeating: "0", count: 64)
            #expect(await Self.enrolmentError {
                _ = try await store.redeemEnrolmentToken(forged, node: Self.enrolling("x"), agentVersion: "1", heartbeatSeconds: 10, now: Date())
            } == .unknownToken)
            #expect(await Self.enrolmentError {
                _ = try await store.redeemEnrolmentToken("not-a-token", node: Self.enrolling("x"), agentVersion: "1", heartbeatSeconds: 10, now: Date())
            } == .unknownToken)
            #expect(try await store.nodes().isEmpty)
            // The expired attempt did not consume the token.
            #expect(try await store.enrolmentTokens(tenant: nil).first?.usedAt == nil)
        }
    }

    @Test("invalid node fields or a taken name leave the token unused", arguments: Backend.allCases)
    func invalidLeavesTokenUnused(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            _ = try await store.registerNode(.fixture("taken"))
            let (_, token) = try await store.createEnrolmentToken(
                tenant: "acme", pool: nil, createdBy: "op", expiresAt: Date().addingTimeInterval(600), audit: nil)
            var bad = Self.enrolling("fine")
            bad.dcgmAddress = "no port"
            #expect(await storeError {
                _ = try await store.redeemEnrolmentToken(token, node: bad, agentVersion: "1", heartbeatSeconds: 10, now: Date())
            }?.invalidField == "dcgmAddress")
            #expect(await storeError {
                _ = try await store.redeemEnrolmentToken(token, node: Self.enrolling("taken"), agentVersion: "1", heartbeatSeconds: 10, now: Date())
            } == .duplicate(entity: "node", name: "taken"))
            #expect(try await store.enrolmentTokens(tenant: "acme").first?.usedAt == nil)
            _ = try await store.redeemEnrolmentToken(token, node: Self.enrolling("fine"), agentVersion: "1", heartbeatSeconds: 10, now: Date())
        }
    }

    @Test("tokens need an existing tenant and pool and a future expiry", arguments: Backend.allCases)
    func tokenValidation(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let future = Date().addingTimeInterval(600)
            #expect(await storeError {
                _ = try await store.createEnrolmentToken(tenant: "nobody", pool: nil, createdBy: "op", expiresAt: future, audit: nil)
            }?.invalidField == "tenant")
            #expect(await storeError {
                _ = try await store.createEnrolmentToken(tenant: "acme", pool: "nowhere", createdBy: "op", expiresAt: future, audit: nil)
            }?.invalidField == "pool")
            #expect(await storeError {
                _ = try await store.createEnrolmentToken(tenant: "acme", pool: nil, createdBy: "op", expiresAt: Date().addingTimeInterval(-1), audit: nil)
            }?.invalidField == "expiresAt")
            #expect(try await store.enrolmentTokens(tenant: nil).isEmpty)
        }
    }

    @Test("the node credential authenticates its node, others do not; a heartbeat is recorded", arguments: Backend.allCases)
    func credentialAndHeartbeat(backend: Backend) async throws {
        try await withStore(backend) { db in
            let store = db.store
            try await store.seedBasics()
            let enrolled = Date(timeIntervalSince1970: 1_900_000_000)
            let (_, token) = try await store.createEnrolmentToken(
                tenant: "acme", pool: nil, createdBy: "op", expiresAt: enrolled.addingTimeInterval(600), audit: nil)
            let (_, credential) = try await store.redeemEnrolmentToken(
                token, node: Self.enrolling("h200-a"), agentVersion: "1.0.0", heartbeatSeconds: 30, now: enrolled)
            #expect(try await store.authenticateNode(credential: credential) == "h200-a")
            #expect(try await store.authenticateNode(credential: "aifn_" + String(repeating: "a", count: 64)) == nil)
            #expect(try await store.authenticateNode(credential: token) == nil)
            #expect(try await store.node(named: "h200-a")?.agent?.lastSeen == enrolled)

            let beat = enrolled.addingTimeInterval(45)
            try await store.recordHeartbeat(node: "h200-a", agentVersion: "1.0.1", intervalSeconds: 20, now: beat)
            #expect(try await store.node(named: "h200-a")?.agent == NodeAgent(version: "1.0.1", lastSeen: beat, intervalSeconds: 20))
            #expect(await storeError {
                try await store.recordHeartbeat(node: "h200-a", agentVersion: "1.0.2", intervalSeconds: 0, now: beat)
            }?.invalidField == "intervalSeconds")
            #expect(try await store.node(named: "h200-a")?.agent?.version == "1.0.1")
            _ = try await store.registerNode(.fixture("by-hand"))
            #expect(try await store.node(named: "by-hand")?.agent == nil)
            #expect(await storeError {
                try await store.recordHeartbeat(node: "by-hand", agentVersion: "1", intervalSeconds: 10, now: beat)
            } == .notFound(entity: "node agent", id: "by-hand"))
        }
    }

    @Test("a heartbeat through the caching store is visible on the next node read")
    func cachingStoreHeartbeat() async throws {
        try await withStore(.sqlite) { db in
            let store = CachingStore(db.store, timeToLive: .seconds(60))
            try await store.seedBasics()
            let (_, token) = try await store.createEnrolmentToken(
                tenant: "acme", pool: nil, createdBy: "op", expiresAt: Date().addingTimeInterval(600), audit: nil)
            _ = try await store.nodes()
            _ = try await store.redeemEnrolmentToken(token, node: Self.enrolling("h200-a"), agentVersion: "1", heartbeatSeconds: 30, now: Date())
            #expect(try await store.nodes().map(\.name) == ["h200-a"])
            let later = Date().addingTimeInterval(5)
            try await store.recordHeartbeat(node: "h200-a", agentVersion: "2", intervalSeconds: 30, now: later)
            #expect(try await store.nodes().first?.agent?.version == "2")
        }
    }
}
