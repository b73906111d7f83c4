import Fleet
import Store
import Testing

extension NodeRecord {
    static func fixture(
        _ name: String = "gpu-1", holding: Holding = .dedicated(tenant: "acme"), gpuClass: String = "h100-80"
    ) -> NodeRecord {
        NodeRecord(name: name, host: "\(name).lab.example", dcgmAddress: "\(name).lab.example:9400",
                   dcgmPath: "/metrics", vllmAddress: "\(name).lab.example:8000", vllmPath: "/metrics",
                   gpuModel: "NVIDIA H100 80GB HBM3", gpuCount: 8, gpuMemoryMiB: 81559, gpuClass: gpuClass,
                   holding: holding)
    }
}

extension Store {
    /// Tenants `acme` (owner side) and `globex` (provider side) and pool `shared`.
    func seedBasics() async throws {
        _ = try await createTenant(name: "acme", displayName: "ACME Research")
        _ = try await createTenant(name: "globex", displayName: "Globex")
        _ = try await createPool(name: "shared", displayName: "Shared H100 pool")
    }
}

/// Runs `body` and returns the `StoreError` it threw, failing the test when it threw nothing or
/// something else.
func storeError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> StoreError? {
    do {
        try await body()
        Issue.record("expected a StoreError, got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("expected a StoreError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension StoreError {
    /// The field of an `.invalid` error, for compact expectations.
    var invalidField: String? {
        if case .invalid(let field, _) = self { return field }
        return nil
    }
}
