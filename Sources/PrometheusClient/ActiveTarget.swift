public import Foundation

/// One active scrape target as the backend sees it.
///
/// Discovered (pre-relabelling) labels are deliberately not read: they carry `__meta_*` data
/// from service discovery that no page should show.
public struct ActiveTarget: Sendable, Hashable, Decodable {
    /// Scrape health as Prometheus reports it.
    public enum Health: String, Sendable, Hashable, Decodable {
        case up, down, unknown

        public init(from decoder: any Decoder) throws {
            self = Health(rawValue: try decoder.singleValueContainer().decode(String.self)) ?? .unknown
        }
    }

    /// Target labels after relabelling (`job`, `instance`, and the inventory's `tenant`, `node`, …).
    public var labels: [String: String]
    public var scrapePool: String
    public var scrapeURL: String
    public var health: Health
    /// The last scrape's error; `nil` when it succeeded.
    public var lastError: String?
    /// When the target was last scraped; `nil` when it never was.
    public var lastScrape: Date?
    /// Seconds the last scrape took.
    public var lastScrapeDuration: Double
    /// The target's scrape interval in seconds (`scrapeInterval`, e.g. "15s"); `nil` where the
    /// backend does not say (older Prometheus, some compatible backends).
    public var scrapeInterval: Double?

    public init(
        labels: [String: String], scrapePool: String, scrapeURL: String, health: Health, lastError: String? = nil,
        lastScrape: Date? = nil, lastScrapeDuration: Double = 0, scrapeInterval: Double? = nil
    ) {
        self.scrapeInterval = scrapeInterval
        self.labels = labels
        self.scrapePool = scrapePool
        self.scrapeURL = scrapeURL
        self.health = health
        self.lastError = lastError
        self.lastScrape = lastScrape
        self.lastScrapeDuration = lastScrapeDuration
    }

    private enum Keys: String, CodingKey {
        case labels, scrapePool, scrapeUrl, health, lastError, lastScrape, lastScrapeDuration, scrapeInterval
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        scrapePool = try container.decodeIfPresent(String.self, forKey: .scrapePool) ?? ""
        scrapeURL = try container.decodeIfPresent(String.self, forKey: .scrapeUrl) ?? ""
        health = try container.decodeIfPresent(Health.self, forKey: .health) ?? .unknown
        let error = try container.decodeIfPresent(String.self, forKey: .lastError) ?? ""
        lastError = error.isEmpty ? nil : error
        lastScrape = try container.decodeIfPresent(String.self, forKey: .lastScrape).flatMap(RFC3339.parse)
        lastScrapeDuration = try container.decodeIfPresent(Double.self, forKey: .lastScrapeDuration) ?? 0
        scrapeInterval = try container.decodeIfPresent(String.self, forKey: .scrapeInterval).flatMap(PromDuration.seconds)
    }
}
