/// Builds text exposition directly as UTF-8 bytes.
///
/// Rendering a 1,024-GPU fleet must stay within a few milliseconds per scrape round, so the
/// writer appends bytes into one reserved buffer and formats numbers itself: no `String(format:)`,
/// no intermediate strings per sample. Callers that render the same series repeatedly precompute
/// the label block once with `labelBlock(_:)` and append it with `append(bytes:)`.
public struct ExpositionWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The output as a `String`.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Removes the content, keeping the capacity, so one writer can render many times.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    // MARK: Raw appends

    @inlinable public mutating func append(bytes other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    public mutating func append(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    @inlinable public mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    // MARK: Structure

    /// `# HELP name help` and `# TYPE name type` lines; the help text is escaped (`\\`, `\n`).
    public mutating func header(name: String, help: String, type: MetricType) {
        bytes.append(contentsOf: Self.header(name: name, help: help, type: type))
    }

    /// The bytes of `header(name:help:type:)`, for callers that cache them.
    public static func header(name: String, help: String, type: MetricType) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: "# HELP ".utf8)
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: " "))
        for byte in help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            default: out.append(byte)
            }
        }
        out.append(contentsOf: "\n# TYPE ".utf8)
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: type.rawValue.utf8)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// `a="x",b="y"` (no braces), values escaped, in the given order.
    public static func labelBlock(_ labels: [Label]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, label) in labels.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: label.name.utf8)
            out.append(contentsOf: "=\"".utf8)
            out.append(contentsOf: Label.escape(label.value).utf8)
            out.append(UInt8(ascii: "\""))
        }
        return out
    }

    /// One complete sample line: `name{labels} value\n` (no braces when `labels` is empty).
    public mutating func sample(_ name: String, _ labels: [Label] = [], _ value: Double, format: ValueFormat) {
        bytes.append(contentsOf: name.utf8)
        if !labels.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            bytes.append(contentsOf: Self.labelBlock(labels))
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        append(value, format: format)
        bytes.append(UInt8(ascii: "\n"))
    }

    // MARK: Numbers

    /// Appends `value` in `format`.
    public mutating func append(_ value: Double, format: ValueFormat) {
        switch format {
        case .integer:
            if value.isFinite, abs(value) < 9.2e18 {
                appendInteger(Int64(value.rounded()))
            } else {
                appendNonFinite(value)
            }
        case .fixed6: appendFixed6(value)
        case .python: appendPython(value)
        }
    }

    /// Appends a decimal integer (Go `%d`).
    @inlinable public mutating func appendInteger(_ value: Int64) {
        if value >= 0, value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // 20 digits is enough for UInt64.max.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(20 - count)..<20])
        }
    }

    /// Appends `value` as Go's `%f` does: six decimals, `NaN`, `+Inf`, `-Inf`.
    public mutating func appendFixed6(_ value: Double) {
        guard value.isFinite else {
            appendNonFinite(value)
            return
        }
        let scaled = (abs(value) * 1_000_000).rounded()
        guard scaled < 9.2e18 else {
            // Beyond Int64 micro-units: print the integral part via the shortest form.
            appendPython(value.rounded())
            bytes.removeLast(2)  // drop ".0"
            bytes.append(contentsOf: ".000000".utf8)
            return
        }
        let micros = UInt64(scaled)
        if value < 0, micros > 0 { bytes.append(UInt8(ascii: "-")) }
        appendInteger(Int64(micros / 1_000_000))
        bytes.append(UInt8(ascii: "."))
        var fraction = micros % 1_000_000
        var divisor: UInt64 = 100_000
        for _ in 0..<6 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    /// Appends `value` as Python's `repr(float)` (prometheus_client's `floatToGoString`):
    /// shortest round-trip digits, positional for exponents -4…15 with at least one decimal
    /// (`1.0`), scientific otherwise (`1e-05`, `1.5e+16`), and `NaN` / `+Inf` / `-Inf`.
    public mutating func appendPython(_ value: Double) {
        bytes.append(contentsOf: Self.pythonRepr(value).utf8)
    }

    /// The Python `repr` text of `value` (see `appendPython(_:)`).
    public static func pythonRepr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description gives the shortest round-trip digits; re-lay them out Python-style.
        let text = value.magnitude.description
        var digits = ""
        var exponent = 0
        if let eIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let mantissa = text[..<eIndex]
            exponent = Int(text[text.index(after: eIndex)...]) ?? 0
            let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
            digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
            exponent += parts[0].count - 1
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            let integral = String(parts[0])
            let fractional = parts.count > 1 ? String(parts[1]) : ""
            if integral != "0" {
                digits = integral + fractional
                exponent = integral.count - 1
            } else {
                let zeros = fractional.prefix { $0 == "0" }.count
                digits = String(fractional.dropFirst(zeros))
                exponent = -(zeros + 1)
            }
        }
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        if exponent >= -4, exponent < 16 {
            if exponent < 0 {
                return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
            }
            if digits.count <= exponent + 1 {
                return sign + digits + String(repeating: "0", count: exponent + 1 - digits.count) + ".0"
            }
            let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let head = String(digits.prefix(1))
        let tail = digits.dropFirst()
        let mantissa = tail.isEmpty ? head : head + "." + tail
        let exponentText = String(abs(exponent))
        return sign + mantissa + (exponent < 0 ? "e-" : "e+") + (exponentText.count < 2 ? "0" : "") + exponentText
    }

    private mutating func appendNonFinite(_ value: Double) {
        if value.isNaN {
            bytes.append(contentsOf: "NaN".utf8)
        } else if value.isInfinite {
            bytes.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8)
        } else {
            appendPython(value)
        }
    }
}
