/// The positions of the `count` largest of `values`, ties going to the lower position — the
/// first `count` of a stable descending sort — found with a bounded heap in O(n log count)
/// instead of sorting everything. Returned in no particular order.
func positionsOfLargest(_ count: Int, of values: [Double]) -> [Int] {
    guard count < values.count else { return Array(values.indices) }
    guard count > 0 else { return [] }
    // A min-heap of the best `count` so far: its root is the worst kept (smallest value; among
    // equal values, the higher position).
    func worse(_ a: Int, _ b: Int) -> Bool { values[a] < values[b] || (values[a] == values[b] && a > b) }
    var heap = Array(0..<count)
    func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < heap.count && worse(heap[left], heap[worst]) { worst = left }
            if right < heap.count && worse(heap[right], heap[worst]) { worst = right }
            guard worst != parent else { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
    for i in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    for position in count..<values.count where worse(heap[0], position) {
        heap[0] = position
        siftDown(0)
    }
    return heap
}
