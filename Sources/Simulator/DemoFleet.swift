/// The demo fleet, embedded so `aifactory demo` and `aifactory simulate` need no files.
///
/// Identical to `deploy/demo/fleet.yaml` (a test compares them), so people can read, copy and
/// edit the committed file and run it with `aifactory simulate --fleet deploy/demo/fleet.yaml`.
enum DemoFleet {
    /// Label used as the file name in errors about the embedded fleet.
    static let file = "<demo fleet>"

    /// The YAML text of `deploy/demo/fleet.yaml`.
    static let yaml = #"""
# AI Factory demo fleet: 12 nodes, 18 GPUs, three tenants.
#
# - acme owns two healthy nodes: an RTX 2000 Ada with an idle vLLM (about 90 % VRAM held at 0 %
#   utilisation, which is healthy) and an H100 pair serving under a load wave.
# - globex contributes two RTX 6000 Ada nodes to the shared pool "shared-ada".
# - initrode owns one node per fault scenario. Faults start 90 s after launch or later and then
#   persist (exporter-down alternates: down 2 min every 5 min), so a fresh demo first shows every
#   target up and every tenant's full GPU count.
#
# The simulator embeds this file (FleetFile.demo); a test keeps the two identical.
nodes:
  - name: acme-ada16-1
    host: acme-ws-01.lab.example
    gpuClass: ada-16
    gpuCount: 1
    tenant: acme
    servedModel: Qwen/Qwen2.5-7B-Instruct
    scenarios: [idle-vllm]
  - name: acme-h100-1
    host: acme-gpu-01.dc1.example
    gpuClass: h100-80
    gpuCount: 2
    tenant: acme
    servedModel: meta-llama/Llama-3.1-70B-Instruct

  - name: globex-ada48-1
    host: globex-r1-n1.dc2.example
    gpuClass: ada-48
    gpuCount: 2
    provider: globex
    pool: shared-ada
    servedModel: meta-llama/Llama-3.1-8B-Instruct
  - name: globex-ada48-2
    host: globex-r1-n2.dc2.example
    gpuClass: ada-48
    gpuCount: 2
    provider: globex
    pool: shared-ada
    servedModel: mistralai/Mistral-7B-Instruct-v0.3

  - name: initrode-thermal
    host: ini-gpu-01.dc3.example
    gpuClass: l40s-48
    gpuCount: 2
    tenant: initrode
    servedModel: meta-llama/Llama-3.1-8B-Instruct
    scenarios: [thermal-excursion]
  - name: initrode-xid79
    host: ini-gpu-02.dc3.example
    gpuClass: a100-80
    gpuCount: 2
    tenant: initrode
    scenarios: [xid-79]
  - name: initrode-xid13
    host: ini-gpu-03.dc3.example
    gpuClass: ada-48
    gpuCount: 1
    tenant: initrode
    servedModel: Qwen/Qwen2.5-14B-Instruct
    scenarios: [xid-13]
  - name: initrode-ecc
    host: ini-gpu-04.dc3.example
    gpuClass: h100-80
    gpuCount: 2
    tenant: initrode
    servedModel: meta-llama/Llama-3.1-70B-Instruct
    scenarios: [ecc-dbe]
  - name: initrode-pcie
    host: ini-gpu-05.dc3.example
    gpuClass: l40s-48
    gpuCount: 1
    tenant: initrode
    servedModel: meta-llama/Llama-3.1-8B-Instruct
    scenarios: [pcie-downgrade]
  - name: initrode-slowdown
    host: ini-gpu-06.dc3.example
    gpuClass: h200-141
    gpuCount: 1
    tenant: initrode
    servedModel: meta-llama/Llama-3.1-70B-Instruct
    scenarios: [hw-slowdown]
  - name: initrode-stockcsv
    host: ini-gpu-07.dc3.example
    gpuClass: ada-48
    gpuCount: 1
    tenant: initrode
    servedModel: meta-llama/Llama-3.1-8B-Instruct
    scenarios: [missing-fields]
  - name: initrode-down
    host: ini-gpu-08.dc3.example
    gpuClass: ada-16
    gpuCount: 1
    tenant: initrode
    servedModel: Qwen/Qwen2.5-1.5B-Instruct
    scenarios: [exporter-down]

"""#
}
