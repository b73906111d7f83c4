public import Fleet
import NIOCore
import NIOPosix

/// Which addresses the server may connect to on a tenant's behalf (model discovery and load
/// traffic against a node's registered endpoint).
///
/// A tenant controls its node's endpoint and, often, the DNS name it is registered under, so
/// without a rule the server could be made to reach its own host or private network (the
/// database, Prometheus, a cloud metadata service). The rule is applied to the address a name
/// *resolves* to, and `resolve(host:port:)` returns that address so the caller connects to it and
/// nothing else: a name re-pointed between the check and the connection changes nothing
/// (no DNS rebinding). Loopback, link-local, private, unspecified, multicast and reserved
/// addresses are refused unless an operator allowed them (`serve --allow-targets CIDR…`).
public struct OutboundPolicy: Sendable, Hashable {
    /// Networks allowed although they are not global (the demo allows its loopback simulator).
    public var allowed: [CIDR]

    public init(allowed: [CIDR] = []) {
        self.allowed = allowed
    }

    /// Allows everything: for the `aifactory loadtest` CLI, where the person running it chose the URL.
    public static let unrestricted = OutboundPolicy(allowed: [CIDR("0.0.0.0/0"), CIDR("::/0")].compactMap { $0 })

    /// Whether a connection to `address` is allowed.
    public func permits(_ address: IPAddress) -> Bool {
        AddressScope.of(address) == .global || allowed.contains { $0.contains(address) }
    }

    /// Resolves `host` once (off the concurrency pool: `getaddrinfo` blocks) and checks the address
    /// it resolved to. Connect to the returned address, never to `host` again.
    /// - Throws: `OutboundRefusal` when the name does not resolve or the address is not allowed;
    ///   the message names the kind of address, not the address.
    public func resolve(host: String, port: Int) async throws(OutboundRefusal) -> PinnedAddress {
        let resolved: SocketAddress
        do {
            if let literal = IPAddress(host) {
                resolved = try SocketAddress(ipAddress: literal.description, port: port)
            } else {
                resolved = try await NIOThreadPool.singleton.runIfActive {
                    try SocketAddress.makeAddressResolvingHost(host, port: port)
                }
            }
        } catch {
            throw OutboundRefusal(reason: .unresolvable)
        }
        guard let text = resolved.ipAddress, let address = IPAddress(text) else {
            throw OutboundRefusal(reason: .unresolvable)
        }
        guard permits(address) else { throw OutboundRefusal(reason: .refused(AddressScope.of(address))) }
        return PinnedAddress(host: host, address: text, port: port)
    }
}

/// A host name with the one address the policy approved for it.
public struct PinnedAddress: Sendable, Hashable {
    /// As written in the URL: still sent as `Host` and used for TLS.
    public var host: String
    /// Numeric address text (`10.0.0.7`, `::1`): the only address connected to.
    public var address: String
    public var port: Int

    public init(host: String, address: String, port: Int) {
        self.host = host
        self.address = address
        self.port = port
    }
}

/// The server will not connect to a node's endpoint for a tenant.
public struct OutboundRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case unresolvable
        case refused(AddressScope)
    }

    public var reason: Reason

    /// Shown to the tenant: says what to do, and never which address or port was involved.
    public var description: String {
        switch reason {
        case .unresolvable:
            "the node's endpoint host name does not resolve"
        case .refused(let scope):
            "the node's endpoint resolves to a \(scope.rawValue) address, which this server does not connect to for tenants; a site operator can allow it (serve --allow-targets)"
        }
    }
}
