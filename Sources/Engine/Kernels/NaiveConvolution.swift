/// The algorithmic reference for `Conv2D`'s forward pass: seven nested loops, accumulated in
/// Double. Input (N, C_in, H, W), kernel (C_out, C_in, k, k), optional bias (C_out); returns
/// (N, C_out, H_out, W_out) as a flat array. Tests check the im2col + sgemm path against it.
public func convolutionNaive(input: Tensor, kernel: Tensor, bias: Tensor?, stride: Int, padding: Int) -> [Float] {
    let n = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3]
    let o = kernel.shape[0], k = kernel.shape[2]
    let ho = (h + 2 * padding - k) / stride + 1, wo = (w + 2 * padding - k) / stride + 1
    var out = [Float](repeating: 0, count: n * o * ho * wo)
    for s in 0..<n {
        for oc in 0..<o {
            for i in 0..<ho {
                for j in 0..<wo {
                    var total = Double(bias?[flat: oc] ?? 0)
                    for ic in 0..<c {
                        for u in 0..<k {
                            for v in 0..<k {
                                let y = i * stride - padding + u, x = j * stride - padding + v
                                guard y >= 0 && y < h && x >= 0 && x < w else { continue }
                                total += Double(input[flat: ((s * c + ic) * h + y) * w + x])
                                    * Double(kernel[flat: ((oc * c + ic) * k + u) * k + v])
                            }
                        }
                    }
                    out[((s * o + oc) * ho + i) * wo + j] = Float(total)
                }
            }
        }
    }
    return out
}
