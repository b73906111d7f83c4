import ArgumentParser
import Foundation
import PromQL

/// `aifactory promql …`: the PromQL parser and tenant enforcer for tooling. Output formats and exit codes
/// are stable: 0 success, 2 query rejected (one-line reason on stderr), 64 bad usage.
struct PromQLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promql",
        abstract: "Parse PromQL or confine it to one tenant.",
        subcommands: [Enforce.self, Parse.self]
    )

    /// `aifactory promql enforce --label tenant --value acme 'QUERY'`
    struct Enforce: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite a query so every selector carries label=\"value\"; print it, or reject it (exit 2)."
        )

        @Option(help: "The tenant label, e.g. tenant.")
        var label: String

        @Option(help: "The tenant's value of that label.")
        var value: String

        @Option(help: "Longest accepted query in bytes.")
        var maxLength: Int = Parser.Options.default.maxLength

        @Option(help: "Deepest accepted nesting.")
        var maxDepth: Int = Parser.Options.default.maxDepth

        @Argument(help: "The PromQL query.")
        var query: String

        func run() async throws {
            let scope: LabelScope
            do {
                scope = try LabelScope(label: label, value: value,
                                        options: Parser.Options(maxLength: maxLength, maxDepth: maxDepth))
            } catch {
                throw ValidationError(error.description)
            }
            do {
                print(try scope.rewrite(query).text)
            } catch {
                PromQLCommand.report(error)
                throw ExitCode(2)
            }
        }
    }

    /// `aifactory promql parse 'QUERY'` prints the tree as JSON; `--batch FILE` reads one JSON string per
    /// line (a query) and prints one JSON object per line (`PromQLJSON.batchLine`), for the differential test.
    struct Parse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a query's syntax tree as JSON, or check a batch of queries (JSON lines)."
        )

        @Option(help: "File with one JSON-encoded query string per line ('-' for stdin).")
        var batch: String?

        @Argument(help: "The PromQL query (omit with --batch).")
        var query: String?

        func validate() throws {
            if (batch == nil) == (query == nil) { throw ValidationError("give either a query or --batch FILE") }
        }

        func run() async throws {
            if let batch {
                let data = batch == "-" ? FileHandle.standardInput.readDataToEndOfFile()
                    : try Data(contentsOf: URL(fileURLWithPath: batch))
                let decoder = JSONDecoder()
                var output = ""
                for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                    let query = try decoder.decode(String.self, from: Data(line))
                    output += PromQLJSON.batchLine(query: query)
                    output += "\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
                return
            }
            do {
                print(try Parser.parse(query ?? "").json)
            } catch {
                PromQLCommand.report(error)
                throw ExitCode(2)
            }
        }
    }

    /// Prints the reason on one line to stderr (the caller then exits with status 2).
    static func report(_ error: PromQLError) {
        let line = error.description.replacingOccurrences(of: "\n", with: "\\n")
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
