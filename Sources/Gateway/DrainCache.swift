import Foundation
import Logging
import Store

/// The nodes drained in the store (by an agent before a diagnostic, or by an admin), read at
/// most every `refresh`: every gateway replica on the store stops routing to a drained node within
/// that time, without a store read per request. A failed read keeps the last answer.
actor DrainCache {
    private let store: any Store
    private let refresh: Duration
    private let logger: Logger
    private var drained: Set<String> = []
    private var readAt: ContinuousClock.Instant?

    init(store: any Store, refresh: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.refresh = refresh
        self.logger = logger
    }

    func nodes() async -> Set<String> {
        if let readAt, ContinuousClock.now - readAt < refresh { return drained }
        readAt = .now
        do {
            drained = Set(try await store.nodeDrains().map(\.node))
        } catch {
            logger.warning("reading drained nodes failed; the last answer stands", metadata: ["error": "\(error)"])
        }
        return drained
    }
}
