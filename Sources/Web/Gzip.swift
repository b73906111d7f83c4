import CWebZlib

/// gzip encoding (RFC 1952) of a whole file, through the system zlib.
///
/// Why: the page's largest file is Debian's Chart.js (about 200 kB, about 68 kB gzipped), and a
/// wall display or a remote operator pays for every byte on each cold load. Files are small and
/// compressed once per version (`CompressedFiles`), so one-shot deflate is all that is needed.
public enum Gzip {
    /// What can go wrong inside zlib; each case names the zlib step and its return code.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case initialise(code: Int32)
        case deflate(code: Int32)

        public var description: String {
            switch self {
            case .initialise(let code): "gzip: zlib deflateInit2 failed (code \(code))"
            case .deflate(let code): "gzip: zlib deflate failed (code \(code))"
            }
        }
    }

    /// `bytes` gzip-encoded at zlib's default level (6: most of level 9's gain at a third of its CPU).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of a zlib one.
        let initialised = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                        ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initialised == Z_OK else { throw .initialise(code: initialised) }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
        let produced: Int = try bytes.withUnsafeBufferPointer { (source) throws(Failure) -> Int in
            try output.withUnsafeMutableBufferPointer { (target) throws(Failure) -> Int in
                // zlib's `next_in` is not `const` in its C declaration, but deflate only reads it.
                stream.next_in = source.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                // deflateBound guarantees one Z_FINISH call fits; anything but Z_STREAM_END is a failure.
                let result = deflate(&stream, Z_FINISH)
                guard result == Z_STREAM_END else { throw .deflate(code: result) }
                return target.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(produced...)
        return output
    }
}
