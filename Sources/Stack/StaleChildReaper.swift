import Foundation

/// Stops a Prometheus left running by an earlier demo that was killed with SIGKILL.
///
/// A killed parent cannot stop its children, and the orphan keeps the TSDB lock, so the next
/// start would fail with "lock DB directory". The pid file names the orphan; it is only signalled
/// when `/proc/<pid>/cmdline` proves it is a Prometheus using this very state directory, so a
/// recycled pid never hits an unrelated process.
enum StaleChildReaper {
    /// Terminates the process recorded in `pidFile` if it still runs with `marker` on its command line.
    static func reap(pidFile: String, marker: String) async {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1
        else { return }
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        guard let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return }
        let arguments = String(decoding: cmdline, as: UTF8.self).split(separator: "\0")
        guard arguments.contains(where: { $0.contains(marker) }) else { return }
        kill(pid, SIGTERM)
        kill(pid, SIGCONT)  // a stopped orphan acts on SIGTERM only once continued
        let deadline = ContinuousClock.now + .seconds(10)
        while isAlive(pid), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if isAlive(pid) { kill(pid, SIGKILL) }
    }

    /// Whether `pid` exists and is not a zombie (a zombie is dead, only not yet reaped by its parent).
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Records `pid` so a later start can reap it.
    static func record(pid: Int32, in pidFile: String) {
        try? "\(pid)\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
    }
}
