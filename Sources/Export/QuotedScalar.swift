/// A string as a double-quoted scalar that is valid JSON and valid YAML at once.
///
/// Used wherever generated configuration embeds names and label values (Grafana JSON, the
/// demo's Prometheus YAML): no value can end its quotes or change the document's structure.
/// Escapes quote, backslash, every C0 control, DEL and the C1 range (YAML calls those
/// non-printable; JSON accepts the `\u` form for them).
public enum QuotedScalar {
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
