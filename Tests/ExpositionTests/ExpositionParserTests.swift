import Exposition
import Testing

@Suite("ExpositionParser")
struct ExpositionParserTests {
    @Test("reads the real dcgm-exporter scrape: 25 families, one GPU, exporter label order")
    func dcgmFixture() throws {
        let set = try ExpositionParser.parse(try Fixture.text("dcgm-exporter-sample.prom"))
        #expect(set.families.count == 25)
        #expect(set.families.allSatisfy { $0.samples.count == 1 && $0.help != nil })
        let temp = try #require(set.family("DCGM_FI_DEV_GPU_TEMP"))
        #expect(temp.type == .gauge)
        #expect(temp.help == "GPU temperature (in C).")
        let sample = try #require(temp.samples.first)
        #expect(sample.value == 48)
        #expect(Array(sample.labelNames.prefix(7)) == ["gpu", "UUID", "pci_bus_id", "device", "modelName", "Hostname", "DCGM_FI_DRIVER_VERSION"])
        #expect(sample[label: "modelName"] == "NVIDIA RTX 4000 Ada Generation")
        #expect(sample[label: "pod_uid"] == "")
        #expect(set.family("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION")?.type == .counter)
        #expect(set.samples("DCGM_FI_DEV_POWER_USAGE").first?.value == 40.979)
        let xid = try #require(set.samples("DCGM_FI_DEV_XID_ERRORS").first)
        #expect(xid[label: "err_code"] == "0")
        #expect(xid[label: "err_msg"] == "No Error")
    }

    @Test("reads the vLLM docs sample and reports its truncated histogram as incomplete, without failing")
    func vllmFixture() throws {
        let set = try ExpositionParser.parse(try Fixture.text("vllm-metrics-sample.prom"))
        #expect(set.familyNames == [
            "vllm:num_requests_running", "vllm:generation_tokens_total", "vllm:request_success_total",
            "vllm:time_to_first_token_seconds",
        ])
        let ttft = try #require(set.family("vllm:time_to_first_token_seconds"))
        #expect(ttft.type == .histogram)
        #expect(ttft.samples.count == 9)
        let kinds = ttft.histogramProblems().map(\.kind)
        #expect(kinds.contains(.missingInfBucket))
        #expect(kinds.contains(.missingSum))
        #expect(!kinds.contains(.missingCount))
        #expect(!ttft.isCompleteHistogram)
        #expect(set.samples("vllm:request_success_total").map { $0[label: "finished_reason"] } == ["stop", "length", "abort"])
    }

    @Test("a complete histogram has no problems; a decreasing bucket and a count mismatch are reported")
    func histogramChecks() throws {
        let good = """
        # TYPE h histogram
        h_bucket{le="0.1"} 1
        h_bucket{le="1"} 3
        h_bucket{le="+Inf"} 4
        h_sum 2.5
        h_count 4
        """
        #expect(try ExpositionParser.parse(good).histogramProblems().isEmpty)
        let bad = """
        # TYPE h histogram
        h_bucket{a="x",le="0.1"} 5
        h_bucket{a="x",le="1"} 3
        h_bucket{a="x",le="+Inf"} 6
        h_sum{a="x"} 2.5
        h_count{a="x"} 7
        """
        let kinds = try ExpositionParser.parse(bad).histogramProblems().map(\.kind)
        #expect(kinds == [.nonMonotonic(le: "1"), .countMismatch(count: 7, infBucket: 6)])
    }

    @Test("label escapes, special values, timestamps and a trailing comma")
    func syntax() throws {
        let text = #"""
        # HELP m A help with \\ and \n newline.
        # TYPE m gauge
        m{path="C:\\dir",quote="say \"hi\"",nl="a\nb",} NaN
        m{path="x"} +Inf 1700000000000
        m{path="y"}   -Inf
        m 1e3
        # a plain comment
        untyped_metric 0.5
        """#
        let set = try ExpositionParser.parse(text)
        let family = try #require(set.family("m"))
        #expect(family.help == "A help with \\ and \n newline.")
        #expect(family.samples.count == 4)
        #expect(family.samples[0][label: "path"] == #"C:\dir"#)
        #expect(family.samples[0][label: "quote"] == #"say "hi""#)
        #expect(family.samples[0][label: "nl"] == "a\nb")
        #expect(family.samples[0].value.isNaN)
        #expect(family.samples[1].value == .infinity)
        #expect(family.samples[1].timestampMilliseconds == 1_700_000_000_000)
        #expect(family.samples[2].value == -.infinity)
        #expect(family.samples[3].value == 1000)
        #expect(set.family("untyped_metric")?.type == .untyped)
    }

    struct BadInput: CustomTestStringConvertible, Sendable {
        var text: String
        var line: Int
        var message: String
        var testDescription: String { message }
    }

    @Test("malformed text fails with the line and a reason", arguments: [
        BadInput(text: "m{a=\"1\"", line: 1, message: "unterminated"),
        BadInput(text: "ok 1\nm{a=\"1\",a=\"2\"} 1", line: 2, message: "duplicate label name \"a\""),
        BadInput(text: "m{a=\"\\x\"} 1", line: 1, message: "invalid escape"),
        BadInput(text: "m abc", line: 1, message: "invalid value \"abc\""),
        BadInput(text: "m", line: 1, message: "missing value"),
        BadInput(text: "m 1 notatime", line: 1, message: "invalid timestamp"),
        BadInput(text: "# TYPE m gauge\n# TYPE m counter", line: 2, message: "second TYPE line"),
        BadInput(text: "m 1\n# TYPE m gauge", line: 2, message: "TYPE line for \"m\" after its samples"),
        BadInput(text: "# TYPE m sometype", line: 1, message: "unknown metric type"),
        BadInput(text: "# HELP m a\n# HELP m b", line: 2, message: "second HELP line"),
        BadInput(text: "0m 1", line: 1, message: "expected a metric name"),
        BadInput(text: "m{0a=\"1\"} 1", line: 1, message: "expected a label name"),
    ])
    func rejects(_ row: BadInput) {
        #expect {
            _ = try ExpositionParser.parse(row.text)
        } throws: { error in
            guard let error = error as? ExpositionError else { return false }
            return error.line == row.line && error.message.contains(row.message)
        }
    }

    @Test("samples of a histogram join their family; unknown suffixes form their own")
    func grouping() throws {
        let text = """
        # TYPE h histogram
        h_bucket{le="+Inf"} 1
        h_count 1
        h_sum 1
        h_total 3
        """
        let set = try ExpositionParser.parse(text)
        #expect(set.family("h")?.samples.count == 3)
        #expect(set.family("h_total")?.type == .untyped)
    }
}
