/// A tensor of `shape` with N(0, scale²) entries drawn from a generator seeded with `seed`
/// (benchmark inputs and test data).
func randomTensor(_ shape: Shape, seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = SplitMix64(seed: seed)
    let t = Tensor(zeros: shape)
    for i in 0..<t.count { t[flat: i] = scale * generator.nextNormal() }
    return t
}
