import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal keep-alive HTTP/1.1 GET client over a blocking loopback socket, for timing scrapes
/// without an HTTP library's own overhead in the figure (Prometheus also keeps the connection).
final class LoopbackHTTP {
    private var socketFD: Int32 = -1
    private let port: UInt16
    private let path: String

    /// Connections by URL, reused across calls (the benchmark is single-task).
    nonisolated(unsafe) private static var connections: [String: LoopbackHTTP] = [:]

    /// GET `url` (`http://127.0.0.1:PORT/path`); the body's size. Reuses one connection per URL.
    static func get(_ url: String) async throws -> Int {
        let client: LoopbackHTTP
        if let existing = connections[url] {
            client = existing
        } else {
            guard let components = URLComponents(string: url), let port = components.port else { throw BenchError("bad URL \(url)") }
            client = LoopbackHTTP(port: UInt16(port), path: components.path)
            connections[url] = client
        }
        return try client.get()
    }

    private init(port: UInt16, path: String) {
        self.port = port
        self.path = path
    }

    deinit {
        if socketFD >= 0 { close(socketFD) }
    }

    private func connectIfNeeded() throws {
        guard socketFD < 0 else { return }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw BenchError("connect to 127.0.0.1:\(port): \(errno)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        socketFD = fd
    }

    private func get() throws -> Int {
        try connectIfNeeded()
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/plain\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(socketFD, $0.baseAddress, $0.count, 0) }) == request.count else {
            throw BenchError("send failed")
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw BenchError("connection closed") }
            received.append(contentsOf: buffer[0..<count])
            if headerEnd == nil, let end = Self.find([13, 10, 13, 10], in: received) {
                headerEnd = end + 4
                let head = String(decoding: received[0..<end], as: UTF8.self).lowercased()
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                guard head.hasPrefix("http/1.1 200") else { throw BenchError("status: \(head.prefix(40))") }
            }
            if let headerEnd, received.count >= headerEnd + contentLength { return contentLength }
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if Array(haystack[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
