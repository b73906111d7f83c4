import ArgumentParser

/// A `host:port` bind address given on the command line.
struct ListenAddress: ExpressibleByArgument, Sendable, Hashable, CustomStringConvertible {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":") else { return nil }
        let host = String(argument[..<colon])
        guard !host.isEmpty, let port = Int(argument[argument.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        self.init(host: host, port: port)
    }

    var description: String { "\(host):\(port)" }

    static var defaultValueDescription: String { "127.0.0.1:8080" }
}
