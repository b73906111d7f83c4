import ArgumentParser
import Foundation
import LoadTest

/// `aifactory loadtest`: drives an OpenAI-compatible server (vLLM, or `aifactory simulate`'s
/// `/nodes/<node>/v1`) and reports AIPerf-compatible metrics per level.
///
/// Exit status: 0 after a finished (or SIGINT-interrupted, with partial results) run, 1 when the
/// results cannot be written, 2 for a bad flag (the message names it).
struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Load-test an OpenAI-compatible LLM server: TTFT, ITL, throughput, goodput, capacity under an SLO.",
        discussion: """
        Examples:
          aifactory loadtest --url http://127.0.0.1:9400/nodes/node-0000 --model meta-llama/Llama-3.1-8B-Instruct \\
            --concurrency 1,2,4,8,16 --requests 200 --isl 512 --osl 256 --out results/
          aifactory loadtest --url http://vllm:8000 --model m --rate 50,100 --arrival poisson --duration 60s
          aifactory loadtest --url … --model m --search max-concurrency-under-slo --slo ttft_p99=500ms,tpot_p99=50ms
        Tokens are counted as whitespace-separated words. See docs/LOADTEST.md.
        """
    )

    @Option(help: "Server root or its /v1 base, e.g. http://127.0.0.1:8000.")
    var url: String

    @Option(help: "Model name sent in each request.")
    var model: String

    @Option(help: "chat or completions.")
    var endpoint: String = "chat"

    @Option(help: "Concurrency levels (closed loop), e.g. 1,4,16.")
    var concurrency: String?

    @Option(help: "Request rates per second (open loop), e.g. 50,100.")
    var rate: String?

    @Option(help: "Arrival process in rate mode: constant or poisson.")
    var arrival: String = "constant"

    @Option(help: "Measured requests per level.")
    var requests: Int?

    @Option(help: "Measurement time per level, e.g. 60s or 2m.")
    var duration: String?

    @Option(help: "Warm-up requests per level, excluded from the figures (default: one per worker, or 1 s of arrivals).")
    var warmup: Int?

    @Option(help: "Input length in words.")
    var isl: Int = 512

    @Option(help: "Output length in tokens (max_tokens = min_tokens, ignore_eos).")
    var osl: Int = 256

    @Option(help: "SLO targets, e.g. ttft_p99=500ms,tpot_p99=50ms (goodput and the search use them).")
    var slo: String?

    @Option(help: "max-concurrency-under-slo: double then bisect the concurrency.")
    var search: String?

    @Option(help: "Highest concurrency the search tries.")
    var searchLimit: Int = 256

    @Option(help: "Directory for profile_export_aiperf.json/.csv per level, sweep.csv and summary.json.")
    var out: String?

    @Option(help: "Seed for prompts and Poisson arrivals.")
    var seed: UInt64 = 0

    @Option(help: "Bearer token for the server.")
    var apiKey: String?

    @Option(help: "Per-request deadline, e.g. 600s.")
    var requestTimeout: String = "600s"

    @Flag(help: "No progress line.")
    var quiet = false

    func run() async throws {
        var flags = LoadTestFlags(url: url, model: model)
        flags.endpoint = endpoint
        flags.concurrency = concurrency
        flags.rate = rate
        flags.arrival = arrival
        flags.requests = requests
        flags.duration = duration
        flags.warmup = warmup
        flags.isl = isl
        flags.osl = osl
        flags.slo = slo
        flags.search = search
        flags.searchLimit = searchLimit
        flags.seed = seed
        flags.apiKey = apiKey
        flags.requestTimeout = requestTimeout
        let planned: (LoadTestConfiguration, SearchGoal?)
        do {
            planned = try flags.plan()
        } catch {
            // ArgumentParser's own format for a ValidationError, but exit 2 (rejected input).
            FileHandle.standardError.write(Data((Self.fullMessage(for: ValidationError(error.description)) + "\n").utf8))
            throw ExitCode(2)
        }

        let (configuration, goal) = planned
        let stop = StopSignal()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            FileHandle.standardError.write(Data("\nstopping: reporting what was measured so far\n".utf8))
            Task { await stop.trigger() }
        }
        source.resume()
        defer { source.cancel() }

        let quiet = self.quiet
        let progress: @Sendable (ProgressSnapshot) -> Void = { snapshot in
            guard !quiet else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(snapshot.line)".utf8))
        }
        let generator = LoadGenerator(configuration: configuration)
        let reports: [LevelReport]
        let result: CapacitySearch.Result<LevelReport>?
        if goal == .maxConcurrencyUnderSLO {
            let found = await generator.searchMaxConcurrency(limit: searchLimit, stop: stop, progress: progress)
            reports = found.trials.map(\.outcome)
            result = found
        } else {
            reports = await generator.runSweep(stop: stop, progress: progress)
            result = nil
        }
        try? await generator.shutdown()
        if !quiet { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        print(LoadTestSummary.text(reports, search: result))
        if let out {
            do {
                try ReportExporter.write(reports, search: result, to: out)
                print("results: \(out)/sweep.csv, \(out)/summary.json, \(out)/<level>/profile_export_aiperf.{json,csv}")
            } catch {
                FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
