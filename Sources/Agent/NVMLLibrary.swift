#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libnvidia-ml, opened at run time with `dlopen`, and the entry points it has.
///
/// The agent is one static binary for every GPU host, so it cannot link NVML: hosts differ in
/// driver version, and a host without a driver must still get a clear message instead of a loader
/// error. Each optional entry point is looked up once; a missing one (an older driver) leaves its
/// fields "not collected" (`NVMLCollector` says which). Only the four calls every NVML since driver
/// 325 exports are required.
///
/// NVML is thread-safe, so one library value is shared by the sampler and the XID watcher threads;
/// everything here is immutable after `open`.
final class NVMLLibrary: @unchecked Sendable {
    /// Where the library was found (what `dlopen` accepted).
    let path: String
    private let handle: UnsafeMutableRawPointer

    let initialise: NVMLFunctions.Plain
    let shutdown: NVMLFunctions.Plain
    let deviceCount: NVMLFunctions.Count
    let deviceHandle: NVMLFunctions.Handle

    let errorString: NVMLFunctions.ErrorString?
    let driverVersion: NVMLFunctions.Text?
    let name: NVMLFunctions.DeviceText?
    let uuid: NVMLFunctions.DeviceText?
    /// `nvmlDeviceGetMigMode` (current, pending); absent before Ampere-era drivers.
    let migMode: NVMLFunctions.DeviceTwoUInt32?
    let pciInfo: NVMLFunctions.DeviceStruct?
    let maxLinkGeneration: NVMLFunctions.DeviceUInt32?
    let maxLinkWidth: NVMLFunctions.DeviceUInt32?
    let utilization: NVMLFunctions.DeviceStruct?
    let memoryInfo: NVMLFunctions.DeviceStruct?
    let memoryInfoV2: NVMLFunctions.DeviceStruct?
    let temperature: NVMLFunctions.DeviceSelectUInt32?
    let fieldValues: NVMLFunctions.FieldValues?
    let powerUsage: NVMLFunctions.DeviceUInt32?
    let totalEnergy: NVMLFunctions.DeviceUInt64?
    let powerManagementLimit: NVMLFunctions.DeviceUInt32?
    let enforcedPowerLimit: NVMLFunctions.DeviceUInt32?
    let clockInfo: NVMLFunctions.DeviceSelectUInt32?
    let linkGeneration: NVMLFunctions.DeviceUInt32?
    let linkWidth: NVMLFunctions.DeviceUInt32?
    let replayCounter: NVMLFunctions.DeviceUInt32?
    let eccErrors: NVMLFunctions.ECCCount?
    let retiredPages: NVMLFunctions.RetiredPages?
    let retiredPagesPending: NVMLFunctions.DeviceInt32?
    let remappedRows: NVMLFunctions.RemappedRows?
    /// `nvmlDeviceGetCurrentClocksEventReasons` (driver ≥ 535), else the older
    /// `nvmlDeviceGetCurrentClocksThrottleReasons`: same bitmask, renamed.
    let clockEventReasons: NVMLFunctions.DeviceUInt64?
    let clockEventReasonsSymbol: String?
    let eventSetCreate: NVMLFunctions.EventSetCreate?
    let registerEvents: NVMLFunctions.RegisterEvents?
    let eventSetWait: NVMLFunctions.EventSetWait?
    let eventSetFree: NVMLFunctions.EventSetFree?

    /// Optional entry points this library does not export, by C name.
    let missingSymbols: [String]

    /// Where `open(path: nil)` looks, in order: the loader's search path first (ld.so.cache,
    /// `LD_LIBRARY_PATH`), then where container runtimes and the NVIDIA installer put it.
    static let defaultCandidates = [
        "libnvidia-ml.so.1",
        "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1",
        "/usr/lib/aarch64-linux-gnu/libnvidia-ml.so.1",
        "/usr/local/nvidia/lib64/libnvidia-ml.so.1",
        "/usr/lib64/libnvidia-ml.so.1",
    ]

    /// Opens `path`, or the first loadable default candidate when `path` is nil.
    static func open(path: String?) throws(AgentError) -> NVMLLibrary {
        let candidates = path.map { [$0] } ?? defaultCandidates
        var firstReason: String?
        for candidate in candidates {
            if let handle = dlopen(candidate, RTLD_NOW | RTLD_LOCAL) {
                return try NVMLLibrary(path: candidate, handle: handle)
            }
            let reason = dlerror().map { String(cString: $0) } ?? "dlopen failed"
            if firstReason == nil { firstReason = reason }
        }
        throw .libraryNotFound(tried: path.map { [$0] } ?? [candidates[0]], reason: firstReason ?? "not found")
    }

    private init(path: String, handle: UnsafeMutableRawPointer) throws(AgentError) {
        self.path = path
        self.handle = handle
        var missing: [String] = []
        func optional<T>(_ symbol: String, _: T.Type) -> T? {
            guard let raw = dlsym(handle, symbol) else {
                missing.append(symbol)
                return nil
            }
            return unsafeBitCast(raw, to: T.self)
        }
        func required<T>(_ symbol: String, _: T.Type) -> T? {
            dlsym(handle, symbol).map { unsafeBitCast($0, to: T.self) }
        }
        let initialise = required("nvmlInit_v2", NVMLFunctions.Plain.self)
        let shutdown = required("nvmlShutdown", NVMLFunctions.Plain.self)
        let deviceCount = required("nvmlDeviceGetCount_v2", NVMLFunctions.Count.self)
        let deviceHandle = required("nvmlDeviceGetHandleByIndex_v2", NVMLFunctions.Handle.self)
        guard let initialise, let shutdown, let deviceCount, let deviceHandle else {
            let absent = [
                ("nvmlInit_v2", initialise == nil), ("nvmlShutdown", shutdown == nil),
                ("nvmlDeviceGetCount_v2", deviceCount == nil), ("nvmlDeviceGetHandleByIndex_v2", deviceHandle == nil),
            ].filter(\.1).map(\.0)
            dlclose(handle)
            throw .notNVML(path: path, missing: absent)
        }
        self.initialise = initialise
        self.shutdown = shutdown
        self.deviceCount = deviceCount
        self.deviceHandle = deviceHandle

        errorString = optional("nvmlErrorString", NVMLFunctions.ErrorString.self)
        driverVersion = optional("nvmlSystemGetDriverVersion", NVMLFunctions.Text.self)
        name = optional("nvmlDeviceGetName", NVMLFunctions.DeviceText.self)
        uuid = optional("nvmlDeviceGetUUID", NVMLFunctions.DeviceText.self)
        migMode = optional("nvmlDeviceGetMigMode", NVMLFunctions.DeviceTwoUInt32.self)
        pciInfo = optional("nvmlDeviceGetPciInfo_v3", NVMLFunctions.DeviceStruct.self)
        maxLinkGeneration = optional("nvmlDeviceGetMaxPcieLinkGeneration", NVMLFunctions.DeviceUInt32.self)
        maxLinkWidth = optional("nvmlDeviceGetMaxPcieLinkWidth", NVMLFunctions.DeviceUInt32.self)
        utilization = optional("nvmlDeviceGetUtilizationRates", NVMLFunctions.DeviceStruct.self)
        memoryInfo = optional("nvmlDeviceGetMemoryInfo", NVMLFunctions.DeviceStruct.self)
        memoryInfoV2 = optional("nvmlDeviceGetMemoryInfo_v2", NVMLFunctions.DeviceStruct.self)
        temperature = optional("nvmlDeviceGetTemperature", NVMLFunctions.DeviceSelectUInt32.self)
        fieldValues = optional("nvmlDeviceGetFieldValues", NVMLFunctions.FieldValues.self)
        powerUsage = optional("nvmlDeviceGetPowerUsage", NVMLFunctions.DeviceUInt32.self)
        totalEnergy = optional("nvmlDeviceGetTotalEnergyConsumption", NVMLFunctions.DeviceUInt64.self)
        powerManagementLimit = optional("nvmlDeviceGetPowerManagementLimit", NVMLFunctions.DeviceUInt32.self)
        enforcedPowerLimit = optional("nvmlDeviceGetEnforcedPowerLimit", NVMLFunctions.DeviceUInt32.self)
        clockInfo = optional("nvmlDeviceGetClockInfo", NVMLFunctions.DeviceSelectUInt32.self)
        linkGeneration = optional("nvmlDeviceGetCurrPcieLinkGeneration", NVMLFunctions.DeviceUInt32.self)
        linkWidth = optional("nvmlDeviceGetCurrPcieLinkWidth", NVMLFunctions.DeviceUInt32.self)
        replayCounter = optional("nvmlDeviceGetPcieReplayCounter", NVMLFunctions.DeviceUInt32.self)
        eccErrors = optional("nvmlDeviceGetTotalEccErrors", NVMLFunctions.ECCCount.self)
        retiredPages = optional("nvmlDeviceGetRetiredPages", NVMLFunctions.RetiredPages.self)
        retiredPagesPending = optional("nvmlDeviceGetRetiredPagesPendingStatus", NVMLFunctions.DeviceInt32.self)
        remappedRows = optional("nvmlDeviceGetRemappedRows", NVMLFunctions.RemappedRows.self)
        if let raw = dlsym(handle, "nvmlDeviceGetCurrentClocksEventReasons") {
            clockEventReasons = unsafeBitCast(raw, to: NVMLFunctions.DeviceUInt64.self)
            clockEventReasonsSymbol = "nvmlDeviceGetCurrentClocksEventReasons"
        } else if let raw = dlsym(handle, "nvmlDeviceGetCurrentClocksThrottleReasons") {
            clockEventReasons = unsafeBitCast(raw, to: NVMLFunctions.DeviceUInt64.self)
            clockEventReasonsSymbol = "nvmlDeviceGetCurrentClocksThrottleReasons"
        } else {
            missing.append("nvmlDeviceGetCurrentClocksEventReasons")
            clockEventReasons = nil
            clockEventReasonsSymbol = nil
        }
        eventSetCreate = optional("nvmlEventSetCreate", NVMLFunctions.EventSetCreate.self)
        registerEvents = optional("nvmlDeviceRegisterEvents", NVMLFunctions.RegisterEvents.self)
        eventSetWait = optional("nvmlEventSetWait_v2", NVMLFunctions.EventSetWait.self)
        eventSetFree = optional("nvmlEventSetFree", NVMLFunctions.EventSetFree.self)
        missingSymbols = missing
    }

    deinit {
        dlclose(handle)
    }

    /// NVML's text for `code` ("Not Supported"), or the number when the library has no `nvmlErrorString`.
    func message(_ code: Int32) -> String {
        guard let text = errorString?(code) else { return "NVML error \(code)" }
        return String(cString: text)
    }

    /// Reads a NUL-terminated string an NVML text getter writes into a buffer of `capacity` bytes.
    static func text(capacity: Int = 96, _ read: (UnsafeMutablePointer<CChar>, UInt32) -> Int32) -> (String?, Int32) {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: capacity)
        let code = read(buffer, UInt32(capacity))
        guard code == NVMLReturn.success else { return (nil, code) }
        buffer[capacity - 1] = 0
        return (String(cString: buffer), code)
    }
}
