import Fleet
import Foundation
import Logging
import Server
import Simulator
import Store

extension DemoStack {
    /// Writes the demo's past (`demo --history`) into Prometheus's data directory before
    /// Prometheus starts: the simulation over `[offset, offset + history)`, stamped as the
    /// targets the server's service discovery hands Prometheus (``HistoryBackfill``), turned into
    /// blocks by `promtool tsdb create-blocks-from openmetrics`.
    ///
    /// Once per state directory: a marker records it, so a Prometheus restart (or a demo restarted
    /// on the same state) does not write the past again over data it already holds.
    static func backfillHistory(
        _ config: DemoConfiguration, nodes: [NodeRecord], epoch: Double, runtime: PrometheusRuntime, stateDirectory: String, logger: Logger
    ) async throws {
        guard config.history > .zero else { return }
        let marker = stateDirectory + "/prometheus-history.done"
        if FileManager.default.fileExists(atPath: marker) {
            logger.info("demo history: already written into \(runtime.dataDirectory); not writing it again")
            return
        }
        let promtool = URL(fileURLWithPath: runtime.binary).deletingLastPathComponent().appendingPathComponent("promtool").path
        guard FileManager.default.isExecutableFile(atPath: promtool) else {
            throw StackError.missingBinary(name: "promtool", hint: "--history writes TSDB blocks with it; it comes with Debian's prometheus package")
        }
        let simulation = FleetSimulation(fleet: config.fleet, seed: config.seed)
        var targets: [HistoryBackfill.Target] = []
        for exporter in [HTTPSDTargetGroup.Exporter.dcgm, .vllm] {
            targets += HistoryBackfill.targets(exporter, groups: HTTPSDTargetGroup.groups(for: nodes, exporter: exporter), simulation: simulation)
        }
        let offset = seconds(config.simulationOffset)
        let times = HistoryBackfill.scrapeTimes(
            start: offset, end: offset + seconds(config.history), interval: max(1, seconds(config.scrapeInterval)))
        let backfill = HistoryBackfill(simulation: simulation, targets: targets, times: times, epoch: epoch)
        let file = stateDirectory + "/prometheus-history.om"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let began = ContinuousClock.now
        // Seconds of CPU for hours of history: kept off the concurrency pool the servers answer on.
        let summary = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HistoryBackfill.Summary, any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try backfill.write(to: file) })
            }
        }
        try FileManager.default.createDirectory(atPath: runtime.dataDirectory, withIntermediateDirectories: true)
        let log = stateDirectory + "/promtool-history.log"
        let child = try ChildProcess(
            name: "promtool", executable: promtool,
            // One block for the whole past: promtool reads the input once per block, and 2 h
            // blocks made a week's backfill read a gigabyte of text 84 times.
            arguments: ["tsdb", "create-blocks-from", "--max-block-duration=\(Self.blockHours(config.history))h", "openmetrics", file, runtime.dataDirectory],
            logPath: log)
        let status = await withTaskCancellationHandler {
            await child.exitStatus()
        } onCancel: {
            child.requestStop(grace: .seconds(2))
        }
        guard status == 0 else {
            let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").suffix(3).joined(separator: " | ") ?? ""
            throw StackError.childExited(name: "promtool tsdb create-blocks-from openmetrics", status: status, logTail: tail)
        }
        try "\(summary.samples) samples, \(summary.scrapes) scrapes\n".write(toFile: marker, atomically: true, encoding: .utf8)
        logger.info("demo history: \(summary.samples) samples of \(targets.count) targets over \(config.history) written in \(ContinuousClock.now - began)")
    }

    /// Hours of one block covering `history` (at least promtool's 2 h).
    static func blockHours(_ history: Duration) -> Int {
        max(2, Int((seconds(history) / 3600).rounded(.up)) + 1)
    }

    /// `duration` in seconds, fractions kept.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
