.PHONY: replicas-test demo test unit bench bench-agent bench-api bench-loadtest bench-gateway bench-scoped-api build fuzz-api

# Start the product: simulated GPU fleet + real Prometheus + AI Factory server (Ctrl-C stops it).
demo:
	bash scripts/demo.sh

# Every test: Swift unit + integration tests, PromQL differential test, fuzz smoke.
test:
	bash scripts/test.sh

# The quick loop while working: one build, the unit suites (no real Prometheus, no demo stacks,
# no browser) and the negative-compile check. `make test` stays the full gate.
unit:
	bash scripts/unit.sh

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

# The same streaming load against the simulator directly, through aifactory gateway and through
# LiteLLM's proxy: added TTFT, proxy CPU per 1,000 requests, highest rate under 5 ms added p99.
bench-gateway:
	bash bench/gateway.sh

# Range queries of the Grafana dashboard through the tenant-scoped /prometheus API vs straight to
# Prometheus in the same run: p50/p99 of both and the overhead ratio (docs/PROMETHEUS-API.md).
bench-scoped-api:
	bash bench/scoped-api.sh

build:
	swift build

# Schemathesis against the demo's /openapi.json with every role's key: 5xx, schema violations and
# cross-tenant leaks (all must be 0). FUZZ_API_EXAMPLES=N examples per operation (default 20).
fuzz-api:
	bash scripts/fuzz-api.sh

# The deployment files: systemd-analyze verify/security on deploy/systemd, haproxy -c on
# deploy/haproxy/aifactory.cfg, promtool on the Prometheus example (docs/DEPLOY.md).
.PHONY: check-deploy
check-deploy:
	bash scripts/check-deploy.sh

# Two serve replicas on a throw-away PostgreSQL behind haproxy, one killed under load (issue 21).
replicas-test:
	swift build
	bash scripts/replicas-test.sh
