public import Foundation

/// What the server knows of the `aifactory agent` that enrolled a node: its version and when it
/// last reported, and how often it promised to.
///
/// A node registered by hand (an operator's `POST /admin/nodes`) has none. An enrolled node has one
/// from the moment it enrols (`lastSeen` is the enrolment time), so an agent that enrols and never
/// sends a heartbeat is noticed like one that stops.
public struct NodeAgent: Sendable, Hashable, Codable {
    /// The agent's own version string, as it reported it.
    public var version: String
    /// The last heartbeat (or the enrolment).
    public var lastSeen: Date
    /// The heartbeat interval the agent reported, in seconds (> 0).
    public var intervalSeconds: Int

    /// How many missed intervals make an agent silent.
    public static let silentAfterIntervals = 3

    public init(version: String, lastSeen: Date, intervalSeconds: Int) {
        self.version = version
        self.lastSeen = lastSeen
        self.intervalSeconds = intervalSeconds
    }

    /// `true` when no heartbeat arrived for `silentAfterIntervals` intervals before `now`.
    public func isSilent(at now: Date) -> Bool {
        now.timeIntervalSince(lastSeen) > Double(Self.silentAfterIntervals * max(1, intervalSeconds))
    }
}
