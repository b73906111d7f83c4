import Foundation
import SQLKit

extension SQLStore {
    /// Re-points a registered node at new exporter endpoints (a moved exporter, a restarted
    /// demo simulator on another port). Holding, class and history are kept.
    func updateNodeEndpoints(node: String, dcgmAddress: String, dcgmPath: String, vllmAddress: String?, vllmPath: String?) async throws {
        try Validate.address(dcgmAddress, field: "dcgmAddress")
        try Validate.path(dcgmPath, field: "dcgmPath")
        if let vllmAddress { try Validate.address(vllmAddress, field: "vllmAddress") }
        if let vllmPath { try Validate.path(vllmPath, field: "vllmPath") }
        try await write { db in
            guard try await Self.exists(db, "nodes", "name", node) else {
                throw StoreError.notFound(entity: "node", id: node)
            }
            try await db.update("nodes")
                .set("dcgm_address", to: dcgmAddress)
                .set("dcgm_path", to: dcgmPath)
                .set("vllm_address", to: vllmAddress)
                .set("vllm_path", to: vllmPath)
                .where("name", .equal, node)
                .run()
        }
    }
}
