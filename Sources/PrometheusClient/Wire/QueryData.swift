/// The `data` of a query or query_range answer: `resultType` and a `result` whose shape depends on it.
///
/// Native-histogram samples (`histogram`/`histograms` instead of `value`/`values`) are skipped:
/// no query this product sends selects them, and reading them as numbers would be wrong.
struct QueryData: Decodable {
    var result: QueryResult

    private enum Keys: String, CodingKey { case resultType, result }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let type = try container.decode(String.self, forKey: .resultType)
        switch type {
        case "vector":
            let elements = try container.decode([WireVectorElement].self, forKey: .result)
            result = .vector(elements.compactMap { element in
                element.value.map { VectorSample(labels: element.metric ?? [:], value: $0.value, timestamp: $0.time) }
            })
        case "scalar":
            result = .scalar(try container.decode(SamplePoint.self, forKey: .result))
        case "matrix":
            let elements = try container.decode([WireMatrixElement].self, forKey: .result)
            result = .matrix(elements.compactMap { element in
                element.values.map { RangeSeries(labels: element.metric ?? [:], points: $0) }
            })
        case "string":
            var pair = try container.nestedUnkeyedContainer(forKey: .result)
            let time = try pair.decode(Double.self)
            result = .string(time: time, value: try pair.decode(String.self))
        default:
            throw DecodingError.dataCorruptedError(forKey: .resultType, in: container, debugDescription: "unknown resultType \(type)")
        }
    }
}
