import Synchronization

/// gzip-encoded copies of static files, made once per file version and kept in memory.
///
/// Why a cache: compressing Chart.js costs a few milliseconds of CPU, and every cold page load
/// asks for it; the page's files change only with a new build or a Debian upgrade, which the
/// key (path, size, modification time) notices. The set of files is small and fixed, but the
/// cache is bounded anyway so no sequence of requests can grow it without limit.
public final class CompressedFiles: Sendable {
    /// One version of one file.
    public struct Key: Hashable, Sendable {
        public var path: String
        public var size: Int
        public var modified: Double

        public init(path: String, size: Int, modified: Double) {
            self.path = path
            self.size = size
            self.modified = modified
        }
    }

    private let entries = Mutex<[Key: [UInt8]]>([:])
    /// The most versions kept; past it the cache starts again empty.
    public let capacity: Int

    public init(capacity: Int = 64) {
        self.capacity = capacity
    }

    /// The gzip encoding of the file version `key` names; on first use `read` supplies its bytes
    /// (`nil` when the file cannot be read, which this answers with `nil` too).
    public func gzipped(_ key: Key, read: () -> [UInt8]?) throws(Gzip.Failure) -> [UInt8]? {
        if let hit = entries.withLock({ $0[key] }) { return hit }
        guard let bytes = read() else { return nil }
        let encoded = try Gzip.compress(bytes)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = encoded
        }
        return encoded
    }

    /// How many file versions are held (for tests).
    public var count: Int { entries.withLock { $0.count } }
}
