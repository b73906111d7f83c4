/// Every value one GPU reports at one instant, in the exporter's units.
///
/// Integer fields are whole numbers stored as `Double` so the renderer handles every field the
/// same way; counters are exact integrals of the model and never decrease.
struct GPUReading: Sendable {
    var smClock = 0.0           // MHz
    var memClock = 0.0          // MHz
    var memoryTemp = 0.0        // °C, 0 on GDDR boards
    var gpuTemp = 0.0           // °C
    var power = 0.0             // W
    var energy = 0.0            // mJ since boot
    var pcieReplays = 0.0
    var gpuUtil = 0.0           // % 0…100
    var memCopyUtil = 0.0       // %
    var xid = 0                 // last XID, 0 = none
    var fbFree = 0.0            // MiB
    var fbUsed = 0.0
    var fbReserved = 0.0
    var sbe = 0.0
    var dbe = 0.0
    var uncorrectableRows = 0.0
    var correctableRows = 0.0
    var rowRemapFailure = 0.0
    var nvlinkTotal = 0.0
    var linkGen = 0.0
    var linkWidth = 0.0
    var maxLinkGen = 0.0
    var maxLinkWidth = 0.0
    var clockReasons = 0.0      // bitmask
    var powerLimit = 0.0        // W
    var grActive = 0.0          // ratio 0…1
    var smActive = 0.0
    var tensorActive = 0.0
    var dramActive = 0.0
    var pcieTx = 0.0            // bytes/s
    var pcieRx = 0.0
    var nvlinkRx = 0.0          // bytes/s
    /// XIDs seen in the last 5 minutes: (code, count), by code.
    var recentXIDs: [(code: Int, count: Int)] = []
}
