import Foundation
import LoadTestService
import Store

/// The LoadTest JSON of the API (docs/FACTORY-API.md "Load tests").
struct LoadTestView: Encodable, Sendable {
    var id: String
    var tenant: String
    var node: String
    var requestedBy: String
    var status: LoadTestStatus
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var plan: LoadTestRequest?
    var model: String?
    var progress: LoadTestProgress?
    var levels: [LevelJSON]
    var search: SearchJSON?
    var error: String?

    init(_ record: LoadTestRecord) {
        id = record.id
        tenant = record.tenant
        node = record.node
        requestedBy = record.requestedBy
        status = record.status
        createdAt = record.createdAt
        startedAt = record.startedAt
        finishedAt = record.finishedAt
        plan = LoadTestCoding.decode(LoadTestRequest.self, record.plan)
        progress = record.progress.flatMap { LoadTestCoding.decode(LoadTestProgress.self, $0) }
        let result = record.result.flatMap { LoadTestCoding.decode(LoadTestResult.self, $0) }
        model = result?.model ?? plan?.model
        levels = result?.levels ?? []
        search = result?.search
        error = record.error
    }

    private enum CodingKeys: String, CodingKey {
        case id, tenant, node, requestedBy, status, createdAt, startedAt, finishedAt, plan, model, progress, levels, search, error
    }

    /// Optional fields are written as `null` rather than left out, so the page reads one shape.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(tenant, forKey: .tenant)
        try c.encode(node, forKey: .node)
        try c.encode(requestedBy, forKey: .requestedBy)
        try c.encode(status, forKey: .status)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(plan, forKey: .plan)
        try c.encode(model, forKey: .model)
        try c.encode(progress, forKey: .progress)
        try c.encode(levels, forKey: .levels)
        try c.encode(search, forKey: .search)
        try c.encode(error, forKey: .error)
    }
}

/// `GET /api/v1/factory/loadtests`.
struct LoadTestList: Encodable, Sendable {
    var loadTests: [LoadTestView]
}
