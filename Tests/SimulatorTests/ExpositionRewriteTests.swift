import Exposition
import Simulator
import Testing

/// The pure rewrites behind the injected exporter faults, on small hand-written expositions.
@Suite("ExpositionRewrite")
struct ExpositionRewriteTests {
    static let dcgm = """
        # HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).
        # TYPE DCGM_FI_DEV_GPU_TEMP gauge
        DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-1"} 41
        DCGM_FI_DEV_GPU_TEMP{gpu="1",UUID="GPU-2"} 43
        # HELP DCGM_FI_DEV_ECC_SBE_VOL_TOTAL Total number of single-bit volatile ECC errors.
        # TYPE DCGM_FI_DEV_ECC_SBE_VOL_TOTAL counter
        DCGM_FI_DEV_ECC_SBE_VOL_TOTAL{gpu="0",UUID="GPU-1"} 0
        DCGM_FI_DEV_ECC_SBE_VOL_TOTAL{gpu="1",UUID="GPU-2"} 2
        # HELP DCGM_FI_DEV_ECC_SBE_VOL_TOTAL_X a family whose name only starts like a dropped one
        # TYPE DCGM_FI_DEV_ECC_SBE_VOL_TOTAL_X gauge
        DCGM_FI_DEV_ECC_SBE_VOL_TOTAL_X{gpu="0"} 1

        """

    static let histogram = """
        # HELP vllm:inter_token_latency_seconds Histogram of inter-token latency in seconds.
        # TYPE vllm:inter_token_latency_seconds histogram
        vllm:inter_token_latency_seconds_bucket{engine="0",le="0.01",model_name="m"} 3.0
        vllm:inter_token_latency_seconds_bucket{engine="0",le="+Inf",model_name="m"} 5.0
        vllm:inter_token_latency_seconds_count{engine="0",model_name="m"} 5.0
        vllm:inter_token_latency_seconds_sum{engine="0",model_name="m"} 0.2
        # HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
        # TYPE vllm:kv_cache_usage_perc gauge
        vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.5

        """

    static func rewrite(_ text: String, _ body: ([UInt8]) -> [UInt8]) -> String {
        String(decoding: body(Array(text.utf8)), as: UTF8.self)
    }

    @Test("dropping a family removes its HELP, TYPE and every sample, and nothing else")
    func dropsFamily() throws {
        let out = Self.rewrite(Self.dcgm) { ExpositionRewrite.dropping(families: ["DCGM_FI_DEV_ECC_SBE_VOL_TOTAL"], from: $0) }
        #expect(!out.contains("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL "))
        #expect(!out.contains("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL{"))
        let parsed = try ExpositionParser.parse(out)
        #expect(parsed.familyNames == ["DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL_X"])
        #expect(parsed.samples("DCGM_FI_DEV_GPU_TEMP").count == 2)
    }

    @Test("dropping a histogram family removes its _bucket, _sum and _count samples")
    func dropsHistogram() throws {
        let out = Self.rewrite(Self.histogram) { ExpositionRewrite.dropping(families: ["vllm:inter_token_latency_seconds"], from: $0) }
        #expect(!out.contains("inter_token"))
        #expect(try ExpositionParser.parse(out).familyNames == ["vllm:kv_cache_usage_perc"])
    }

    @Test("dropping nothing, or a family that is absent, returns the text unchanged")
    func dropsNothing() {
        #expect(Self.rewrite(Self.dcgm) { ExpositionRewrite.dropping(families: [], from: $0) } == Self.dcgm)
        #expect(Self.rewrite(Self.dcgm) { ExpositionRewrite.dropping(families: ["DCGM_FI_DEV_ECC_DBE_AGG_TOTAL"], from: $0) } == Self.dcgm)
    }

    @Test("a label is added first to every sample, with or without a label set, and comments are kept")
    func addsLabel() throws {
        let text = """
            # HELP a A.
            # TYPE a gauge
            a{gpu="0",err_msg="odd } , value"} 1
            b 2
            c{} 3

            """
        let out = Self.rewrite(text) { ExpositionRewrite.addingLabel("tenant", "glo\"bex", to: $0) }
        #expect(out == """
            # HELP a A.
            # TYPE a gauge
            a{tenant="glo\\"bex",gpu="0",err_msg="odd } , value"} 1
            b{tenant="glo\\"bex"} 2
            c{tenant="glo\\"bex"} 3

            """)
        let parsed = try ExpositionParser.parse(out)
        #expect(parsed.allSamples.allSatisfy { $0[label: "tenant"] == "glo\"bex" })
        #expect(parsed.samples("a").first?[label: "err_msg"] == "odd } , value")
    }

    @Test("renaming a gauge and a histogram renames HELP, TYPE and every sample, suffixes kept")
    func renames() throws {
        let out = Self.rewrite(Self.histogram) { ExpositionRewrite.renaming(ExporterFault.legacyVLLMRenames, in: $0) }
        let parsed = try ExpositionParser.parse(out)
        #expect(parsed.familyNames == ["vllm:time_per_output_token_seconds", "vllm:gpu_cache_usage_perc"])
        #expect(parsed.family("vllm:time_per_output_token_seconds")?.type == .histogram)
        #expect(parsed.family("vllm:time_per_output_token_seconds")?.samples.count == 4)
        #expect(parsed.family("vllm:gpu_cache_usage_perc")?.help == "KV-cache usage. 1 means 100 percent usage.")
        #expect(!out.contains("inter_token_latency") && !out.contains("kv_cache_usage"))
        #expect(out.contains("vllm:time_per_output_token_seconds_bucket{engine=\"0\",le=\"+Inf\",model_name=\"m\"} 5.0\n"))
    }

    @Test("a text without a final newline is rewritten with one")
    func finalNewline() {
        #expect(Self.rewrite("a 1") { ExpositionRewrite.addingLabel("tenant", "x", to: $0) } == "a{tenant=\"x\"} 1\n")
    }
}
