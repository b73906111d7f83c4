/// A network as address and prefix length (`10.0.0.0/8`, `::1/128`); a bare address is a /32
/// (IPv4) or /128 (IPv6) network.
///
/// Used for `serve --allow-targets` and `--trusted-proxies`: operators write networks, the
/// server compares resolved addresses against them.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    public let network: IPAddress
    public let prefixLength: Int

    /// `nil` when the text is not `address[/length]` with a length that fits the address family.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy({ ("0"..."9").contains($0) }), let length = Int(parts[1]), length <= bits else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        network = address
    }

    public var description: String { "\(network)/\(prefixLength)" }

    /// Whether `address` lies in this network. IPv4-mapped IPv6 addresses count as IPv4, and an
    /// IPv4 network never contains a (non-mapped) IPv6 address or the other way round.
    public func contains(_ address: IPAddress) -> Bool {
        let candidate = address.unmapped
        let own = network.unmapped
        let ownLength = own.bytes.count == network.bytes.count ? prefixLength : max(0, prefixLength - 96)
        guard candidate.bytes.count == own.bytes.count else { return false }
        var remaining = ownLength
        for (a, b) in zip(candidate.bytes, own.bytes) {
            if remaining <= 0 { return true }
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            if a & mask != b & mask { return false }
            remaining -= 8
        }
        return true
    }
}
