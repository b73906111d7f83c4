import Agent
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A stand-in NVML library built for one test into its own scratch directory.
///
/// Each test gets its own file (its own inode), so `dlopen` gives it its own copy of the
/// library's globals: XID queues and call counters never leak between tests running in parallel.
/// The test reaches the library's controls (`nvml_standin_inject_xid`, `nvml_standin_calls`)
/// through the same handle the agent loaded.
struct StandIn: Sendable {
    let directory: String
    let path: String

    static func build(_ variant: StandInLibrary = StandInLibrary()) async throws -> StandIn {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("aif-standin-\(UUID().uuidString)").path
        let path = try await variant.build(into: directory)
        return StandIn(directory: directory, path: path)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Queues an XID event for `gpu` (delivered to a registered event set).
    func injectXID(gpu: UInt32, xid: UInt64) throws {
        typealias Inject = @convention(c) (UInt32, UInt64) -> Void
        try unsafeBitCast(symbol("nvml_standin_inject_xid"), to: Inject.self)(gpu, xid)
    }

    /// How many times the NVML function `name` was called in this library.
    func calls(_ name: String) throws -> UInt64 {
        typealias Calls = @convention(c) (UnsafePointer<CChar>?) -> UInt64
        let function = try unsafeBitCast(symbol("nvml_standin_calls"), to: Calls.self)
        return name.withCString { function($0) }
    }

    private func symbol(_ name: String) throws -> UnsafeMutableRawPointer {
        // RTLD_NOLOAD: only the copy the agent already loaded; never a second, separate one.
        guard let handle = dlopen(path, RTLD_NOW | RTLD_NOLOAD) else {
            throw StandInError("the stand-in at \(path) is not loaded")
        }
        defer { dlclose(handle) }
        guard let symbol = dlsym(handle, name) else { throw StandInError("\(name) missing from the stand-in") }
        return symbol
    }
}

struct StandInError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
