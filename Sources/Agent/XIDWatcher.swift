/// Waits for NVML XID critical-error events on its own thread and records the last XID per GPU.
///
/// dcgm-exporter's `DCGM_FI_DEV_XID_ERRORS` is the value of the *last* XID (0 until one happens),
/// and the server's health model reads it that way (sticky, compared against a window ago).
/// `nvmlEventSetWait_v2` blocks in the driver, so it waits in slices of `waitMilliseconds` and
/// checks the stop latch between them.
struct XIDWatcher: Sendable {
    /// The registered event set (an `nvmlEventSet_t`).
    struct EventSet: @unchecked Sendable {
        let raw: OpaquePointer
    }

    let library: NVMLLibrary
    let eventSet: EventSet
    let devices: [NVMLDevice]
    let store: SnapshotStore
    let stop: StopLatch
    var waitMilliseconds: UInt32 = 500

    /// Creates an event set and registers every device for XID events.
    ///
    /// - Returns: the event set (nil when none could be made), per GPU `nil` when registered or
    ///   the reason XID is not collected there, and whether that reason is the library's.
    static func register(library: NVMLLibrary, devices: [NVMLDevice]) -> (EventSet?, [String?], missingFromLibrary: Bool) {
        guard let create = library.eventSetCreate, let register = library.registerEvents, library.eventSetWait != nil else {
            let missing = ["nvmlEventSetCreate", "nvmlDeviceRegisterEvents", "nvmlEventSetWait_v2"]
                .filter { library.missingSymbols.contains($0) }
            let reason = "\(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") not in the NVML library (older driver)"
            return (nil, devices.map { _ in reason }, true)
        }
        var raw: OpaquePointer?
        let code = create(&raw)
        guard code == NVMLReturn.success, let raw else {
            let reason = "nvmlEventSetCreate: \(library.message(code))"
            return (nil, devices.map { _ in reason }, false)
        }
        let reasons: [String?] = devices.map { device in
            let code = register(device.raw, NVMLLayout.eventXID, raw)
            return code == NVMLReturn.success ? nil : "nvmlDeviceRegisterEvents(XID): \(library.message(code))"
        }
        return (EventSet(raw: raw), reasons, false)
    }

    /// The thread body: runs until `stop`.
    func run() {
        guard let wait = library.eventSetWait else { return }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: NVMLLayout.eventDataSize, alignment: 8)
        defer { buffer.deallocate() }
        while !stop.isStopped {
            buffer.initializeMemory(as: UInt8.self, repeating: 0, count: NVMLLayout.eventDataSize)
            let code = wait(eventSet.raw, buffer, waitMilliseconds)
            if code == NVMLReturn.success {
                let type = buffer.load(fromByteOffset: 8, as: UInt64.self)
                guard type & NVMLLayout.eventXID != 0 else { continue }
                let xid = buffer.load(fromByteOffset: 16, as: UInt64.self)
                let device = buffer.load(fromByteOffset: 0, as: OpaquePointer?.self)
                guard let index = devices.firstIndex(where: { $0.raw == device }) else { continue }
                store.update { snapshot in
                    if snapshot.gpus.indices.contains(index) { snapshot.gpus[index].lastXID = xid }
                }
            } else if code != NVMLReturn.timeout {
                // GPU lost, driver unloading…: do not spin on an error that answers at once.
                if stop.sleep(until: Monotonic.nanoseconds() + 1_000_000_000) { return }
            }
        }
    }
}
