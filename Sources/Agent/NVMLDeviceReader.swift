/// Reads one GPU's fields through NVML, one cadence at a time.
///
/// Each read writes a value or a reason into `GPUValues`; nothing here throws, because a field the
/// card or driver cannot give must never stop the others. The PCIe throughput getter is never
/// called: it blocks ~20 ms per call on a real card (it samples over a window).
struct NVMLDeviceReader: Sendable {
    let library: NVMLLibrary
    let device: NVMLDevice
    let index: Int

    // MARK: Identity

    /// UUID, model name and PCI bus id; `nil` parts read as "" (dcgm-exporter does the same for a
    /// missing bus id).
    func identity() -> GPUIdentity {
        let raw = device.raw
        let uuid = library.uuid.flatMap { call in NVMLLibrary.text { call(raw, $0, $1) }.0 } ?? ""
        let name = library.name.flatMap { call in NVMLLibrary.text { call(raw, $0, $1) }.0 } ?? ""
        var busID = ""
        if let pciInfo = library.pciInfo {
            withRaw(NVMLLayout.pciInfoSize) { buffer in
                guard pciInfo(raw, buffer) == NVMLReturn.success else { return }
                let start = buffer.advanced(by: NVMLLayout.pciBusIdOffset).assumingMemoryBound(to: UInt8.self)
                let bytes = UnsafeBufferPointer(start: start, count: NVMLLayout.pciBusIdLength)
                busID = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        // MIG mode: diagnostics refuse a GPU split into instances (dcgmi diag and NCCL need whole
        // GPUs). A card or driver without MIG answers NOT_SUPPORTED: not enabled.
        var migEnabled = false
        if let migMode = library.migMode {
            var current: UInt32 = 0, pending: UInt32 = 0
            migEnabled = migMode(raw, &current, &pending) == NVMLReturn.success && current == 1
        }
        return GPUIdentity(index: index, uuid: uuid, pciBusID: busID, modelName: name, migEnabled: migEnabled)
    }

    // MARK: Cadences

    /// Board and slot properties, read once.
    func readOnce(into values: inout GPUValues) {
        readUInt32(library.maxLinkGeneration, "nvmlDeviceGetMaxPcieLinkGeneration", .pcieMaxLinkGen, into: &values)
        readUInt32(library.maxLinkWidth, "nvmlDeviceGetMaxPcieLinkWidth", .pcieMaxLinkWidth, into: &values)
    }

    /// The gauges read every sample.
    func readEvery(into values: inout GPUValues) {
        let raw = device.raw
        if let utilization = library.utilization {
            var rates: (UInt32, UInt32) = (0, 0)
            let code = withUnsafeMutableBytes(of: &rates) { utilization(raw, $0.baseAddress) }
            if code == NVMLReturn.success {
                values.set(.gpuUtil, Double(rates.0))
                values.set(.memCopyUtil, Double(rates.1))
            } else {
                values.notCollected([.gpuUtil, .memCopyUtil], failure("nvmlDeviceGetUtilizationRates", code))
            }
        } else {
            values.missing([.gpuUtil, .memCopyUtil], Self.missing("nvmlDeviceGetUtilizationRates"))
        }
        readMemory(into: &values)
        if let temperature = library.temperature {
            var celsius: UInt32 = 0
            let code = temperature(raw, 0, &celsius)  // NVML_TEMPERATURE_GPU
            if code == NVMLReturn.success { values.set(.gpuTemp, Double(celsius)) } else {
                values.notCollected([.gpuTemp], failure("nvmlDeviceGetTemperature", code))
            }
        } else {
            values.missing([.gpuTemp], Self.missing("nvmlDeviceGetTemperature"))
        }
        readMemoryTemperature(into: &values)
        readUInt32(library.powerUsage, "nvmlDeviceGetPowerUsage", .power, divisor: 1000, into: &values)
        if let clockInfo = library.clockInfo {
            for (type, field) in [(Int32(1), AgentField.smClock), (2, .memClock)] {  // NVML_CLOCK_SM, NVML_CLOCK_MEM
                var mhz: UInt32 = 0
                let code = clockInfo(raw, type, &mhz)
                if code == NVMLReturn.success { values.set(field, Double(mhz)) } else {
                    values.notCollected([field], failure("nvmlDeviceGetClockInfo", code))
                }
            }
        } else {
            values.missing([.smClock, .memClock], Self.missing("nvmlDeviceGetClockInfo"))
        }
        readUInt32(library.linkGeneration, "nvmlDeviceGetCurrPcieLinkGeneration", .pcieLinkGen, into: &values)
        readUInt32(library.linkWidth, "nvmlDeviceGetCurrPcieLinkWidth", .pcieLinkWidth, into: &values)
        if let reasons = library.clockEventReasons, let symbol = library.clockEventReasonsSymbol {
            var mask: UInt64 = 0
            let code = reasons(raw, &mask)
            if code == NVMLReturn.success { values.set(.clockEventReasons, Double(mask)) } else {
                values.notCollected([.clockEventReasons], failure(symbol, code))
            }
        } else {
            values.missing(
                [.clockEventReasons],
                "nvmlDeviceGetCurrentClocksEventReasons (or the older …ClocksThrottleReasons) is not in the NVML library (older driver)")
        }
    }

    /// Counters and limits, read every `counterInterval`.
    func readCounters(into values: inout GPUValues) {
        let raw = device.raw
        if let energy = library.totalEnergy {
            var millijoules: UInt64 = 0
            let code = energy(raw, &millijoules)
            if code == NVMLReturn.success { values.set(.energy, Double(millijoules)) } else {
                values.notCollected([.energy], failure("nvmlDeviceGetTotalEnergyConsumption", code))
            }
        } else {
            values.missing([.energy], Self.missing("nvmlDeviceGetTotalEnergyConsumption"))
        }
        readUInt32(library.replayCounter, "nvmlDeviceGetPcieReplayCounter", .pcieReplay, into: &values)
        if let ecc = library.eccErrors {
            // (error type, counter type): CORRECTED = single-bit, UNCORRECTED = double-bit; VOLATILE, AGGREGATE.
            let table: [(Int32, Int32, AgentField)] = [
                (0, 0, .eccSBEVolatile), (1, 0, .eccDBEVolatile), (0, 1, .eccSBEAggregate), (1, 1, .eccDBEAggregate),
            ]
            for (errorType, counterType, field) in table {
                var count: UInt64 = 0
                let code = ecc(raw, errorType, counterType, &count)
                if code == NVMLReturn.success { values.set(field, Double(count)) } else {
                    values.notCollected([field], failure("nvmlDeviceGetTotalEccErrors", code))
                }
            }
        } else {
            values.missing([.eccSBEVolatile, .eccDBEVolatile, .eccSBEAggregate, .eccDBEAggregate], Self.missing("nvmlDeviceGetTotalEccErrors"))
        }
        if let retired = library.retiredPages {
            // Causes: multiple single-bit errors (0), a double-bit error (1). A zero-sized query returns the count.
            for (cause, field) in [(Int32(0), AgentField.retiredSBE), (1, .retiredDBE)] {
                var count: UInt32 = 0
                let code = retired(raw, cause, &count, nil)
                if code == NVMLReturn.success || code == NVMLReturn.insufficientSize { values.set(field, Double(count)) } else {
                    values.notCollected([field], failure("nvmlDeviceGetRetiredPages", code))
                }
            }
        } else {
            values.missing([.retiredSBE, .retiredDBE], Self.missing("nvmlDeviceGetRetiredPages"))
        }
        if let pending = library.retiredPagesPending {
            var state: Int32 = 0
            let code = pending(raw, &state)
            if code == NVMLReturn.success { values.set(.retiredPending, Double(state)) } else {
                values.notCollected([.retiredPending], failure("nvmlDeviceGetRetiredPagesPendingStatus", code))
            }
        } else {
            values.missing([.retiredPending], Self.missing("nvmlDeviceGetRetiredPagesPendingStatus"))
        }
        let rowFields: [AgentField] = [.correctableRemappedRows, .uncorrectableRemappedRows, .rowRemapPending, .rowRemapFailure]
        if let remapped = library.remappedRows {
            var corrected: UInt32 = 0, uncorrected: UInt32 = 0, pending: UInt32 = 0, failed: UInt32 = 0
            let code = remapped(raw, &corrected, &uncorrected, &pending, &failed)
            if code == NVMLReturn.success {
                values.set(.correctableRemappedRows, Double(corrected))
                values.set(.uncorrectableRemappedRows, Double(uncorrected))
                values.set(.rowRemapPending, Double(pending))
                values.set(.rowRemapFailure, Double(failed))
            } else {
                values.notCollected(rowFields, failure("nvmlDeviceGetRemappedRows", code))
            }
        } else {
            values.missing(rowFields, Self.missing("nvmlDeviceGetRemappedRows"))
        }
        readUInt32(library.powerManagementLimit, "nvmlDeviceGetPowerManagementLimit", .powerManagementLimit, divisor: 1000, into: &values)
        readUInt32(library.enforcedPowerLimit, "nvmlDeviceGetEnforcedPowerLimit", .enforcedPowerLimit, divisor: 1000, into: &values)
    }

    // MARK: Parts

    /// Framebuffer in MiB (bytes / 2^20, truncated, as DCGM does). `_v2` separates the driver's
    /// reservation from "used" (what nvidia-smi shows); the v1 call folds it into "used".
    private func readMemory(into values: inout GPUValues) {
        let raw = device.raw
        let mebibyte = 1_048_576.0
        if let memoryV2 = library.memoryInfoV2 {
            var done = false
            withRaw(NVMLLayout.memoryV2Size) { buffer in
                buffer.storeBytes(of: NVMLLayout.memoryV2Version, as: UInt32.self)
                guard memoryV2(raw, buffer) == NVMLReturn.success else { return }
                let total = buffer.load(fromByteOffset: 8, as: UInt64.self)
                let reserved = buffer.load(fromByteOffset: 16, as: UInt64.self)
                let free = buffer.load(fromByteOffset: 24, as: UInt64.self)
                let used = buffer.load(fromByteOffset: 32, as: UInt64.self)
                values.set(.fbTotal, (Double(total) / mebibyte).rounded(.down))
                values.set(.fbReserved, (Double(reserved) / mebibyte).rounded(.down))
                values.set(.fbFree, (Double(free) / mebibyte).rounded(.down))
                values.set(.fbUsed, (Double(used) / mebibyte).rounded(.down))
                done = true
            }
            if done { return }
        }
        guard let memory = library.memoryInfo else {
            values.missing([.fbTotal, .fbFree, .fbUsed, .fbReserved], Self.missing("nvmlDeviceGetMemoryInfo"))
            return
        }
        var code = NVMLReturn.success
        withRaw(NVMLLayout.memorySize) { buffer in
            code = memory(raw, buffer)
            guard code == NVMLReturn.success else { return }
            values.set(.fbTotal, (Double(buffer.load(fromByteOffset: 0, as: UInt64.self)) / mebibyte).rounded(.down))
            values.set(.fbFree, (Double(buffer.load(fromByteOffset: 8, as: UInt64.self)) / mebibyte).rounded(.down))
            values.set(.fbUsed, (Double(buffer.load(fromByteOffset: 16, as: UInt64.self)) / mebibyte).rounded(.down))
        }
        if code == NVMLReturn.success {
            if library.memoryInfoV2 == nil {
                values.missing([.fbReserved], "nvmlDeviceGetMemoryInfo_v2 is not in the NVML library (older driver); FB_USED includes the driver's reservation")
            } else {
                values.notCollected([.fbReserved], "nvmlDeviceGetMemoryInfo_v2 failed; FB_USED includes the driver's reservation")
            }
        } else {
            values.notCollected([.fbTotal, .fbFree, .fbUsed, .fbReserved], failure("nvmlDeviceGetMemoryInfo", code))
        }
    }

    /// HBM temperature: NVML has no getter for it, only field NVML_FI_DEV_MEMORY_TEMP.
    private func readMemoryTemperature(into values: inout GPUValues) {
        guard let fieldValues = library.fieldValues else {
            values.missing([.memoryTemp], Self.missing("nvmlDeviceGetFieldValues"))
            return
        }
        let raw = device.raw
        var reading: Double?
        var code = NVMLReturn.success
        withRaw(NVMLLayout.fieldValueSize) { buffer in
            buffer.storeBytes(of: NVMLLayout.fieldMemoryTemperature, as: UInt32.self)
            code = fieldValues(raw, 1, buffer)
            guard code == NVMLReturn.success else { return }
            code = buffer.load(fromByteOffset: NVMLLayout.fieldValueReturnOffset, as: Int32.self)
            guard code == NVMLReturn.success else { return }
            let offset = NVMLLayout.fieldValueValueOffset
            switch buffer.load(fromByteOffset: NVMLLayout.fieldValueTypeOffset, as: Int32.self) {
            case 0: reading = buffer.load(fromByteOffset: offset, as: Double.self)
            case 1: reading = Double(buffer.load(fromByteOffset: offset, as: UInt32.self))
            case 2, 3: reading = Double(buffer.load(fromByteOffset: offset, as: UInt64.self))
            case 4: reading = Double(buffer.load(fromByteOffset: offset, as: Int64.self))
            case 5: reading = Double(buffer.load(fromByteOffset: offset, as: Int32.self))
            case 6: reading = Double(buffer.load(fromByteOffset: offset, as: UInt16.self))
            default: reading = nil
            }
        }
        if let reading {
            values.set(.memoryTemp, reading)
        } else {
            values.notCollected([.memoryTemp], failure("nvmlDeviceGetFieldValues(NVML_FI_DEV_MEMORY_TEMP)", code))
        }
    }

    private func readUInt32(
        _ call: NVMLFunctions.DeviceUInt32?, _ symbol: String, _ field: AgentField, divisor: Double = 1, into values: inout GPUValues
    ) {
        guard let call else {
            values.missing([field], Self.missing(symbol))
            return
        }
        var value: UInt32 = 0
        let code = call(device.raw, &value)
        if code == NVMLReturn.success { values.set(field, Double(value) / divisor) } else {
            values.notCollected([field], failure(symbol, code))
        }
    }

    private func failure(_ symbol: String, _ code: Int32) -> String {
        "\(symbol): \(library.message(code))"
    }

    static func missing(_ symbol: String) -> String {
        "\(symbol) is not in the NVML library (older driver)"
    }

    /// A zeroed, 8-byte-aligned scratch buffer for one NVML struct.
    private func withRaw(_ size: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        body(buffer)
    }
}
