/// nccl-tests output (`all_reduce_perf` and its siblings share the layout):
///
/// ```text
/// #  Rank  0 Group  0 Pid 4180122 on cnode3-002 device  0 [0000:1b:00] NVIDIA H100 80GB HBM3
/// #       size         count      type   redop    root     time   algbw   busbw  #wrong     time …
///     33554432       4194304    double     sum      -1   182.87  183.49  321.10       0   182.88 …
/// # Out of bounds values : 0 OK
/// # Avg bus bandwidth    : 437.957
/// ```
/// A run fails when any `#wrong` is non-zero, out-of-bounds values are reported, a CUDA/NCCL
/// failure line appears, or the table is missing. Bandwidth below 70 % of the class's expected
/// figure is a warning: a busy or throttled GPU also reads low, so it asks for a look, not a verdict.
enum NCCLParser {
    /// Below this share of the expected bus bandwidth the bandwidth check warns.
    static let lowBandwidthShare = 0.7
    /// From this message size up all_reduce is bandwidth-bound on NVLink and PCIe alike (the
    /// busbw curve flattens); below it latency dominates and the figure says nothing about links.
    static let bandwidthBoundBytes = 32 << 20

    static func parse(_ output: String, exitStatus: Int32, gpuClass: String?, interconnect: Interconnect?) -> DiagnosticReport? {
        var rows: [NCCLReport.Row] = []
        var devices: [NCCLReport.Device] = []
        var average: Double?
        var outOfBounds: Int?
        var failure: String?
        var sawHeader = false
        for rawLine in output.split(whereSeparator: \.isNewline) {
            let line = String(rawLine).trimmed
            if line.hasPrefix("#") {
                let body = String(line.dropFirst()).trimmed
                if body.hasPrefix("nccl-tests version") || body.hasPrefix("Collective test starting") || body.hasPrefix("nThread") {
                    sawHeader = true
                } else if body.hasPrefix("Rank"), let device = device(body) {
                    devices.append(device)
                } else if body.hasPrefix("Avg bus bandwidth") {
                    average = value(after: ":", in: body).flatMap(Double.init)
                } else if body.hasPrefix("Out of bounds values") {
                    outOfBounds = value(after: ":", in: body).flatMap { Int($0.split(separator: " ").first ?? "") }
                }
                continue
            }
            if let row = row(line) {
                rows.append(row)
            } else if failure == nil, isFailure(line) {
                failure = line
            }
        }
        guard sawHeader || !rows.isEmpty || failure != nil else { return nil }

        let wrong = rows.reduce(0) { $0 + ($1.wrong ?? 0) + ($1.inPlaceWrong ?? 0) }
        let link = interconnect ?? (gpuClass.map { ExpectedBandwidth.interconnect(gpuClass: $0) })
        let expected = ExpectedBandwidth.busBandwidth(gpuClass: gpuClass, interconnect: link)
        let peak = rows.map { max($0.busBandwidth, $0.inPlaceBusBandwidth) }.max()
        if average == nil, !rows.isEmpty {
            average = rows.map(\.busBandwidth).reduce(0, +) / Double(rows.count)
        }
        let large = rows.filter { $0.bytes >= bandwidthBoundBytes }.map(\.busBandwidth)
        let report = NCCLReport(
            rows: rows, devices: devices, averageBusBandwidth: average, peakBusBandwidth: peak,
            bandwidthBoundBusBandwidth: large.isEmpty ? nil : large.reduce(0, +) / Double(large.count),
            expectedBusBandwidth: expected, interconnect: expected == nil ? nil : link, wrong: wrong,
            outOfBounds: outOfBounds, failure: failure)

        var tests: [DiagnosticTest] = []
        var correctness = DiagnosticTest(name: "all_reduce correctness", status: .pass)
        if let failure {
            correctness.status = .fail
            correctness.messages.append(failure)
            correctness.action = RecoveryCodes.action(forMessage: failure)
            if correctness.action == .rerun, failure.contains("CUDA") { correctness.action = .resetGPU }
        }
        if wrong > 0 || (outOfBounds ?? 0) > 0 {
            correctness.status = .fail
            let sizes = rows.filter { ($0.wrong ?? 0) + ($0.inPlaceWrong ?? 0) > 0 }.map { byteSize($0.bytes) }
            correctness.messages.append("\(wrong) wrong element(s)" + (sizes.isEmpty ? "" : " at \(sizes.joined(separator: ", "))")
                + ((outOfBounds ?? 0) > 0 ? "; \(outOfBounds ?? 0) out-of-bounds value(s)" : "")
                + ": data corrupted between GPUs (NVLink/PCIe or GPU memory)")
            correctness.action = max(correctness.action, .drainNode)
        }
        if rows.isEmpty, failure == nil {
            correctness.status = .fail
            correctness.messages.append("no result table: all_reduce_perf stopped before measuring (exit status \(exitStatus))")
            correctness.action = .rerun
        }
        tests.append(correctness)
        tests.append(bandwidthTest(report: report, gpuClass: gpuClass))

        let failed = tests.contains { $0.status == .fail } || exitStatus != 0
        let action = tests.filter { $0.status >= .warn }.map(\.action).max() ?? (failed ? .rerun : .none)
        var summary = ""
        if let failure, correctness.status == .fail, rows.isEmpty {
            summary = "all_reduce aborted: \(failure)"
        } else {
            summary = "all_reduce on \(max(devices.count, 1)) GPU(s)"
            if let average { summary += ": average bus bandwidth \(format(average)) GB/s" }
            if let peak { summary += ", peak \(format(peak))" }
            if let expected { summary += " (expected ≥ \(format(expected)) for \(gpuClass ?? "") over \(link?.rawValue ?? "")" + ")" }
            if wrong > 0 { summary += "; \(wrong) wrong element(s)" }
            if let failure { summary += "; \(failure)" }
            if exitStatus != 0, correctness.status != .fail { summary += "; all_reduce_perf exited \(exitStatus)" }
        }
        if failed || action != .none { summary += " — \(action.label)" }
        return DiagnosticReport(
            outcome: failed ? .failed : .passed, summary: summary, format: .ncclTests,
            action: failed ? max(action, .rerun) : action, tests: tests, nccl: report)
    }

    private static func bandwidthTest(report: NCCLReport, gpuClass: String?) -> DiagnosticTest {
        var test = DiagnosticTest(name: "bus bandwidth", status: .pass)
        guard let peak = report.peakBusBandwidth else {
            test.status = .skip
            test.messages.append("no bandwidth measured")
            return test
        }
        if report.devices.count == 1 {
            test.status = .skip
            test.messages.append("one GPU: all_reduce moves no data between GPUs, so there is no bus bandwidth to judge")
            return test
        }
        guard let expected = report.expectedBusBandwidth else {
            test.status = .skip
            test.messages.append("no expected figure for GPU class '\(gpuClass ?? "unknown")': peak \(format(peak)) GB/s recorded, not judged")
            return test
        }
        let judged: Double
        if let large = report.bandwidthBoundBusBandwidth {
            judged = large
            test.messages.append("average bus bandwidth over the sizes from 32 MiB up \(format(large)) GB/s is \(Int((large / expected * 100).rounded())) % of the \(format(expected)) GB/s expected (peak \(format(peak)))")
        } else {
            judged = peak
            test.messages.append("no size reached 32 MiB: judged on the peak, \(format(peak)) GB/s, \(Int((peak / expected * 100).rounded())) % of the \(format(expected)) GB/s expected")
        }
        let share = judged / expected
        if share < lowBandwidthShare {
            test.status = .warn
            test.action = .drainNode
            test.messages.append("below \(Int(lowBandwidthShare * 100)) %: check NVLink/PCIe link state (nvidia-smi nvlink -s, topo -m) and whether other work ran on the GPUs")
        }
        return test
    }

    /// One data row: size count type redop root, then time/algbw/busbw/#wrong out of place and in place.
    private static func row(_ line: String) -> NCCLReport.Row? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count >= 13, let bytes = Int(fields[0]), let count = Int(fields[1]), Int(fields[4]) != nil else { return nil }
        let numbers = fields[5..<13].map { Double($0) }
        guard let time = numbers[0], let algbw = numbers[1], let busbw = numbers[2],
              let inTime = numbers[4], let inAlgbw = numbers[5], let inBusbw = numbers[6] else { return nil }
        return NCCLReport.Row(
            bytes: bytes, count: count, type: fields[2], time: time, algorithmBandwidth: algbw, busBandwidth: busbw,
            wrong: Int(fields[8]), inPlaceTime: inTime, inPlaceAlgorithmBandwidth: inAlgbw, inPlaceBusBandwidth: inBusbw,
            inPlaceWrong: Int(fields[12]))
    }

    /// `Rank  0 Group  0 Pid 4180122 on cnode3-002 device  0 [0000:1b:00] NVIDIA H100 80GB HBM3`
    private static func device(_ body: String) -> NCCLReport.Device? {
        let words = body.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count >= 9, let rank = Int(words[1]), let on = words.firstIndex(of: "on"), on + 1 < words.count,
              let deviceAt = words.firstIndex(of: "device"), deviceAt + 1 < words.count, let device = Int(words[deviceAt + 1]) else { return nil }
        var busID = ""
        var nameStart = deviceAt + 2
        if nameStart < words.count, words[nameStart].hasPrefix("[") {
            busID = String(words[nameStart].dropFirst().dropLast())
            nameStart += 1
        }
        return NCCLReport.Device(
            rank: rank, host: words[on + 1], device: device, busID: busID,
            name: words[min(nameStart, words.count)...].joined(separator: " "))
    }

    private static func isFailure(_ line: String) -> Bool {
        line.contains("Test CUDA failure") || line.contains("Test NCCL failure") || line.contains("NCCL WARN")
            || (line.contains("Test failure") && !line.hasPrefix(".."))
            || line.contains("CUDA error") || line.contains("out of memory")
    }

    private static func value(after separator: Character, in text: String) -> String? {
        guard let index = text.firstIndex(of: separator) else { return nil }
        return String(text[text.index(after: index)...]).trimmed
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    private static func byteSize(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) B"
    }
}
