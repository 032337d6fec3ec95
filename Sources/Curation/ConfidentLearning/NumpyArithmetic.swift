/// Sums and roundings done exactly as NumPy does them, so that confident-learning counts match
/// cleanlab's to the last sample even where a value sits next to a threshold.

/// `np.sum` / `np.add.reduce` of a contiguous float64 array: the first element plus NumPy's
/// pairwise sum of the rest (eight running sums in blocks of up to 128, halves above that).
func numpySum(_ values: [Double]) -> Double {
    guard let first = values.first else { return 0 }
    return values.withUnsafeBufferPointer { first + pairwiseSum($0.baseAddress! + 1, values.count - 1) }
}

private func pairwiseSum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
    if n < 8 {
        var sum = 0.0
        for i in 0..<n { sum += a[i] }
        return sum
    }
    if n <= 128 {
        var r = (0..<8).map { a[$0] }
        var i = 8
        while i < n - n % 8 {
            for j in 0..<8 { r[j] += a[i + j] }
            i += 8
        }
        var sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n { sum += a[i]; i += 1 }
        return sum
    }
    var half = n / 2
    half -= half % 8
    return pairwiseSum(a, half) + pairwiseSum(a + half, n - half)
}

/// `np.mean` of a float64 array.
func numpyMean(_ values: [Double]) -> Double { numpySum(values) / Double(values.count) }

/// cleanlab's `round_preserving_sum`: rounds half to even, then moves the rounding error onto
/// the entries whose fractional parts were cut the most, so the integers keep the float total.
func roundPreservingSum(_ floats: [Double]) -> [Int] {
    var ints = floats.map { $0.rounded(.toNearestOrEven) }
    let target = numpySum(floats).rounded(.toNearestOrEven)
    var intSum = numpySum(ints).rounded(.toNearestOrEven)
    while abs(intSum - target) > 1e-6 {
        let difference = (target - intSum).rounded(.toNearestOrEven)
        let increment: Double = difference < 0 ? -1 : 1
        let changes = min(Int(abs(difference)), floats.count)
        let residual = zip(floats, ints).map { $0 - $1 }
        let ascending = residual.indices.sorted { (residual[$0], $0) < (residual[$1], $1) }
        let order = increment > 0 ? Array(ascending.reversed()) : ascending
        for i in order.prefix(changes) { ints[i] += increment }
        intSum = numpySum(ints).rounded(.toNearestOrEven)
    }
    return ints.map { Int($0) }
}

/// Labels per class, zero for classes that never occur (`value_counts_fill_missing_classes`).
func labelCounts(_ labels: [Int], classes: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: classes)
    for label in labels { counts[label] += 1 }
    return counts
}
