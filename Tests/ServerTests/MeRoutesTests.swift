import Fleet
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import Store

@Suite("GET /api/v1/me")
struct MeRoutesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var person: String
        var role: String
        var isAdmin: Bool
        var isOperator: Bool
        var relationshipKinds: [String]
        var testDescription: String { person }
    }

    @Test("each person resolves to its tenant's role and relationships", arguments: [
        Case(person: "acme-admin", role: "owner", isAdmin: true, isOperator: false, relationshipKinds: ["owner"]),
        Case(person: "acme-member", role: "owner", isAdmin: false, isOperator: false, relationshipKinds: ["owner"]),
        Case(person: "globex-member", role: "provider", isAdmin: false, isOperator: false, relationshipKinds: ["provider"]),
        Case(person: "umbrella-member", role: "consumer", isAdmin: false, isOperator: false, relationshipKinds: ["consumer"]),
        Case(person: "hooli-admin", role: "none", isAdmin: true, isOperator: false, relationshipKinds: []),
        Case(person: "operator", role: "none", isAdmin: true, isOperator: true, relationshipKinds: []),
    ])
    func roles(_ row: Case) async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys[row.person]))
            #expect(response.status == .ok)
            let me = response.object
            #expect(me["role"] as? String == row.role)
            #expect(me["isAdmin"] as? Bool == row.isAdmin)
            #expect(me["isOperator"] as? Bool == row.isOperator)
            let kinds = (me["relationships"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds == row.relationshipKinds)
            #expect((me["user"] as? [String: Any])?["name"] as? String == row.person)
        }
        await fleet.close()
    }

    @Test("a consumer's /me names its pool and plan but no provider node")
    func consumerSeesNoHardware() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys["umbrella-admin"]))
            #expect(response.text.contains("shared"))
            #expect(response.text.contains("starter"))
            #expect(!response.text.contains("globex"))
            #expect(response.object["gpuClasses"] as? [String] == ["ada-16"])
        }
        await fleet.close()
    }

    @Test("the role follows every relationship change: none → consumer → owner → provider")
    func roleFollowsRelationships() async throws {
        let fleet = try await TestFleet.make()
        let app = Application(router: buildRouter(ServerConfiguration(), dependencies: fleet.dependencies()))
        try await app.test(.router) { client in
            func role() async throws -> String? {
                try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys["hooli-member"])).object["role"] as? String
            }
            #expect(try await role() == "none")
            _ = try await fleet.store.createSubscription(tenant: "hooli", pool: "shared", plan: "pro", tokenQuota: 10, period: "month")
            #expect(try await role() == "consumer")
            _ = try await fleet.store.registerNode(TestFleet.node("hooli-1", holding: .dedicated(tenant: "hooli")))
            #expect(try await role() == "owner")
            _ = try await fleet.store.registerNode(TestFleet.node("hooli-2", holding: .contributed(provider: "hooli", pool: "shared")))
            #expect(try await role() == "provider")
            let kinds = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(fleet.keys["hooli-member"]))
                .object["relationships"] as? [[String: Any]]
            #expect(Set((kinds ?? []).compactMap { $0["kind"] as? String }) == ["consumer", "owner", "provider"])
        }
        await fleet.close()
    }
}
