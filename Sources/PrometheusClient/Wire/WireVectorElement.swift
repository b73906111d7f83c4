/// A vector element on the wire; `value` is absent for native-histogram samples.
struct WireVectorElement: Decodable {
    var metric: [String: String]?
    var value: SamplePoint?
}
