import Foundation

/// Reads a UTF-8 text file; throws Foundation's error (the caller adds file and line).
func readTextFile(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}
