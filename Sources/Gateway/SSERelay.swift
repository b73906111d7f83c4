import Foundation
import NIOCore

/// Cuts an upstream `text/event-stream` into events and decides each one's fate: forwarded as is,
/// taken as the usage report (the chunk `stream_options.include_usage` adds, kept from clients
/// that did not ask for it), or the final `[DONE]`.
///
/// Works on bytes: a token event is forwarded without becoming a `String` or being parsed (the
/// profile of the first version spent ~9 % of the gateway's CPU in String searches here); only an
/// event that mentions `"usage"` is parsed as JSON.
struct SSERelay: Sendable {
    enum Event: Sendable, Equatable {
        case forward([UInt8])
        case usage(Metering.Usage)
        case done([UInt8])
    }

    let forwardUsage: Bool
    private var pending: [UInt8] = []
    /// Events that carried generated content (the fallback count of output tokens).
    private(set) var contentEvents = 0
    private(set) var finished = false

    init(forwardUsage: Bool) {
        self.forwardUsage = forwardUsage
    }

    private static let newline = UInt8(ascii: "\n")
    private static let usageKey = Array(#""usage""#.utf8)
    private static let done = Array("[DONE]".utf8)
    private static let contentKeys = [#""content":""#, #""content": ""#, #""text":""#, #""text": ""#].map { Array($0.utf8) }

    mutating func feed(_ buffer: ByteBuffer) -> [Event] {
        pending.append(contentsOf: buffer.readableBytesView)
        var events: [Event] = []
        var start = 0
        var index = 0
        while index + 1 < pending.count {
            if pending[index] == Self.newline, pending[index + 1] == Self.newline {
                events.append(contentsOf: classify(Array(pending[start...(index + 1)])))
                start = index + 2
                index = start
            } else {
                index += 1
            }
        }
        if start > 0 { pending.removeFirst(start) }
        return events
    }

    private mutating func classify(_ event: [UInt8]) -> [Event] {
        let data = Self.data(of: event)
        if data.elementsEqual(Self.done) {
            finished = true
            return [.done(event)]
        }
        guard Self.find(Self.usageKey, in: data) != nil else {
            if Self.mentionsContent(data) { contentEvents += 1 }
            return [.forward(event)]
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(data))) as? [String: Any] else {
            return [.forward(event)]
        }
        let choices = object["choices"] as? [[String: Any]] ?? []
        guard let usage = Metering.Usage(object["usage"]) else {
            if Self.mentionsContent(data) { contentEvents += 1 }
            return [.forward(event)]
        }
        if choices.isEmpty {
            return forwardUsage ? [.usage(usage), .forward(event)] : [.usage(usage)]
        }
        // Some servers put usage on the last content chunk: keep it, forward the chunk.
        if Self.mentionsContent(data) { contentEvents += 1 }
        return [.usage(usage), .forward(event)]
    }

    /// The event's `data:` payload (lines joined by `\n`, one leading space dropped).
    static func data(of event: [UInt8]) -> [UInt8] {
        var payload: [UInt8] = []
        var lineStart = 0
        for index in 0...event.count where index == event.count || event[index] == newline {
            let line = event[lineStart..<index]
            lineStart = index + 1
            guard line.starts(with: "data:".utf8) else { continue }
            var value = line.dropFirst(5)
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
            if !payload.isEmpty { payload.append(newline) }
            payload.append(contentsOf: value)
        }
        return payload
    }

    /// A non-empty `"content"` or `"text"` string in the payload (no JSON parse).
    static func mentionsContent(_ data: [UInt8]) -> Bool {
        for key in contentKeys {
            if let end = find(key, in: data), end < data.count, data[end] != UInt8(ascii: "\"") { return true }
        }
        return false
    }

    /// The index just past the first occurrence of `needle` in `haystack`.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index + needle.count }
            index += 1
        }
        return nil
    }
}
