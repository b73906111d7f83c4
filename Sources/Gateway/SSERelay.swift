import Foundation
import NIOCore

/// Cuts an upstream `text/event-stream` into events and decides each one's fate: forwarded as is,
/// taken as the usage report (the chunk `stream_options.include_usage` adds, kept from clients
/// that did not ask for it), or the final `[DONE]`.
struct SSERelay: Sendable {
    enum Event: Sendable, Equatable {
        case forward(String)
        case usage(Metering.Usage)
        case done(String)
    }

    let forwardUsage: Bool
    private var pending = ""
    /// Events that carried generated content (the fallback count of output tokens).
    private(set) var contentEvents = 0
    private(set) var finished = false

    init(forwardUsage: Bool) {
        self.forwardUsage = forwardUsage
    }

    mutating func feed(_ buffer: ByteBuffer) -> [Event] {
        pending += String(buffer: buffer)
        var events: [Event] = []
        while let range = pending.range(of: "\n\n") {
            let event = String(pending[..<range.upperBound])
            pending.removeSubrange(..<range.upperBound)
            events.append(contentsOf: classify(event))
        }
        return events
    }

    private mutating func classify(_ event: String) -> [Event] {
        let data = event.split(separator: "\n").filter { $0.hasPrefix("data:") }
            .map { $0.dropFirst(5).trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
        if data == "[DONE]" {
            finished = true
            return [.done(event)]
        }
        // Most events are one token: forwarded without a JSON parse (the hot path). Only an event
        // that mentions usage is parsed.
        if !data.contains("\"usage\"") {
            if Self.mentionsContent(data) { contentEvents += 1 }
            return [.forward(event)]
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] else {
            return [.forward(event)]
        }
        let choices = object["choices"] as? [[String: Any]] ?? []
        if let usage = Metering.Usage(object["usage"]) {
            if choices.isEmpty {
                return forwardUsage ? [.usage(usage), .forward(event)] : [.usage(usage)]
            }
            // Some servers put usage on the last content chunk: keep it, forward the chunk.
            contentEvents += Self.hasContent(choices) ? 1 : 0
            return [.usage(usage), .forward(event)]
        }
        if Self.hasContent(choices) { contentEvents += 1 }
        return [.forward(event)]
    }

    /// A non-empty `"content"` or `"text"` string in the event's text (no JSON parse).
    static func mentionsContent(_ data: String) -> Bool {
        for key in ["\"content\":\"", "\"content\": \"", "\"text\":\"", "\"text\": \""] {
            if let range = data.range(of: key), range.upperBound < data.endIndex, data[range.upperBound] != "\"" { return true }
        }
        return false
    }

    private static func hasContent(_ choices: [[String: Any]]) -> Bool {
        choices.contains { choice in
            let delta = choice["delta"] as? [String: Any]
            let text = (delta?["content"] as? String) ?? (choice["text"] as? String)
            return !(text ?? "").isEmpty
        }
    }
}
