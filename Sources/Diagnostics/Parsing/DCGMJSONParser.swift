import Foundation

/// `dcgmi diag -j` output, both schemas:
/// - DCGM 3.x: root `"DCGM GPU Diagnostic"` → `test_categories[].tests[].results[]` with `status`,
///   `gpu_ids` (a string), `info` (one string) and `warnings` (objects with `error_id`).
/// - DCGM 4.x: root `"DCGM Diagnostic"` beside `"metadata"` and `"entity_groups"`; results per
///   entity (`entity_group`, `entity_id`) with `warnings[]`, and a per-test `test_summary`.
/// Whitespace is free (the fixtures mix jsoncpp's `"key" : ` with `"key": `).
enum DCGMJSONParser {
    static func parse(_ output: String, exitStatus: Int32) -> DiagnosticReport? {
        guard let root = jsonObject(in: output) else { return nil }
        let format: DiagnosticReport.Format
        let body: [String: Any]
        if let v4 = root["DCGM Diagnostic"] as? [String: Any] {
            format = .dcgmJSON4
            body = v4
        } else if let v3 = root["DCGM GPU Diagnostic"] as? [String: Any] {
            format = .dcgmJSON3
            body = v3
        } else {
            return nil
        }
        var metadata: [String: String] = [:]
        for source in [root["metadata"] as? [String: Any], body["metadata"] as? [String: Any]].compactMap({ $0 }) {
            if let version = scalar(source["version"]) { metadata["dcgmVersion"] = version }
            if let driver = scalar(source["Driver Version Detected"]) { metadata["driverVersion"] = driver }
        }
        if let version = scalar(body["version"]) { metadata["dcgmVersion"] = version }
        var tests: [DiagnosticTest] = []
        for category in body["test_categories"] as? [[String: Any]] ?? [] {
            let categoryName = category["category"] as? String
            for test in category["tests"] as? [[String: Any]] ?? [] {
                tests.append(self.test(test, category: categoryName))
            }
        }
        if let runtime = scalar(root["runtime_error"]) ?? scalar(body["runtime_error"]) {
            tests.append(DiagnosticTest(
                name: "dcgmi", status: .fail, messages: [runtime], action: RecoveryCodes.action(forMessage: runtime)))
        }
        guard !tests.isEmpty else { return nil }
        let (outcome, summary, action) = DiagnosticParser.dcgmSummary(tests: tests, exitStatus: exitStatus)
        return DiagnosticReport(outcome: outcome, summary: summary, format: format, action: action, tests: tests, metadata: metadata)
    }

    private static func test(_ test: [String: Any], category: String?) -> DiagnosticTest {
        let name = test["name"] as? String ?? "unnamed test"
        var messages: [String] = []
        var gpus: [Int: GPUResult] = [:]
        var statuses: [DiagnosticStatus] = []
        var actions: [RecoveryAction] = []
        for result in test["results"] as? [[String: Any]] ?? [] {
            let status = (result["status"] as? String).flatMap(DiagnosticStatus.init(dcgm:)) ?? .warn
            statuses.append(status)
            let warnings = (result["warnings"] as? [Any] ?? (result["warnings"].map { [$0] } ?? [])).compactMap(Warning.init)
            var notes = warnings.map(\.message)
            notes += strings(result["info"])
            let worst = warnings.filter { _ in status >= .warn }.map { RecoveryCodes.action(code: $0.code, severity: $0.severity, message: $0.message) }.max()
                ?? (status >= .warn ? notes.map(RecoveryCodes.action(forMessage:)).max() ?? .rerun : .none)
            actions.append(worst)
            let ids = gpuIDs(result)
            if ids.isEmpty {
                messages += notes
                continue
            }
            let code = warnings.compactMap(\.code).first.map { RecoveryCodes.table[$0]?.name ?? "error \($0)" }
            for gpu in ids {
                var entry = gpus[gpu] ?? GPUResult(gpu: gpu, status: status)
                entry.status = max(entry.status, status)
                entry.messages += notes
                entry.code = entry.code ?? code
                entry.action = max(entry.action, worst)
                gpus[gpu] = entry
            }
        }
        var status = statuses.max() ?? .skip
        if let summary = test["test_summary"] as? [String: Any] {
            if let text = summary["status"] as? String, let summaryStatus = DiagnosticStatus(dcgm: text) {
                status = summaryStatus
            }
            messages += strings(summary["info"])
        }
        if statuses.isEmpty, status == .skip, let text = test["status"] as? String, let own = DiagnosticStatus(dcgm: text) {
            status = own
        }
        let action = status >= .warn ? (actions.max() ?? .rerun) : .none
        return DiagnosticTest(
            name: name, category: category, status: status, messages: messages,
            gpus: gpus.values.sorted { $0.gpu < $1.gpu }, action: action == .none && status == .fail ? .rerun : action)
    }

    /// DCGM 3.x names GPUs in `gpu_ids` ("0" or "0,1"); 4.x uses `entity_group: "GPU"` + `entity_id`.
    private static func gpuIDs(_ result: [String: Any]) -> [Int] {
        if let group = result["entity_group"] as? String {
            guard group.uppercased() == "GPU", let id = integer(result["entity_id"]) else { return [] }
            return [id]
        }
        if let ids = result["gpu_ids"] as? String {
            return ids.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Int($0) }
        }
        if let ids = result["gpu_ids"] as? [Any] { return ids.compactMap(integer) }
        if let id = integer(result["gpu_id"]) { return [id] }
        return []
    }

    private struct Warning {
        var message: String
        var code: Int?
        var severity: Int?

        init?(_ value: Any) {
            if let text = value as? String {
                message = text
            } else if let object = value as? [String: Any] {
                message = (object["warning"] as? String) ?? (object["message"] as? String) ?? ""
                code = DCGMJSONParser.integer(object["error_id"])
                severity = DCGMJSONParser.integer(object["error_severity"])
            } else {
                return nil
            }
            message = message.trimmed
            if message.isEmpty, code == nil { return nil }
        }
    }

    private static func strings(_ value: Any?) -> [String] {
        if let text = value as? String { return text.trimmed.isEmpty ? [] : [text.trimmed] }
        if let list = value as? [Any] { return list.compactMap { ($0 as? String)?.trimmed }.filter { !$0.isEmpty } }
        return []
    }

    private static func scalar(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }

    private static func integer(_ value: Any?) -> Int? {
        if let number = value as? NSNumber { return number.intValue }
        if let text = value as? String { return Int(text) }
        return nil
    }

    /// The JSON object in `output`, which may carry lines before it ("Successfully ran…", warnings
    /// the tool printed to stderr): tries the whole text, then from the first `{` to the last `}`.
    private static func jsonObject(in output: String) -> [String: Any]? {
        guard let start = output.firstIndex(of: "{"), let end = output.lastIndex(of: "}"), start < end else { return nil }
        let slice = output[start...end]
        return (try? JSONSerialization.jsonObject(with: Data(slice.utf8))) as? [String: Any]
    }
}
