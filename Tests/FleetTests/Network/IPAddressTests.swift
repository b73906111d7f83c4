import Fleet
import Testing

/// The address parsing and classification the outbound policy, trusted proxies and node
/// registration rely on (issue 15, finding 1).
@Suite("IPAddress and CIDR")
struct IPAddressTests {
    @Test("parses IPv4 and IPv6 text; refuses names and malformed text", arguments: [
        ("10.0.0.1", "10.0.0.1"), ("::1", "0:0:0:0:0:0:0:1"), ("[::1]", "0:0:0:0:0:0:0:1"), ("fe80::1%eth0", "fe80:0:0:0:0:0:0:1"),
        ("::ffff:127.0.0.1", "0:0:0:0:0:ffff:7f00:1"), ("2001:db8::", "2001:db8:0:0:0:0:0:0"),
        ("localhost", nil), ("1.2.3", nil), ("1.2.3.256", nil), ("01.2.3.4", nil), ("1::2::3", nil), ("1:2:3:4:5:6:7:8:9", nil), ("", nil),
    ] as [(String, String?)])
    func parses(text: String, expected: String?) {
        #expect(IPAddress(text)?.description == expected)
    }

    @Test("CIDR containment, IPv4-mapped addresses count as IPv4", arguments: [
        ("10.0.0.0/8", "10.255.1.2", true), ("10.0.0.0/8", "11.0.0.1", false), ("172.16.0.0/12", "172.31.255.255", true),
        ("172.16.0.0/12", "172.32.0.0", false), ("127.0.0.1", "127.0.0.1", true), ("127.0.0.1", "127.0.0.2", false),
        ("127.0.0.0/8", "::ffff:127.0.0.5", true), ("::1/128", "127.0.0.1", false), ("0.0.0.0/0", "8.8.8.8", true),
        ("fe80::/10", "febf::1", true), ("fe80::/10", "fec0::1", false),
    ])
    func contains(network: String, address: String, expected: Bool) throws {
        let cidr = try #require(CIDR(network))
        let ip = try #require(IPAddress(address))
        #expect(cidr.contains(ip) == expected)
    }

    @Test("refuses malformed networks", arguments: ["10.0.0.0/33", "10.0.0.0/", "::/129", "host/8", "10.0.0.0/-1"])
    func malformedNetworks(text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test("classifies the address scopes", arguments: [
        ("127.0.0.1", AddressScope.loopback), ("::1", .loopback), ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal),
        ("10.0.0.1", .privateNetwork), ("192.168.0.1", .privateNetwork), ("fd12::1", .privateNetwork), ("100.64.0.1", .privateNetwork),
        ("0.0.0.0", .unspecified), ("::", .unspecified), ("224.0.0.1", .multicast), ("ff02::1", .multicast),
        ("255.255.255.255", .reserved), ("8.8.8.8", .global), ("2606:4700::1111", .global),
    ])
    func scopes(address: String, scope: AddressScope) throws {
        #expect(AddressScope.of(try #require(IPAddress(address))) == scope)
    }
}
