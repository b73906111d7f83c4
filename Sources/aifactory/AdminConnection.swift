import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where the admin CLI sends its requests and with which key.
///
/// The CLI goes through the admin API rather than the database, so every change is authorised
/// and audited exactly as when it comes from the page.
struct AdminConnection: ParsableArguments {
    @Option(help: "AI Factory base URL (env AIFACTORY_URL).")
    var url: String = ProcessInfo.processInfo.environment["AIFACTORY_URL"] ?? "http://127.0.0.1:8080"

    @Option(name: .customLong("key-file"), help: "File holding an operator or tenant-admin API key (default: env AIFACTORY_KEY).")
    var keyFile: String?

    func key() throws -> String {
        if let keyFile {
            guard let text = try? String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                throw ValidationError("--key-file \(keyFile) is missing or empty")
            }
            return text
        }
        guard let key = ProcessInfo.processInfo.environment["AIFACTORY_KEY"], !key.isEmpty else {
            throw ValidationError("no API key: set AIFACTORY_KEY or pass --key-file (create the first operator key with `aifactory admin bootstrap`)")
        }
        return key
    }

    /// Sends one request and prints the JSON answer; 4xx → the server's message and exit 2,
    /// unreachable or 5xx → exit 1.
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, printing: Bool = true) async throws -> Any? {
        let key = try key()
        var request = HTTPClientRequest(url: url.trimmingSuffix("/") + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            body = try await response.body.collect(upTo: 16 << 20)
        } catch {
            CLIErrors.printError("cannot reach \(url): \(error)")
            throw ExitCode.failure
        }
        let data = Data(body.readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            let envelope = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            let message = (envelope?["error"] as? [String: Any])?["message"] as? String ?? response.status.reasonPhrase
            CLIErrors.printError("\(response.status.code): \(message)")
            throw response.status.code >= 500 ? ExitCode.failure : ExitCode(2)
        }
        let object = try? JSONSerialization.jsonObject(with: data)
        if printing, let object, let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) {
            FileHandle.standardOutput.write(pretty + Data("\n".utf8))
        }
        return object
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
