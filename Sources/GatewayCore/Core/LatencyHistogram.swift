/// Command latencies (sent to answered) in fixed buckets, for `/metrics`: a few additions per answer.
package struct LatencyHistogram: Sendable, Equatable {
    /// Upper bounds in seconds (Prometheus `le`), the last bucket being +Inf.
    package static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
    package private(set) var counts = [UInt64](repeating: 0, count: bounds.count + 1)
    package private(set) var sum = 0.0
    package private(set) var count: UInt64 = 0

    package init() {}

    package mutating func observe(_ seconds: Double) {
        let index = Self.bounds.firstIndex { seconds <= $0 } ?? Self.bounds.count
        counts[index] += 1
        sum += seconds
        count += 1
    }
}
