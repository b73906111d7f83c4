import Testing
@testable import LoadTest

@Suite struct CapacitySearchTests {
    /// Runs the search against a server whose SLO holds up to `capacity`, recording the levels tried.
    func search(capacity: Int, limit: Int) async -> (CapacitySearch.Result<Int>, [Int]) {
        var tried: [Int] = []
        let result = await CapacitySearch.maxConcurrency(limit: limit) { level -> (outcome: Int, passed: Bool)? in
            tried.append(level)
            return (level, level <= capacity)
        }
        return (result, tried)
    }

    @Test("doubles until a level fails, then bisects to the exact boundary", arguments: [
        (5, [1, 2, 4, 8, 6, 5]),
        (1, [1, 2]),
        (8, [1, 2, 4, 8, 16, 12, 10, 9]),
        (37, [1, 2, 4, 8, 16, 32, 64, 48, 40, 36, 38, 37]),
    ])
    func doublesThenBisects(capacity: Int, expected: [Int]) async {
        let (result, tried) = await search(capacity: capacity, limit: 1000)
        #expect(result.best == capacity)
        #expect(tried == expected)
        #expect(!result.hitLimit)
    }

    @Test("nil when even concurrency 1 misses the SLO")
    func noneFits() async {
        let (result, tried) = await search(capacity: 0, limit: 64)
        #expect(result.best == nil)
        #expect(tried == [1])
    }

    @Test("stops at the limit and says so when the limit still passes")
    func hitsLimit() async {
        let (result, tried) = await search(capacity: 1000, limit: 12)
        #expect(result.best == 12)
        #expect(result.hitLimit)
        #expect(tried == [1, 2, 4, 8, 12])
    }

    @Test("an interrupted level ends the search with what was learnt")
    func interrupted() async {
        var calls = 0
        let result = await CapacitySearch.maxConcurrency(limit: 100) { level -> (outcome: Int, passed: Bool)? in
            calls += 1
            return level >= 8 ? nil : (level, true)
        }
        #expect(result.best == 4)
        #expect(result.trials.map(\.concurrency) == [1, 2, 4])
        #expect(calls == 4)
    }
}
