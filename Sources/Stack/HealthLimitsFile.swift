public import Fleet
import Foundation
import Yams

/// Loads health thresholds (docs/HEALTH.md) from a YAML file given to `serve --health-limits` or
/// `demo --health-limits`.
///
/// Sites disagree with vendor defaults (a hot aisle runs every card at 84 °C), so thresholds are
/// configuration, not code. The file is partial: keys left out keep their documented default.
/// Anything doubtful is refused at start-up with the file and the key named, because a typo that
/// silently kept a default would make the health pill lie.
public enum HealthLimitsFile {
    public static func load(path: String) throws(HealthLimitsFileError) -> HealthLimits {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw HealthLimitsFileError(file: path, line: nil, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, file: path)
    }

    /// Parses `text` (the contents of `file`, named in errors).
    public static func parse(_ text: String, file: String) throws(HealthLimitsFileError) -> HealthLimits {
        // Compose first: syntax errors keep their line, and an empty file means "all defaults".
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw HealthLimitsFileError(file: file, line: line(of: error), message: "invalid YAML: \(error)")
        } catch {
            throw HealthLimitsFileError(file: file, line: nil, message: "invalid YAML: \(error)")
        }
        guard let node else { return .default }
        guard case .mapping = node else {
            throw HealthLimitsFileError(file: file, line: node.mark?.line, message: "the file must be a mapping of limit names to values")
        }
        let limits: HealthLimits
        do {
            // Through JSON: Yams' decoder cannot find quoted numeric keys (`"94": healthy`), and
            // the JSON decoder is the one the Codable conformance is tested with.
            let json = try JSONSerialization.data(withJSONObject: try plain(node, file: file))
            limits = try JSONDecoder().decode(HealthLimits.self, from: json)
        } catch let error as HealthLimitsFileError {
            throw error
        } catch let error as DecodingError {
            throw HealthLimitsFileError(file: file, line: nil, message: describe(error))
        } catch {
            throw HealthLimitsFileError(file: file, line: nil, message: "\(error)")
        }
        let problems = limits.problems()
        guard problems.isEmpty else {
            throw HealthLimitsFileError(file: file, line: nil, message: problems.joined(separator: "; "))
        }
        return limits
    }

    /// The YAML tree as JSON-compatible values; scalars resolved by the YAML core schema.
    private static func plain(_ node: Node, file: String) throws(HealthLimitsFileError) -> Any {
        switch node {
        case .mapping(let mapping):
            var object: [String: Any] = [:]
            for (key, value) in mapping {
                guard let name = key.scalar?.string else {
                    throw HealthLimitsFileError(file: file, line: key.mark?.line, message: "keys must be plain strings")
                }
                object[name] = try plain(value, file: file)
            }
            return object
        case .sequence(let sequence):
            var array: [Any] = []
            for item in sequence { array.append(try plain(item, file: file)) }
            return array
        case .scalar:
            if node.null != nil { return NSNull() }
            if let bool = node.bool { return bool }
            if let int = node.int { return int }
            if let double = node.float { return double }
            return node.string ?? ""
        case .alias:
            throw HealthLimitsFileError(file: file, line: node.mark?.line, message: "aliases are not supported here")
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        case let .duplicatedKeysInMapping(_, context):
            return context.mark.line
        default:
            return nil
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map(\.stringValue).joined(separator: ".")
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            return "\(path(context.codingPath)): expected \(typeName(type))"
        case let .keyNotFound(key, context):
            return "\(path(context.codingPath + [key])): missing"
        case let .dataCorrupted(context):
            let at = path(context.codingPath)
            return at.isEmpty ? context.debugDescription : "\(at): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type: "a number"
        case is Int.Type: "a whole number"
        case is String.Type: "a string"
        default: "a value of type \(type)"
        }
    }
}

/// A health limits file that cannot be used, with the file (and line or key) to fix.
public struct HealthLimitsFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }
}
