import Foundation
import LoadTest
import Testing

/// The public JSON shape of a level, and results stored in Swift's synthesized shape before it.
@Suite("Level coding")
struct LevelCodingTests {
    static func json(_ level: Level) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(level), as: UTF8.self)
    }

    @Test("levels are written as {\"concurrency\": n} and {\"rate\": r, \"arrival\": a}")
    func encode() throws {
        #expect(try Self.json(.concurrency(4)) == #"{"concurrency":4}"#)
        #expect(try Self.json(.rate(12.5, .poisson)) == #"{"arrival":"poisson","rate":12.5}"#)
    }

    @Test(
        "both shapes read back",
        arguments: [
            (#"{"concurrency":4}"#, Level.concurrency(4)),
            (#"{"rate":50}"#, Level.rate(50, .constant)),
            (#"{"rate":12.5,"arrival":"poisson"}"#, Level.rate(12.5, .poisson)),
            (#"{"concurrency":{"_0":2}}"#, Level.concurrency(2)),
            (#"{"rate":{"_0":50,"_1":"poisson"}}"#, Level.rate(50, .poisson)),
        ])
    func decode(json: String, level: Level) throws {
        #expect(try JSONDecoder().decode(Level.self, from: Data(json.utf8)) == level)
    }

    @Test("a level with neither key, or a fractional concurrency, is refused")
    func refused() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Level.self, from: Data(#"{}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Level.self, from: Data(#"{"concurrency":{"_0":2.5}}"#.utf8)) }
    }
}
