import SQLKit

/// Raw access for diagnostics and tests only (internal; tests reach it with `@testable import`).
///
/// Tests use it to check what is really on disk (hashes, not plaintext keys), to run
/// `PRAGMA integrity_check` after a crash, and to create scratch PostgreSQL databases. Nothing in the
/// product path calls these, and they are not part of the `Store` protocol.
extension SQLStore {
    /// Runs `sql` outside any transaction.
    func executeUnsafe(_ sql: String) async throws {
        try await read { db in try await db.raw("\(unsafeRaw: sql)").run() }
    }

    /// Runs a query and returns each row's `columns` as text (integers are formatted, NULL is nil).
    func rowsUnsafe(_ sql: String, columns: [String]) async throws -> [[String?]] {
        try await read { db in
            try await db.raw("\(unsafeRaw: sql)").all().map { row in
                try columns.map { column -> String? in
                    if try row.decodeNil(column: column) { return nil }
                    if let text = try? row.decode(column: column, as: String.self) { return text }
                    return String(try row.decode(column: column, as: Int64.self))
                }
            }
        }
    }
}
