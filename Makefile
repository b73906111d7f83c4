.PHONY: demo test bench bench-agent bench-api bench-loadtest build

# Start the product: simulated GPU fleet + real Prometheus + AI Factory server (Ctrl-C stops it).
demo:
	bash scripts/demo.sh

# Every test: Swift unit + integration tests, PromQL differential test, fuzz smoke.
test:
	bash scripts/test.sh

# Benchmarks (release build); figures are printed side by side, never asserted.
bench:
	swift build -c release --product aifactory-bench
	"$$(swift build -c release --show-bin-path)/aifactory-bench" $(FILTER)

# The GPU-host agent alone: 8 stand-in GPUs with the H200's NVML call costs (CPU %, RSS, /metrics latency).
bench-agent:
	swift build -c release --product aifactory-bench
	"$$(swift build -c release --show-bin-path)/aifactory-bench" agent

# The factory overview under load (wrk) on a 1,024-GPU / 100-tenant fleet, coalescing ratio, RSS.
bench-api:
	bash scripts/bench-overview.sh $(WINDOW)

# `aifactory loadtest` vs AIPerf 0.13 on the simulated inference server (CPU/1k requests, TTFT error).
bench-loadtest:
	bash bench/loadtest-vs-aiperf.sh

build:
	swift build
