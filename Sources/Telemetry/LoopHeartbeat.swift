public import Foundation
import Synchronization

/// When a background loop last completed a pass, and how it went — what the "validate
/// observability stack" self-check reads to tell a loop that runs from one that silently stopped.
public final class LoopHeartbeat: Sendable {
    public struct Beat: Sendable, Hashable {
        public var at: Date
        /// `nil`: the pass succeeded; else what went wrong.
        public var error: String?
    }

    /// How often the loop means to beat (freshness is judged against it).
    public let interval: Duration
    private let last = Mutex<Beat?>(nil)

    public init(interval: Duration) {
        self.interval = interval
    }

    public func beat(at date: Date = Date(), error: String? = nil) {
        last.withLock { $0 = Beat(at: date, error: error) }
    }

    public var lastBeat: Beat? { last.withLock { $0 } }
}
