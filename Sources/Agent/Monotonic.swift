import Dispatch
import Foundation

/// Monotonic nanoseconds (DispatchTime: CLOCK_MONOTONIC on Linux): the threads' deadlines,
/// immune to wall-clock steps.
enum Monotonic {
    static func nanoseconds() -> UInt64 {
        DispatchTime.now().uptimeNanoseconds
    }
}

/// Wall-clock seconds since 1970, for the `aifactory_agent_last_sample_timestamp_seconds` series.
enum WallClock {
    static func seconds() -> Double {
        Date().timeIntervalSince1970
    }
}
