#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOConcurrencyHelpers
public import ServiceLifecycle

/// NVML in the background: opens the library, reads the first sample, then samples on its own
/// threads until a graceful shutdown, and shuts NVML down after they have stopped.
///
/// Scrapes read `store` (the last sample) and never wait for NVML. As a `Service` it runs in the
/// agent's `ServiceGroup` beside the HTTP server; the group stops the server first.
public final class NVMLCollector: Service, Sendable {
    /// The last sample; `/metrics` renders it.
    public let store: SnapshotStore
    /// Where NVML was loaded from.
    public let libraryPath: String
    /// One line per field (or field group) that is not collected, for the log at start.
    public let startupNotes: [String]

    private let library: NVMLLibrary
    private let readers: [NVMLDeviceReader]
    private let firstValues: [GPUValues]
    private let eventSet: XIDWatcher.EventSet?
    private let interval: Duration
    private let counterInterval: Duration
    private let stop = StopLatch()
    private let closed = NIOLockedValueBox(false)

    /// Loads NVML, initialises it, enumerates the GPUs and reads the first sample.
    ///
    /// - Throws: `AgentError` when the library cannot be loaded or initialised; a field the
    ///   library cannot give is not an error (`startupNotes`, `AgentSnapshot.notCollected`).
    public static func open(_ configuration: AgentConfiguration) throws(AgentError) -> NVMLCollector {
        try configuration.validate()
        let library = try NVMLLibrary.open(path: configuration.nvmlLibraryPath)
        let code = library.initialise()
        guard code == NVMLReturn.success else {
            throw .nvmlFailed(function: "nvmlInit_v2", code: code, message: library.message(code))
        }
        do {
            return try NVMLCollector(library: library, configuration: configuration)
        } catch {
            _ = library.shutdown()
            throw error
        }
    }

    private init(library: NVMLLibrary, configuration: AgentConfiguration) throws(AgentError) {
        var count: UInt32 = 0
        let code = library.deviceCount(&count)
        guard code == NVMLReturn.success else {
            throw .nvmlFailed(function: "nvmlDeviceGetCount_v2", code: code, message: library.message(code))
        }
        var devices: [NVMLDevice] = []
        for index in 0..<count {
            var handle: OpaquePointer?
            let code = library.deviceHandle(index, &handle)
            guard code == NVMLReturn.success, let handle else {
                throw .nvmlFailed(function: "nvmlDeviceGetHandleByIndex_v2(\(index))", code: code, message: library.message(code))
            }
            devices.append(NVMLDevice(raw: handle))
        }
        let readers = devices.enumerated().map { NVMLDeviceReader(library: library, device: $1, index: $0) }
        let driver = library.driverVersion.flatMap { call in NVMLLibrary.text(capacity: 80) { call($0, $1) }.0 } ?? ""
        let (eventSet, xidReasons, xidMissingFromLibrary) = XIDWatcher.register(library: library, devices: devices)
        let values = NVMLSampler.firstSample(readers)
        var gpus: [AgentSnapshot.GPU] = []
        var xidNotCollected: [NotCollected] = []
        for (index, reader) in readers.enumerated() {
            let reason = xidReasons[index]
            gpus.append(AgentSnapshot.GPU(identity: reader.identity(), values: values[index], lastXID: reason == nil ? 0 : nil))
            if let reason {
                xidNotCollected.append(NotCollected(field: .xidErrors, gpu: xidMissingFromLibrary ? nil : index, reason: reason))
            }
        }
        let snapshot = AgentSnapshot(
            hostname: configuration.hostname ?? Self.hostname(),
            driverVersion: driver,
            gpus: gpus,
            xidNotCollected: xidNotCollected,
            generation: 1,
            sampledAt: WallClock.seconds())
        self.library = library
        self.libraryPath = library.path
        self.readers = readers
        self.firstValues = values
        self.eventSet = eventSet
        self.interval = configuration.interval
        self.counterInterval = configuration.counterInterval
        self.store = SnapshotStore(snapshot)
        self.startupNotes = Self.notes(snapshot.notCollected, gpuCount: gpus.count)
    }

    deinit {
        close()
    }

    /// Samples until a graceful shutdown (or cancellation), then stops the threads and NVML.
    public func run() async throws {
        let sampler = NVMLSampler(
            readers: readers, store: store, stop: stop,
            interval: Self.nanoseconds(interval), counterInterval: Self.nanoseconds(counterInterval))
        let values = firstValues
        var threads = [BackgroundThread(name: "nvml-sampler") { sampler.run(from: values) }]
        if let eventSet {
            let watcher = XIDWatcher(
                library: library, eventSet: eventSet, devices: readers.map(\.device), store: store, stop: stop)
            threads.append(BackgroundThread(name: "nvml-xid") { watcher.run() })
        }
        try? await gracefulShutdown()
        stop.stop()
        for thread in threads { await thread.join() }
        close()
    }

    /// Frees the event set and shuts NVML down, once. Only after the threads have stopped.
    private func close() {
        let first = closed.withLockedValue { closed in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        if let eventSet, let free = library.eventSetFree { _ = free(eventSet.raw) }
        _ = library.shutdown()
    }

    /// Library-wide gaps once ("… not in the NVML library"), GPU-specific ones per GPU.
    static func notes(_ missing: [NotCollected], gpuCount: Int) -> [String] {
        var order: [String] = []
        var fields: [String: [String]] = [:]
        for entry in missing {
            let key = entry.gpu.map { "GPU \($0): \(entry.reason)" } ?? entry.reason
            if fields[key] == nil { order.append(key) }
            fields[key, default: []].append(entry.field.name)
        }
        var lines = order.map { "not collected: \(fields[$0, default: []].joined(separator: ", ")) (\($0))" }
        if gpuCount == 0 { lines.insert("NVML reports no GPUs: /metrics will have no GPU series", at: 0) }
        return lines
    }

    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return buffer.withUnsafeBufferPointer { pointer in
            pointer.baseAddress.map { String(cString: $0) } ?? ""
        }
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds)) / 1_000_000_000
    }
}
