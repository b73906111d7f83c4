/// An NVML device handle.
///
/// NVML handles are process-wide and valid until `nvmlShutdown`, and NVML is thread-safe, so the
/// handle may cross threads; the collector shuts NVML down only after its threads have stopped.
struct NVMLDevice: @unchecked Sendable, Equatable {
    let raw: OpaquePointer
}
