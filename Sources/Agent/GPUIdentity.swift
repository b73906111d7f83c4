public import Exposition

/// What names one GPU in every series: dcgm-exporter's fixed label prefix.
///
/// Read once at start (it does not change while the driver is loaded). Label order is
/// dcgm-exporter's: `gpu, UUID, pci_bus_id, device, modelName, Hostname`, then the "label" CSV
/// fields (`DCGM_FI_DRIVER_VERSION`).
public struct GPUIdentity: Sendable, Hashable {
    public var index: Int
    public var uuid: String
    public var pciBusID: String
    public var modelName: String
    /// MIG mode is on (the GPU is split into instances); read once at start like the rest.
    public var migEnabled: Bool

    public init(index: Int, uuid: String, pciBusID: String, modelName: String, migEnabled: Bool = false) {
        self.index = index
        self.uuid = uuid
        self.pciBusID = pciBusID
        self.modelName = modelName
        self.migEnabled = migEnabled
    }

    /// The labels of this GPU's series on `hostname` with `driverVersion`.
    public func labels(hostname: String, driverVersion: String) -> [Label] {
        [
            Label("gpu", String(index)),
            Label("UUID", uuid),
            Label("pci_bus_id", pciBusID),
            Label("device", "nvidia\(index)"),
            Label("modelName", modelName),
            Label("Hostname", hostname),
            Label("DCGM_FI_DRIVER_VERSION", driverVersion),
        ]
    }
}
