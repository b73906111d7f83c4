import Exposition
import Testing

@Suite("ExpositionWriter")
struct ExpositionWriterTests {
    @Test("doubles print like Go's %f, six decimals", arguments: [
        (40.979, "40.979000"), (0.004656, "0.004656"), (0, "0.000000"), (1.5e-7, "0.000000"), (-2.25, "-2.250000"),
        (123456789.1234567, "123456789.123457"), (Double.nan, "NaN"), (Double.infinity, "+Inf"),
    ])
    func fixed6(value: Double, expected: String) {
        var writer = ExpositionWriter()
        writer.appendFixed6(value)
        #expect(writer.text == expected)
    }

    @Test("integers print like Go's %d", arguments: [
        (Int64(0), "0"), (7, "7"), (455_497_156, "455497156"), (-42, "-42"), (Int64.max, "9223372036854775807"), (Int64.min, "-9223372036854775808"),
    ])
    func integer(value: Int64, expected: String) {
        var writer = ExpositionWriter()
        writer.appendInteger(value)
        #expect(writer.text == expected)
    }

    @Test("floats print like Python's repr (prometheus_client)", arguments: [
        (1.0, "1.0"), (8.0, "8.0"), (27453.0, "27453.0"), (0.1, "0.1"), (0.001, "0.001"), (1e-05, "1e-05"),
        (2560.0, "2560.0"), (1e15, "1000000000000000.0"), (1e16, "1e+16"), (1.5e17, "1.5e+17"), (0.25, "0.25"),
        (-3.5, "-3.5"), (3432.68375049438, "3432.68375049438"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
        (Double.nan, "NaN"), (0.0, "0.0"),
    ])
    func python(value: Double, expected: String) {
        #expect(ExpositionWriter.pythonRepr(value) == expected)
    }

    @Test("what the writer writes, the parser reads back")
    func roundTrip() throws {
        var writer = ExpositionWriter()
        writer.header(name: "m", help: "help with \\ and\nnewline", type: .counter)
        writer.sample("m", [Label("a", "x\"y"), Label("b", "back\\slash"), Label("c", "new\nline")], 3, format: .integer)
        writer.sample("m", [], 0.5, format: .fixed6)
        let set = try ExpositionParser.parse(writer.text)
        let family = try #require(set.family("m"))
        #expect(family.help == "help with \\ and\nnewline")
        #expect(family.type == .counter)
        #expect(family.samples[0].labels == [Label("a", "x\"y"), Label("b", "back\\slash"), Label("c", "new\nline")])
        #expect(family.samples[0].value == 3)
        #expect(family.samples[1].value == 0.5)
        #expect(writer.text.hasSuffix("m 0.500000\n"))
    }
}
