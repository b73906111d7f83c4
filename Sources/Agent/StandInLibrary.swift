import Foundation

/// Builds the stand-in NVML library (`Tests/AgentTests/StandIn/nvml_standin.c`) with the C
/// compiler, for tests, the benchmark and demos on machines without a GPU.
///
/// The stand-in returns an H200's real readings and can charge the real per-call CPU costs; see
/// the header of the C file. Building it at run time (instead of as a package target) keeps the
/// variants — GPU count, "partial" older driver, costs — one compile flag apart, and keeps a
/// fake NVML out of the shipped binary.
public struct StandInLibrary: Sendable {
    /// GPUs the library reports.
    public var gpus: Int
    /// An older driver: no clock-event reasons, no field values, no memory info v2.
    public var partial: Bool
    /// Charge the H200's median CPU cost per call (busy-wait).
    public var chargeCosts: Bool

    public init(gpus: Int = 1, partial: Bool = false, chargeCosts: Bool = false) {
        self.gpus = gpus
        self.partial = partial
        self.chargeCosts = chargeCosts
    }

    /// The C source in this checkout, found from this file's path.
    public static var sourcePath: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/AgentTests/StandIn/nvml_standin.c").path
    }

    /// Compiles the library into `directory` and returns its path (`libnvidia-ml.so.1`).
    ///
    /// The compiler runs as a child process awaited through its termination handler, so no
    /// thread of the cooperative pool waits on it. `CC` names the compiler; else `clang`, `cc`.
    public func build(source: String = StandInLibrary.sourcePath, into directory: String) async throws -> String {
        guard FileManager.default.fileExists(atPath: source) else {
            throw AgentError.invalidConfiguration("the stand-in NVML source is missing: \(source)")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let output = URL(fileURLWithPath: directory).appendingPathComponent("libnvidia-ml.so.1").path
        var arguments = ["-shared", "-fPIC", "-O2", "-o", output, source, "-lpthread", "-DNVML_STANDIN_GPUS=\(gpus)"]
        if partial { arguments.append("-DNVML_STANDIN_PARTIAL") }
        if chargeCosts { arguments.append("-DNVML_STANDIN_COSTS") }
        guard let compiler = Self.compiler() else {
            throw AgentError.invalidConfiguration("no C compiler found (set CC, or install clang or cc)")
        }
        let log = URL(fileURLWithPath: directory).appendingPathComponent("build.log")
        // A ToolProcess: its exit is awaited off the cooperative pool and never lost.
        let build = try ToolProcess(executable: compiler, arguments: arguments)
        let status = await build.exit().status
        try build.take().write(to: log)
        guard status == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw AgentError.invalidConfiguration("building the stand-in NVML failed (\(compiler), status \(status)): \(text)")
        }
        return output
    }

    static func compiler() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let cc = environment["CC"], FileManager.default.isExecutableFile(atPath: cc) { return cc }
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for name in ["clang", "cc"] {
            for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
                return directory + "/" + name
            }
        }
        return nil
    }
}
