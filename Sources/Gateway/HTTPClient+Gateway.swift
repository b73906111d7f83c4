public import AsyncHTTPClient
import NIOCore

extension HTTPClient {
    /// The client the gateway reaches vLLM with. `HTTPClient.shared` keeps at most 8 connections
    /// per host, and a streaming request holds its connection for the whole answer: at 200 req/s
    /// of 200 ms streams that queued requests for seconds (measured). Here each upstream may have
    /// as many connections as requests in flight; idle ones are kept a minute for reuse.
    public static let gateway: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 8192)
        configuration.timeout.connect = .seconds(2)
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
