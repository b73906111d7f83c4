public import Foundation

/// A site's prices (`serve --prices FILE`, docs/ECONOMICS.md): what a GPU-hour of each class
/// costs, what a kWh costs, and what each plan charges per million tokens.
///
/// The defaults are examples, not market data: a site replaces them with its own. Unknown keys and
/// negative prices are errors naming the key, so a typo never silently prices a class at zero.
public struct PriceSheet: Sendable, Hashable {
    public var currency: String
    /// Price of one GPU-hour by GPU class (`h100-80`, `ada-48`, …).
    public var gpuHour: [String: Double]
    /// Price of one kWh of GPU energy.
    public var kWh: Double
    /// Price per million tokens by plan name.
    public var planPer1MTokens: [String: Double]
    /// A GPU below this utilisation (%) for a sample interval counts as idle.
    public var idleUtilisationPct: Double
    /// `file` when read from a file, `defaults` otherwise (the API says which).
    public var source: String

    public init(currency: String, gpuHour: [String: Double], kWh: Double, planPer1MTokens: [String: Double],
                idleUtilisationPct: Double, source: String = "file") {
        self.currency = currency
        self.gpuHour = gpuHour
        self.kWh = kWh
        self.planPer1MTokens = planPer1MTokens
        self.idleUtilisationPct = idleUtilisationPct
        self.source = source
    }

    /// Example prices (USD), documented in docs/ECONOMICS.md.
    public static let defaults = PriceSheet(
        currency: "USD",
        gpuHour: ["h100-80": 2.50, "h200-141": 3.50, "a100-80": 1.60, "ada-48": 0.90, "ada-16": 0.35],
        kWh: 0.15,
        planPer1MTokens: ["starter": 0.50, "standard": 0.40, "enterprise": 0.30],
        idleUtilisationPct: 10,
        source: "defaults")

    /// The price of a GPU-hour of `gpuClass`, or `nil` when the sheet has none.
    public func gpuHourPrice(_ gpuClass: String) -> Double? { gpuHour[gpuClass] }

    /// Reads a JSON price file:
    /// `{"currency": "USD", "gpuHour": {"h100-80": 2.5}, "kWh": 0.15, "planPer1MTokens": {"starter": 0.5}, "idleUtilisationPct": 10}`.
    /// Keys left out keep the default's value.
    public static func load(path: String) throws(PriceSheetError) -> PriceSheet {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        return try parse(data)
    }

    public static func parse(_ data: Data) throws(PriceSheetError) -> PriceSheet {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .invalid(key: "(file)", "must be a JSON object")
        }
        let known: Set<String> = ["currency", "gpuHour", "kWh", "planPer1MTokens", "idleUtilisationPct"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalid(key: unknown, "unknown key (known: \(known.sorted().joined(separator: ", ")))")
        }
        var sheet = defaults
        sheet.source = "file"
        if let value = object["currency"] {
            guard let text = value as? String, (1...8).contains(text.count) else { throw .invalid(key: "currency", "must be a short text such as USD") }
            sheet.currency = text
        }
        func price(_ value: Any, _ key: String) throws(PriceSheetError) -> Double {
            guard let number = value as? NSNumber, !(value is Bool), number.doubleValue.isFinite, number.doubleValue >= 0 else {
                throw .invalid(key: key, "must be a number ≥ 0")
            }
            return number.doubleValue
        }
        func table(_ key: String) throws(PriceSheetError) -> [String: Double]? {
            guard let value = object[key] else { return nil }
            guard let entries = value as? [String: Any] else { throw .invalid(key: key, "must be an object of name → price") }
            var result: [String: Double] = [:]
            for (name, entry) in entries { result[name] = try price(entry, "\(key).\(name)") }
            return result
        }
        if let gpuHour = try table("gpuHour") { sheet.gpuHour = gpuHour }
        if let plans = try table("planPer1MTokens") { sheet.planPer1MTokens = plans }
        if let value = object["kWh"] { sheet.kWh = try price(value, "kWh") }
        if let value = object["idleUtilisationPct"] {
            let threshold = try price(value, "idleUtilisationPct")
            guard threshold <= 100 else { throw .invalid(key: "idleUtilisationPct", "must be between 0 and 100") }
            sheet.idleUtilisationPct = threshold
        }
        return sheet
    }
}

/// Why a price file was refused, naming the key.
public enum PriceSheetError: Error, Equatable, CustomStringConvertible {
    case unreadable(String)
    case invalid(key: String, String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the price file \(path)"
        case .invalid(let key, let reason): "price file: \(key): \(reason)"
        }
    }
}
