public import Foundation

extension ExporterFault {
    /// Decodes and checks a `PUT /faults/<node>` body.
    ///
    /// Decoding alone would accept `{"dwon": true}` as "no fault" and a metric name with a space
    /// in it as a field nobody can match; both are refused with a message naming the field, so a
    /// test that mistypes a fault fails at the PUT instead of passing against a healthy node.
    public static func decode(json data: Data) throws(FaultRequestError) -> ExporterFault {
        let fault: ExporterFault
        do {
            fault = try JSONDecoder().decode(ExporterFault.self, from: data)
        } catch let error as DecodingError {
            throw describe(error)
        } catch {
            throw FaultRequestError(.malformed, "the body must be a JSON object such as {\"down\": true}")
        }
        try fault.validate()
        return fault
    }

    /// Checks values the types alone do not constrain.
    public func validate() throws(FaultRequestError) {
        for name in dropFields where !Self.isMetricName(name) {
            throw FaultRequestError(.invalid, "dropFields: '\(name)' is not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)")
        }
        if let forgedTenant, forgedTenant.isEmpty {
            // An empty label is the same as no label to Prometheus: the fault would do nothing.
            throw FaultRequestError(.invalid, "forgedTenant must not be empty (send null for no forged tenant)")
        }
    }

    /// The Prometheus metric-name grammar.
    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        func letter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
        }
        return letter(first) && name.utf8.allSatisfy { letter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Turns a decoder error into a message that names the field and what it must hold.
    private static func describe(_ error: DecodingError) -> FaultRequestError {
        let known = Field.allCases.map(\.rawValue).joined(separator: ", ")
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            path = context.codingPath
        case .dataCorrupted(let context):
            if context.debugDescription == unknownFieldMarker, let key = context.codingPath.last {
                return FaultRequestError(.invalid, "unknown field '\(key.stringValue)' (known fields: \(known))")
            }
            path = context.codingPath
        @unknown default:
            path = []
        }
        guard let first = path.first else {
            if case .dataCorrupted = error {
                return FaultRequestError(.malformed, "the body is not valid JSON")
            }
            return FaultRequestError(.malformed, "the body must be a JSON object with the fields \(known)")
        }
        guard let field = Field(stringValue: first.stringValue) else {
            return FaultRequestError(.invalid, "unknown field '\(first.stringValue)' (known fields: \(known))")
        }
        return FaultRequestError(.invalid, "\(field.rawValue) must be \(field.expected)")
    }
}
