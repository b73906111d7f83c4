import PrometheusClient

extension StackValidator {
    /// Configured, reachable (and which version), and keeping enough history for the page.
    func backendChecks() async -> [ValidationCheck] {
        let group = ValidationCheck.Group.backend
        guard metrics != nil else {
            return [ValidationCheck(
                id: "backend.configured", group: group, title: "Metrics backend configured", status: .fail,
                seen: "no metrics backend is configured",
                hint: "Start the server with --prometheus-url pointing at Prometheus or a compatible backend: every metric the page shows comes from it.")]
        }
        var checks = [ValidationCheck(id: "backend.configured", group: group, title: "Metrics backend configured", status: .pass, seen: "configured")]
        guard let probe else {
            checks.append(ValidationCheck(id: "backend.reachable", group: group, title: "Metrics backend reachable", status: .skip,
                                          seen: "this backend does not answer Prometheus' status API"))
            return checks
        }
        do {
            let info = try await probe.buildInfo()
            checks.append(ValidationCheck(id: "backend.reachable", group: group, title: "Metrics backend reachable", status: .pass,
                                          seen: "answers; version \(info.version)"))
        } catch {
            var check = Self.unreadable("backend.reachable", group, "Metrics backend reachable", error)
            check.hint = "Check that Prometheus runs and that the server reaches it at the configured --prometheus-url."
            checks.append(check)
            return checks
        }
        let title = "Retention covers the page's 7 d trend and 30 d reliability"
        do {
            let runtime = try await probe.runtimeInfo()
            let text = runtime.storageRetention ?? "not stated"
            if let seconds = runtime.retentionSeconds {
                if seconds >= Self.neededRetention {
                    checks.append(ValidationCheck(id: "backend.retention", group: group, title: title, status: .pass, seen: "keeps \(text)"))
                } else {
                    checks.append(ValidationCheck(
                        id: "backend.retention", group: group, title: title, status: .warn, seen: "keeps \(text)",
                        hint: "Raise it to at least 30 days (Prometheus: --storage.tsdb.retention.time=30d), or read from a long-term backend: the 7 d trend and the 30 d reliability panel show gaps until then."))
                }
            } else {
                checks.append(ValidationCheck(
                    id: "backend.retention", group: group, title: title, status: .warn, seen: "retention: \(text) (no time limit stated)",
                    hint: "A size-only limit drops old data as the fleet grows: check that it holds 30 days, or set --storage.tsdb.retention.time=30d."))
            }
        } catch {
            checks.append(ValidationCheck(
                id: "backend.retention", group: group, title: title, status: .skip,
                seen: "the backend does not report its retention (/api/v1/status/runtimeinfo)",
                hint: "Check by hand that it keeps at least 30 days."))
        }
        return checks
    }
}
