/// `application/x-www-form-urlencoded` text (a form body or a URL's query) decoded as Go's
/// `url.ParseQuery` does it, so a parameter means here what it means to Prometheus: pairs split
/// on `&`, `+` is a space, `%XX` a byte, a name without `=` has the empty value, order kept.
enum FormParameters {
    /// Why a form could not be decoded: the offending piece, shortened, for the message.
    struct Malformed: Error, Sendable, Hashable {
        var piece: String
    }

    static func parse(_ text: String) throws(Malformed) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for piece in text.split(separator: "&", omittingEmptySubsequences: true) {
            let (name, value): (Substring, Substring)
            if let equals = piece.firstIndex(of: "=") {
                (name, value) = (piece[..<equals], piece[piece.index(after: equals)...])
            } else {
                (name, value) = (piece, "")
            }
            guard let decodedName = decode(name), let decodedValue = decode(value) else {
                throw Malformed(piece: piece.count > 80 ? String(piece.prefix(80)) + "…" : String(piece))
            }
            pairs.append((decodedName, decodedValue))
        }
        return pairs
    }

    /// `+` → space, `%XX` → the byte; `nil` for a broken escape or bytes that are not UTF-8.
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
