public import Stack

/// Runs the demo stack (simulator, seeded store, server, real Prometheus) with `configuration`
/// until it is ready, runs `body` with its credentials, then stops it gracefully — also when
/// `body` throws — and waits for every child to be gone before returning.
///
/// One copy of the start-up every integration test used to repeat: the stack is stopped through
/// `run(stop:)`, never by cancellation (cancelling a Hummingbird server mid-accept trips a NIO
/// precondition).
public func withDemoStack<T: Sendable>(
    _ configuration: DemoConfiguration, _ body: @Sendable (DemoCredentials) async throws -> T
) async throws -> T {
    let ready = Rendezvous<DemoCredentials>()
    let stop = Rendezvous<Void>()
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            // A stack that ends before it is ready (a port taken, Prometheus failing to start)
            // must wake the waiter below: it is outside the group, and would otherwise wait forever.
            do {
                try await DemoStack(configuration).run(stop: stop) { await ready.fulfil($0) }
                await ready.fail(HarnessError.endedBeforeReady)
            } catch {
                await ready.fail(error)
                throw error
            }
        }
        let credentials: DemoCredentials
        do {
            credentials = try await ready.wait()
        } catch {
            try await tasks.waitForAll()
            throw error
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(credentials))
        } catch {
            result = .failure(error)
        }
        await stop.fulfil(())
        try await tasks.waitForAll()
        return try result.get()
    }
}

/// Why the harness has no stack to hand to a test body.
public enum HarnessError: Error, CustomStringConvertible {
    case endedBeforeReady

    public var description: String {
        switch self {
        case .endedBeforeReady: "the demo stack stopped before it was ready"
        }
    }
}
