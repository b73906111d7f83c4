/// NVML's return codes the agent acts on (`nvmlReturn_t` in nvml.h).
enum NVMLReturn {
    static let success: Int32 = 0
    static let notSupported: Int32 = 3
    static let insufficientSize: Int32 = 7
    static let timeout: Int32 = 10
    static let functionNotFound: Int32 = 13
    static let gpuIsLost: Int32 = 15
}
