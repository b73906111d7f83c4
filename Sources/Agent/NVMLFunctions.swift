/// C signatures of the NVML entry points the agent calls (nvml.h), for `unsafeBitCast` from `dlsym`.
///
/// Device and event-set handles are opaque pointers; structs are passed as raw buffers whose
/// layouts are spelled out where they are read (`NVMLLayout`), so the agent needs no NVML header
/// at build time and runs on hosts whose driver is newer or older than anything it was built with.
enum NVMLFunctions {
    typealias Plain = @convention(c) () -> Int32
    typealias ErrorString = @convention(c) (Int32) -> UnsafePointer<CChar>?
    typealias Text = @convention(c) (UnsafeMutablePointer<CChar>?, UInt32) -> Int32
    typealias Count = @convention(c) (UnsafeMutablePointer<UInt32>?) -> Int32
    typealias Handle = @convention(c) (UInt32, UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    typealias DeviceText = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, UInt32) -> Int32
    typealias DeviceUInt32 = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt32>?) -> Int32
    typealias DeviceUInt64 = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt64>?) -> Int32
    typealias DeviceInt32 = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?) -> Int32
    typealias DeviceStruct = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32
    typealias DeviceTwoUInt32 = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?) -> Int32
    typealias DeviceSelectUInt32 = @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<UInt32>?) -> Int32
    typealias ECCCount = @convention(c) (OpaquePointer?, Int32, Int32, UnsafeMutablePointer<UInt64>?) -> Int32
    typealias RetiredPages = @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt64>?) -> Int32
    typealias RemappedRows = @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?
    ) -> Int32
    typealias FieldValues = @convention(c) (OpaquePointer?, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias EventSetCreate = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    typealias RegisterEvents = @convention(c) (OpaquePointer?, UInt64, OpaquePointer?) -> Int32
    typealias EventSetWait = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UInt32) -> Int32
    typealias EventSetFree = @convention(c) (OpaquePointer?) -> Int32
}

/// Byte layouts of the NVML structs the agent reads (nvml.h, x86-64 and aarch64 Linux).
enum NVMLLayout {
    /// `nvmlUtilization_t`: `unsigned int gpu, memory`.
    static let utilizationSize = 8
    /// `nvmlMemory_t`: `unsigned long long total, free, used`.
    static let memorySize = 24
    /// `nvmlMemory_v2_t`: `unsigned int version` (padded to 8), then `total, reserved, free, used`.
    static let memoryV2Size = 40
    /// `nvmlMemory_v2`: `sizeof(nvmlMemory_v2_t) | 2 << 24` (NVML_STRUCT_VERSION).
    static let memoryV2Version = UInt32(memoryV2Size) | (2 << 24)
    /// `nvmlPciInfo_t`: `char busIdLegacy[16]`, five `unsigned int`, `char busId[32]` at offset 36.
    static let pciInfoSize = 68
    static let pciBusIdOffset = 36
    static let pciBusIdLength = 32
    /// `nvmlFieldValue_t`: fieldId, scopeId, timestamp, latencyUsec, valueType (24), nvmlReturn (28), value (32).
    static let fieldValueSize = 40
    static let fieldValueTypeOffset = 24
    static let fieldValueReturnOffset = 28
    static let fieldValueValueOffset = 32
    /// `nvmlEventData_t`: device (0), eventType (8), eventData (16), gpuInstanceId, computeInstanceId.
    static let eventDataSize = 32

    /// NVML_FI_DEV_MEMORY_TEMP: HBM temperature, only through `nvmlDeviceGetFieldValues`.
    static let fieldMemoryTemperature: UInt32 = 82
    /// `nvmlEventTypeXidCriticalError`.
    static let eventXID: UInt64 = 0x8
}
