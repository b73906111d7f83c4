import Foundation
import SQLKit

/// The last pass of each once-per-cluster loop (`loop_beats`, migration 10).
extension SQLStore {
    func recordLoopBeat(name: String, holder: String, at: Date, error: String?) async throws {
        try Validate.text(name, field: "name", maxLength: 64)
        try Validate.text(holder, field: "holder", maxLength: 200)
        let error = error.map { String($0.prefix(2000)) }
        try await write { db in
            try await db.delete(from: "loop_beats").where("name", .equal, name).run()
            try await db.insert(into: "loop_beats").columns("name", "holder", "at", "error")
                .values(SQLBind(name), SQLBind(holder), SQLBind(Timestamp.millis(at)), SQLStore.bind(error))
                .run()
        }
    }

    func loopBeat(name: String) async throws -> LoopBeat? {
        try await read { db in
            guard let row = try await db.select().column("*").from("loop_beats").where("name", .equal, name).first() else { return nil }
            return LoopBeat(holder: try row.decode(column: "holder", as: String.self), at: try row.date("at"),
                            error: try row.decode(column: "error", as: String?.self))
        }
    }
}
