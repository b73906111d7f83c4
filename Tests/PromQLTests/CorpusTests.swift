import Foundation
import Testing
@testable import PromQL

/// The query corpus shared with the differential test and the benchmark.
enum Corpus {
    static var directory: URL {
        if let url = Bundle.module.url(forResource: "Resources/corpus", withExtension: nil) { return url }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources/corpus")
    }

    /// Queries of every file whose name starts with `prefix` (`valid-`, `invalid-`).
    static func queries(prefix: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix(prefix) }
            .sorted()
        var queries: [String] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            let data = try Data(contentsOf: url)
            if name.hasSuffix(".json") {
                queries += try JSONDecoder().decode([String].self, from: data)
            } else {
                let text = String(decoding: data, as: UTF8.self)
                queries += text.split(separator: "\n", omittingEmptySubsequences: true)
                    .map(String.init)
                    .filter { !$0.hasPrefix(";;") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            }
        }
        return queries
    }
}

@Suite("Corpus")
struct CorpusTests {
    @Test("every valid corpus query parses, round-trips and is scoped or refused with a reason")
    func valid() throws {
        let queries = try Corpus.queries(prefix: "valid-")
        #expect(queries.count > 300)
        for query in queries {
            let expr: Expr
            do {
                expr = try Parser.parse(query)
            } catch {
                Issue.record("\(query): \(error)")
                continue
            }
            let printed = Printer.print(expr)
            #expect(try Parser.parse(printed) == expr, "\(query) → \(printed)")
            do {
                let scoped = try LabelScope.acme.rewrite(query)
                #expect(try Parser.parse(scoped.text).selectors.count == expr.selectors.count)
            } catch {
                // Only scope refusals are acceptable here, never parse errors of our own output.
                #expect(!error.isClientSyntaxError, "\(query): \(error)")
                #expect(!error.description.contains("internal error"), "\(query): \(error)")
            }
        }
    }

    @Test("every invalid corpus query is rejected as a client error")
    func invalid() throws {
        let queries = try Corpus.queries(prefix: "invalid-")
        #expect(queries.count > 100)
        for query in queries {
            do {
                let expr = try Parser.parse(query)
                Issue.record("accepted invalid query \(query) as \(expr)")
            } catch {
                #expect(error.isClientSyntaxError)
                #expect(error.position != nil || error.code == "too_long")
            }
        }
    }
}

@Suite("Limits")
struct LimitsTests {
    /// Stack for the deepest-query test: 512 KiB (a Darwin secondary thread's default, and less than
    /// Linux's 8 MiB) for optimised builds; debug builds keep every temporary in its own slot and need
    /// about 2 MiB for the same query.
    #if DEBUG
    static let stackSize = 4 * 1024 * 1024
    #else
    static let stackSize = 512 * 1024
    #endif

    private func onSmallStack(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = Self.stackSize
        thread.start()
        done.wait()
    }

    @Test("the deepest accepted query parses, prints and is scoped on a small stack")
    func deepestQueryOnSmallStack() {
        onSmallStack {
            let depth = Parser.Options.default.maxDepth
            let shapes = [
                String(repeating: "(", count: depth - 1) + "x" + String(repeating: ")", count: depth - 1),
                String(repeating: "abs(", count: depth - 1) + "x" + String(repeating: ")", count: depth - 1),
                String(repeating: "sum(", count: depth - 1) + "x" + String(repeating: ")", count: depth - 1),
                String(repeating: "-", count: depth - 1) + "x",
                Array(repeating: "x", count: depth).joined(separator: " ^ "),
                Array(repeating: "x", count: depth).joined(separator: " + "),
                String(repeating: "topk(1, ", count: depth - 1) + "x" + String(repeating: ")", count: depth - 1),
            ]
            for query in shapes {
                do {
                    let scoped = try LabelScope.acme.rewrite(query)
                    #expect(!scoped.text.isEmpty)
                } catch {
                    Issue.record("\(query.prefix(40))…: \(error)")
                }
            }
            for query in shapes.map({ "(" + $0 + ")" + " + 1" }) {
                #expect { try LabelScope.acme.rewrite(query) } throws: { ($0 as? PromQLError)?.code == "too_deep" }
            }
        }
    }

    @Test("length limit counts UTF-8 bytes")
    func lengthLimit() {
        let options = Parser.Options(maxLength: 10)
        #expect((try? Parser.parse("x{a=\"é\"}", options: options)) != nil)
        #expect { try Parser.parse("x{a=\"éé\"}", options: options) } throws: { ($0 as? PromQLError)?.code == "too_long" }
    }
}
