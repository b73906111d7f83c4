.PHONY: demo test bench build

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

build:
	swift build
