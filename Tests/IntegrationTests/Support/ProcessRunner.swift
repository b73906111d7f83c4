import Foundation
import TestSupport
import Testing

/// Runs a command to completion and captures its combined output (tests only).
enum ProcessRunner {
    struct Result: Sendable {
        var status: Int32
        var output: String
        var stdout: String
        var stderr: String
    }

    /// Runs the command on a Dispatch thread and suspends until it ends.
    ///
    /// Never block a Swift-concurrency thread on a child: the pool is as wide as the machine has
    /// cores (2 here), and a child that calls back into a server running in this test process
    /// (the admin CLI against an in-process demo) would wait for a thread that is itself waiting.
    static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:], timeout: TimeInterval = 120) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try runBlocking(executable, arguments, stdin: stdin, environment: environment, timeout: timeout) })
            }
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], stdin: Data?, environment: [String: String], timeout: TimeInterval) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            try input.fileHandleForWriting.write(contentsOf: stdin)
            try input.fileHandleForWriting.close()
        }
        // Drain both pipes concurrently so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        let outBox = DataBox()
        let errBox = DataBox()
        group.enter()
        DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
        }
        // Not `waitUntilExit()`: see ProcessExit (a lost exit report would wait for ever).
        let status = ProcessExit.waitBlocking(process) ?? -1
        let stdoutText = String(decoding: outBox.data, as: UTF8.self)
        let stderrText = String(decoding: errBox.data, as: UTF8.self)
        return Result(status: status, output: stdoutText + stderrText, stdout: stdoutText, stderr: stderrText)
    }

    /// The `aifactory` binary built next to the tests (`swift build --build-tests` builds both).
    static var aifactoryBinary: String? {
        if let explicit = ProcessInfo.processInfo.environment["AIFACTORY_BIN"] { return explicit }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        for candidate in [".build/debug/aifactory", ".build/x86_64-unknown-linux-gnu/debug/aifactory", ".build/aarch64-unknown-linux-gnu/debug/aifactory"] {
            let path = root.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        // Like a missing external tool: a skip on a developer's machine, a failure under CI, so
        // the CLI tests can never pass by not running.
        if ExternalTool.isCI {
            Issue.record("the aifactory binary was not found under .build (or AIFACTORY_BIN); CI=true requires it: run 'swift build' first")
        } else {
            print("note: the aifactory binary is not built; skipping (run 'swift build')")
        }
        return nil
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}
