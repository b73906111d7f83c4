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
    /// Indexes of the GPUs the agent last reported with MIG on (diagnostics are refused there).
    public var migGPUs: [Int]

    /// How many missed intervals make an agent silent.
    public static let silentAfterIntervals = 3

    public init(version: String, lastSeen: Date, intervalSeconds: Int, migGPUs: [Int] = []) {
        self.version = version
        self.lastSeen = lastSeen
        self.intervalSeconds = intervalSeconds
        self.migGPUs = migGPUs
    }

    private enum CodingKeys: String, CodingKey { case version, lastSeen, intervalSeconds, migGPUs }

    /// `migGPUs` may be absent (records written before diagnostics).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        lastSeen = try container.decode(Date.self, forKey: .lastSeen)
        intervalSeconds = try container.decode(Int.self, forKey: .intervalSeconds)
        migGPUs = try container.decodeIfPresent([Int].self, forKey: .migGPUs) ?? []
    }

    /// `true` when no heartbeat arrived for `silentAfterIntervals` intervals before `now`.
    public func isSilent(at now: Date) -> Bool {
        now.timeIntervalSince(lastSeen) > Double(Self.silentAfterIntervals * max(1, intervalSeconds))
    }
}
