/// A matrix element on the wire; `values` is absent for native-histogram series.
struct WireMatrixElement: Decodable {
    var metric: [String: String]?
    var values: [SamplePoint]?
}
