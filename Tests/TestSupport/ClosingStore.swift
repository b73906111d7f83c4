public import Store

/// Runs `body` with `store`, then closes the store on every path, a thrown error's included.
///
/// An unclosed SQLite store asserts in its deinit, so a test that threw (a failed `#require`, a
/// store error) before reaching its own `close()` took the whole parallel test process down with
/// it, and with it the report of which expectation failed.
public func closing<T>(_ store: any Store, _ body: (any Store) async throws -> T) async throws -> T {
    let result: T
    do {
        result = try await body(store)
    } catch {
        try? await store.close()
        throw error
    }
    try await store.close()
    return result
}
