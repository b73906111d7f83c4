import Foundation
public import Logging

/// Opens a store and brings its schema up to date, so callers never see an unmigrated database.
public enum StoreFactory {
    /// The embedded database's file name inside the state directory.
    public static let sqliteFileName = "aifactory.sqlite"

    /// `<stateDirectory>/aifactory.sqlite`, the default database location.
    public static func defaultSQLitePath(stateDirectory: String) -> String {
        stateDirectory.hasSuffix("/") ? stateDirectory + sqliteFileName : stateDirectory + "/" + sqliteFileName
    }

    /// Opens (creating it and its directory when missing) the SQLite file at `path` in WAL mode and
    /// runs `migrate()`.
    ///
    /// The installation default is `defaultSQLitePath(stateDirectory:)`. The file (and with it
    /// SQLite's `-wal` and `-shm` files, which take the database file's mode) is owner-only: it
    /// holds key hashes, session hashes and every tenant's inventory.
    public static func sqlite(path: String, logger: Logger) async throws -> any Store {
        restrictToOwner(path)
        let store: SQLStore = try await SQLStore.openSQLite(path: path, logger: logger)
        do {
            try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }

    /// Creates `path` empty with mode 0600 when missing, and drops group/other access otherwise.
    static func restrictToOwner(_ path: String) {
        let files = FileManager.default
        if !files.fileExists(atPath: path) {
            _ = files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        for file in [path, path + "-wal", path + "-shm"] where files.fileExists(atPath: file) {
            try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database[?sslmode=…]`) and runs `migrate()`.
    public static func postgres(url: String, logger: Logger) async throws -> any Store {
        let store: SQLStore = try await SQLStore.openPostgres(url: url, logger: logger)
        do {
            try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }
}
