/// The sampling loop: gauges every `interval`, counters every `counterInterval`, published to
/// the store after each round. Runs on its own thread (`BackgroundThread`).
///
/// Rounds are scheduled on a fixed grid from the start (not "interval after the last round
/// ended"), so slow NVML calls do not stretch the period; a round that overruns skips the grid
/// points it missed instead of running back to back.
struct NVMLSampler: Sendable {
    let readers: [NVMLDeviceReader]
    let store: SnapshotStore
    let stop: StopLatch
    let interval: UInt64
    let counterInterval: UInt64

    /// Reads every cadence once (the first sample, before the agent serves anything).
    static func firstSample(_ readers: [NVMLDeviceReader]) -> [GPUValues] {
        readers.map { reader in
            var values = GPUValues()
            reader.readOnce(into: &values)
            reader.readEvery(into: &values)
            reader.readCounters(into: &values)
            return values
        }
    }

    /// The thread body: runs until `stop`, starting from `values` (the first sample).
    func run(from values: [GPUValues]) {
        var values = values
        let start = Monotonic.nanoseconds()
        var nextRound = start + interval
        var nextCounters = start + counterInterval
        while !stop.sleep(until: nextRound) {
            let now = Monotonic.nanoseconds()
            let counters = now >= nextCounters
            for (index, reader) in readers.enumerated() {
                reader.readEvery(into: &values[index])
                if counters { reader.readCounters(into: &values[index]) }
            }
            if counters {
                nextCounters += counterInterval * max(1, (now - nextCounters) / counterInterval + 1)
            }
            let published = values
            let sampledAt = WallClock.seconds()
            store.update { snapshot in
                snapshot.sampledAt = sampledAt
                for index in snapshot.gpus.indices where index < published.count {
                    snapshot.gpus[index].values = published[index]
                }
            }
            let after = Monotonic.nanoseconds()
            nextRound += interval
            if nextRound <= after { nextRound += interval * ((after - nextRound) / interval + 1) }
        }
    }
}
