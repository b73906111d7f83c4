public import AsyncHTTPClient
import Foundation
import NIOSSL
import Synchronization

/// How to reach a long-term metrics backend behind a Prometheus-compatible API (docs/DEPLOY.md
/// "Long-term metrics"): the headers a multi-tenant store needs (`X-Scope-OrgID` for Mimir and
/// Cortex), the parameters a query layer wants on every read (`dedup` and `partial_response` for
/// Thanos), credentials read from files (never from the command line, where `ps` shows them) and
/// a private CA. Every client the server makes for the backend comes from one of these.
public struct PrometheusBackend: Sendable {
    public var headers: [(String, String)]
    public var queryParameters: [(String, String)]
    /// A client trusting `caFile` when one was given; the shared Prometheus client otherwise.
    public var http: HTTPClient

    public init(headers: [(String, String)] = [], queryParameters: [(String, String)] = [], http: HTTPClient = .prometheus) {
        self.headers = headers
        self.queryParameters = queryParameters
        self.http = http
    }

    /// A client for `baseURL` with these settings.
    public func client(baseURL: String, timeout: Duration = .seconds(10)) -> PrometheusClient {
        PrometheusClient(baseURL: baseURL, headers: headers, queryParameters: queryParameters, timeout: timeout, http: http)
    }

    /// Builds the settings from `serve`'s flags, refusing anything malformed with the flag named.
    ///
    /// - `headers`: `Name: value`; `Authorization` must come from a credentials file instead.
    /// - `parameters`: `name=value`.
    /// - Bearer token and basic-auth password: the first line of their file, which must not be empty.
    public static func load(
        headers: [String] = [], parameters: [String] = [], bearerTokenFile: String? = nil,
        basicAuthUser: String? = nil, basicAuthPasswordFile: String? = nil, caFile: String? = nil
    ) throws(PrometheusBackendError) -> PrometheusBackend {
        var backend = PrometheusBackend()
        for header in headers {
            guard let colon = header.firstIndex(of: ":") else {
                throw .invalid(flag: "--prometheus-header", "'\(header)' is not 'Name: value'")
            }
            let name = header[..<colon].trimmingCharacters(in: .whitespaces)
            let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte), !value.contains(where: \.isNewline) else {
                throw .invalid(flag: "--prometheus-header", "'\(header)' is not 'Name: value'")
            }
            guard name.lowercased() != "authorization" else {
                throw .invalid(flag: "--prometheus-header", "Authorization comes from --prometheus-bearer-token-file or --prometheus-basic-auth-password-file, not the command line")
            }
            backend.headers.append((name, value))
        }
        for parameter in parameters {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw .invalid(flag: "--prometheus-param", "'\(parameter)' is not 'name=value'")
            }
            guard !["query", "match[]", "start", "end", "step", "time", "timeout"].contains(String(parts[0])) else {
                throw .invalid(flag: "--prometheus-param", "'\(parts[0])' is set by AI Factory itself")
            }
            backend.queryParameters.append((String(parts[0]), String(parts[1])))
        }
        if bearerTokenFile != nil, basicAuthUser != nil || basicAuthPasswordFile != nil {
            throw .invalid(flag: "--prometheus-bearer-token-file", "give either a bearer token or basic auth, not both")
        }
        if let bearerTokenFile {
            backend.headers.append(("Authorization", "Bearer " + (try secret(bearerTokenFile, flag: "--prometheus-bearer-token-file"))))
        }
        switch (basicAuthUser, basicAuthPasswordFile) {
        case (nil, nil):
            break
        case (let user?, let file?):
            guard !user.contains(":") else { throw .invalid(flag: "--prometheus-basic-auth-user", "must not contain ':'") }
            let password = try secret(file, flag: "--prometheus-basic-auth-password-file")
            backend.headers.append(("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
        case (nil, _):
            throw .invalid(flag: "--prometheus-basic-auth-user", "is needed with --prometheus-basic-auth-password-file")
        case (_, nil):
            throw .invalid(flag: "--prometheus-basic-auth-password-file", "is needed with --prometheus-basic-auth-user")
        }
        if let caFile { backend.http = try client(trusting: caFile) }
        return backend
    }

    /// The first line of `path`, trimmed; a missing, unreadable or empty file is refused.
    static func secret(_ path: String, flag: String) throws(PrometheusBackendError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .invalid(flag: flag, "cannot read \(path)")
        }
        let line = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !line.isEmpty else { throw .invalid(flag: flag, "\(path) is empty") }
        return line
    }

    /// Clients made for CA files, by path: process-wide and never shut down, like
    /// `HTTPClient.prometheus` (an HTTPClient must be shut down before it is released, and these
    /// serve the process until it exits).
    private static let trusting = Mutex<[String: HTTPClient]>([:])

    /// The Prometheus client's settings (`HTTPClient.prometheus`) with `caFile`'s certificates as
    /// the only trust roots; one per file for the life of the process.
    static func client(trusting caFile: String) throws(PrometheusBackendError) -> HTTPClient {
        if let made = trusting.withLock({ $0[caFile] }) { return made }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(caFile)
        } catch {
            throw .invalid(flag: "--prometheus-ca-file", "\(caFile) holds no PEM certificate that can be read")
        }
        guard !certificates.isEmpty else { throw .invalid(flag: "--prometheus-ca-file", "\(caFile) holds no PEM certificate") }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(certificates)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .prometheus(tls: tls))
        return trusting.withLock { clients in
            if let made = clients[caFile] {
                try? client.syncShutdown()  // another caller won the race; this one was never used
                return made
            }
            clients[caFile] = client
            return client
        }
    }

    /// RFC 9110 token characters, what a header name may hold.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

/// A backend setting `serve` refuses at start-up, naming its flag.
public enum PrometheusBackendError: Error, Equatable, CustomStringConvertible {
    case invalid(flag: String, String)

    public var description: String {
        switch self {
        case .invalid(let flag, let reason): "\(flag): \(reason)"
        }
    }
}
