public import Fleet
import Foundation
import HTTPTypes
import Hummingbird

/// Which peers may tell the server the client's address (`X-Forwarded-For`), and the address
/// that results.
///
/// Without a trusted proxy the peer address is the client: a header anyone can send must not
/// move a client out of its own failed-auth count. Behind listed proxies, the client is the
/// right-most `X-Forwarded-For` entry that is not itself a listed proxy (entries to its left
/// were written by the client and prove nothing).
public struct TrustedProxies: Sendable, Hashable {
    public var networks: [CIDR]

    public init(_ networks: [CIDR] = []) {
        self.networks = networks
    }

    func isTrusted(_ address: IPAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The client address of a request from `peer` carrying `forwardedFor` header values.
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer, let peerAddress = IPAddress(peer) else { return peer ?? "unknown" }
        guard isTrusted(peerAddress) else { return peer }
        var client = peer
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else { break }
            client = address.description
            if !isTrusted(address) { break }
        }
        return client
    }

    func clientAddress(_ request: Request, peer: String?) -> String {
        clientAddress(peer: peer, forwardedFor: request.headers[values: .init("X-Forwarded-For")!])
    }
}
