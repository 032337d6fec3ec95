@testable import Engine

/// A small, separable image problem for learning tests: class 0 has a bright horizontal bar,
/// class 1 a vertical bar, class 2 a bright square, each at a random position, on N(0, 0.3²) noise.
func barsAndSquares(count: Int, size: Int = 16, seed: UInt64) throws -> LabeledImages {
    var g = SplitMix64(seed: seed)
    let images = Tensor(zeros: [count, 1, size, size])
    var labels: [Int32] = []
    for n in 0..<count {
        let label = n % 3
        let image = images.pointer + n * size * size
        for i in 0..<(size * size) { image[i] = 0.3 * g.nextNormal() }
        let a = g.nextIndex(below: size - 4), b = g.nextIndex(below: size - 4)
        for i in 0..<size {
            for j in 0..<size {
                let on: Bool
                switch label {
                case 0: on = i == a + 2 && j >= 2 && j < size - 2
                case 1: on = j == b + 2 && i >= 2 && i < size - 2
                default: on = (a..<(a + 4)).contains(i) && (b..<(b + 4)).contains(j)
                }
                if on { image[i * size + j] += 1.5 }
            }
        }
        labels.append(Int32(label))
    }
    return try LabeledImages(images: images, labels: labels, classes: 3)
}
