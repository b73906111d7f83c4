import NIOCore

/// Starts one streaming request on the phase's event loop and reports its record there.
///
/// Two carriers: `WireClient` for plain `http://` endpoints (the common case, and the measured
/// one) and `StreamingClient` over AsyncHTTPClient for `https://` (TLS).
protocol RequestStarter: Sendable {
    /// Starts the request now (the caller is on `loop`); `completion` runs on `loop` exactly once
    /// with the record, whatever happened — possibly before `start` returns.
    func start(body: [UInt8], inputTokens: Int, scheduled: UInt64?, stopwatch: Stopwatch, on loop: any EventLoop,
               completion: @escaping @Sendable (RequestRecord) -> Void) -> (any InFlightRequest)?

    /// Closes idle connections (call once every phase has finished).
    func shutdown() async
}

/// A request that can be abandoned (the run was stopped); called on the phase's event loop.
protocol InFlightRequest: AnyObject {
    func cancel()
}
