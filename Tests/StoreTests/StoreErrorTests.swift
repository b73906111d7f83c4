import Store
import Testing

@Suite("StoreError")
struct StoreErrorTests {
    @Test("user messages name the entity and field, never SQL")
    func messages() {
        #expect(StoreError.duplicate(entity: "tenant", name: "acme").userMessage == "tenant 'acme' already exists")
        #expect(StoreError.notFound(entity: "node", id: "n1").userMessage == "node 'n1' not found")
        #expect(StoreError.invalid(field: "gpuCount", reason: "must be greater than 0").userMessage
            == "invalid gpuCount: must be greater than 0")
    }
}

@Suite("StoreFactory")
struct StoreFactoryTests {
    @Test("the default SQLite file lives in the state directory")
    func defaultPath() {
        #expect(StoreFactory.defaultSQLitePath(stateDirectory: "/var/lib/aifactory") == "/var/lib/aifactory/aifactory.sqlite")
        #expect(StoreFactory.defaultSQLitePath(stateDirectory: "state/") == "state/aifactory.sqlite")
    }
}
