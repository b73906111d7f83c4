import Testing
@testable import LoadTest

@Suite struct SSEParserTests {
    /// A clock that advances 1 ms every time it is read, so each event's stamp shows when it was taken.
    final class TickingClock: @unchecked Sendable {
        var value: UInt64 = 0
        func now() -> UInt64 {
            value += 1_000_000
            return value
        }
    }

    @Test("several events in one buffer each get their own timestamp")
    func mergedEventsGetDistinctStamps() {
        var parser = SSEParser()
        let clock = TickingClock()
        var events: [SSEEvent] = []
        parser.feed(Array("data: a\n\ndata: b\n\ndata: c\n\n".utf8), now: clock.now) { events.append($0) }
        #expect(events.map(\.text) == ["a", "b", "c"])
        #expect(events.map(\.timestamp) == [1_000_000, 2_000_000, 3_000_000])
    }

    @Test("an event split across reads is stamped when its blank line arrives")
    func splitEventStampedAtCompletion() {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        parser.feed(Array("da".utf8), now: { 10 }) { events.append($0) }
        parser.feed(Array("ta: {\"x\":1}\n".utf8), now: { 20 }) { events.append($0) }
        #expect(events.isEmpty)
        #expect(parser.hasPartialEvent)
        parser.feed(Array("\n".utf8), now: { 30 }) { events.append($0) }
        #expect(events == [SSEEvent(data: Array("{\"x\":1}".utf8), timestamp: 30)])
        #expect(!parser.hasPartialEvent)
    }

    @Test("CRLF, CR, comments, other fields and multi-line data follow the SSE grammar")
    func grammar() {
        var parser = SSEParser()
        var events: [String] = []
        let input = ": keep-alive\r\nevent: message\r\ndata: one\r\ndata:two\r\n\r\nid: 7\rdata: three\r\r"
        // Feed byte by byte: a CRLF split across reads must count once.
        for byte in input.utf8 {
            parser.feed([byte], now: { 0 }) { events.append($0.text) }
        }
        #expect(events == ["one\ntwo", "three"])
    }

    @Test("blank lines without data produce no event")
    func emptyEventsIgnored() {
        var parser = SSEParser()
        var count = 0
        parser.feed(Array("\n\n: ping\n\n\n".utf8), now: { 0 }) { _ in count += 1 }
        #expect(count == 0)
    }
}
