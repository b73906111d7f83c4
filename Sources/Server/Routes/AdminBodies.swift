/// Request bodies of the admin API. Each names its accepted fields so unknown ones are refused.
enum AdminBodies {
    struct CreateTenant: StrictBody {
        static let fields: Set<String> = ["name", "displayName"]
        var name: String
        var displayName: String?
    }

    struct CreateUser: StrictBody {
        static let fields: Set<String> = ["name", "tenant", "kind"]
        var name: String
        var tenant: String?
        var kind: String
    }

    struct CreateKey: StrictBody {
        static let fields: Set<String> = ["label"]
        var label: String?
    }

    struct CreatePool: StrictBody {
        static let fields: Set<String> = ["name", "displayName"]
        var name: String
        var displayName: String?
    }

    struct CreateSubscription: StrictBody {
        static let fields: Set<String> = ["tenant", "pool", "plan", "tokenQuota", "period"]
        var tenant: String
        var pool: String
        var plan: String
        var tokenQuota: Int
        var period: String?
    }

    struct RegisterNode: StrictBody {
        static let fields: Set<String> = [
            "name", "host", "dcgmAddress", "dcgmPath", "vllmAddress", "vllmPath",
            "gpuModel", "gpuCount", "gpuMemoryMiB", "gpuClass", "tenant", "pool",
        ]
        var name: String
        var host: String
        var dcgmAddress: String
        var dcgmPath: String?
        var vllmAddress: String?
        var vllmPath: String?
        var gpuModel: String
        var gpuCount: Int
        var gpuMemoryMiB: Int
        var gpuClass: String?
        /// Owner of a dedicated node, or the provider of a contributed one.
        var tenant: String
        /// Set when the node is contributed to this pool.
        var pool: String?
    }
}

/// A newly created API key: the only response that ever contains the plaintext.
struct CreatedKey: Encodable, Sendable {
    var id: String
    var prefix: String
    var label: String
    var userID: String
    var apiKey: String
}
