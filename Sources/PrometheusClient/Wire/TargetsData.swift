/// The `data` of `/api/v1/targets`; dropped targets are not requested.
struct TargetsData: Decodable {
    var activeTargets: [ActiveTarget]?
}
