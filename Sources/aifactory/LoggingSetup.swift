import Foundation
import Logging

/// Process-wide logging: human-readable lines on stderr, level from `LOG_LEVEL` (default `info`).
enum LoggingSetup {
    static func bootstrap() {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
