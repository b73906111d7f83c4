/// What `/api/v1/status/runtimeinfo` says about storage (other fields are not read).
public struct RuntimeInfo: Sendable, Hashable, Decodable {
    /// As Prometheus prints it: "15d", "30d or 10GiB", "10GiB" (size only).
    public var storageRetention: String?

    public init(storageRetention: String?) {
        self.storageRetention = storageRetention
    }

    /// The time part of `storageRetention` in seconds; `nil` when only a size limit is set.
    public var retentionSeconds: Double? {
        guard let text = storageRetention else { return nil }
        for part in text.split(separator: " ") {
            if let seconds = PromDuration.seconds(String(part)) { return seconds }
        }
        return nil
    }
}

/// `/api/v1/alertmanagers`' payload.
struct AlertmanagersData: Decodable {
    struct Entry: Decodable { var url: String }
    var activeAlertmanagers: [Entry]
}

/// Prometheus duration text ("15s", "1m30s", "30d", "2w", "500ms") in seconds.
enum PromDuration {
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("y", 31_536_000), ("w", 604_800), ("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard !digits.isEmpty, let number = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += number * scale
        }
        return total
    }
}
