import ArgumentParser
import Foundation
import Stack

/// Turns library errors into one line on stderr and a stable exit code, never a stack trace.
enum CLIErrors {
    /// Prints `error: …` for `error` and throws the matching `ExitCode`.
    ///
    /// Bind failures ("address already in use") are recognised from NIO's error text because
    /// they arrive as `IOError` from deep inside the server; `context` names the address.
    static func exit(for error: any Error, context: String) throws -> Never {
        if error is CancellationError { throw ExitCode.success }
        if let exit = error as? ExitCode { throw exit }
        let text = String(describing: error)
        if let stack = error as? StackError {
            printError(stack.description)
        } else if text.contains("Address already in use") || text.contains("EADDRINUSE") {
            printError("\(context): address already in use")
        } else {
            printError("\(context): \(text)")
        }
        throw ExitCode.failure
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }
}
