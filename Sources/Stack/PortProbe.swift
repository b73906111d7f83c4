import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks and reserves TCP ports on loopback before children are started.
///
/// Probing first turns "address already in use" into one clear line before anything else has
/// been launched, instead of a half-started stack. The check is advisory (another process may
/// take the port between probe and bind); the real bind still reports its own error.
public enum PortProbe {
    /// Whether `host:port` can be bound right now.
    public static func isAvailable(host: String, port: Int) -> Bool {
        bindProbe(host: host, port: port) != nil
    }

    /// A port free on `host` now, chosen for a child that binds it later; `nil` if none is.
    ///
    /// Drawn at random below the kernel's ephemeral range (`ip_local_port_range`), not from it:
    /// every socket bound to port 0 meanwhile (the simulator, test servers, outgoing connections)
    /// takes an ephemeral port, and one of them taking the probed port before the child binds it
    /// made starts fail with "address already in use". Falls back to a kernel-chosen port when the
    /// range below holds nothing free.
    public static func freePort(host: String = "127.0.0.1") -> Int? {
        let low = max(1025, min(ephemeralLowerBound - 12_000, 20_000))
        let high = ephemeralLowerBound - 1
        if high > low {
            for _ in 0..<64 {
                let port = Int.random(in: low...high)
                if let bound = bindProbe(host: host, port: port) { return bound }
            }
        }
        return bindProbe(host: host, port: 0)
    }

    /// The first port of the kernel's ephemeral range (32768 when it cannot be read).
    static var ephemeralLowerBound: Int {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
           let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first, let port = Int(first) {
            return port
        }
        #endif
        return 32768
    }

    /// Binds a TCP socket to `host:port`, returns the bound port and closes the socket.
    private static func bindProbe(host: String, port: Int) -> Int? {
        guard port >= 0, port <= 65535 else { return nil }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let resolved = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, resolved, &address.sin_addr) == 1 else { return nil }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { return nil }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &actual) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        return Int(UInt16(bigEndian: actual.sin_port))
    }
}
