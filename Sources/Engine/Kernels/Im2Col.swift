import CConvolution

/// Geometry of a 2-D convolution or pooling window over one image plane.
public struct ConvolutionGeometry: Hashable, Sendable {
    public let channels, height, width: Int
    public let kernelHeight, kernelWidth: Int
    public let stride, padding: Int

    public init(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int) {
        self.channels = channels; self.height = height; self.width = width
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.stride = stride; self.padding = padding
    }

    public var outputHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    public var outputWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
    /// Rows of the column matrix: one per (channel, kernel row, kernel column).
    public var patchSize: Int { channels * kernelHeight * kernelWidth }
    /// Output positions per image.
    public var outputPlane: Int { outputHeight * outputWidth }

    /// A 1 × 1 window of stride 2 without padding (a residual block's shortcut): its column
    /// matrix is every second pixel of every second row (`fw_take_every_second`).
    var takesEverySecondPixel: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 2 && padding == 0 }
}

/// Batched im2col: unfolds `batch` NCHW images into a column matrix of
/// `patchSize` rows × `batch · outputPlane` columns (row stride `batch · outputPlane`), where
/// image `n` occupies columns `n·outputPlane ..< (n+1)·outputPlane`. One GEMM with the kernel
/// matrix then convolves the whole batch, which keeps the GEMM wide.
public func im2col(_ columns: UnsafeMutablePointer<Float>, _ images: UnsafePointer<Float>,
                   _ g: ConvolutionGeometry, batch: Int) {
    // images: (batch, C, H, W); columns: (C·kh·kw, batch·Ho·Wo)
    let ho = g.outputHeight, wo = g.outputWidth, plane = g.outputPlane
    let rowStride = batch * plane
    if g.takesEverySecondPixel {
        for n in 0..<batch {
            fw_take_every_second(images + n * g.channels * g.height * g.width, Int32(g.channels), Int32(g.height), Int32(g.width),
                                 columns + n * plane, rowStride)
        }
        return
    }
    for n in 0..<batch {
        let image = images + n * g.channels * g.height * g.width
        for c in 0..<g.channels {
            let channel = image + c * g.height * g.width
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let row = (c * g.kernelHeight + ky) * g.kernelWidth + kx
                    let out = columns + row * rowStride + n * plane
                    fillColumnRow(out, channel, g, ky: ky, kx: kx, ho: ho, wo: wo)
                }
            }
        }
    }
}

/// Fills one row of the column matrix (kernel offset ky, kx of one channel). Plain loops, not
/// memcpy/memset: the runs are a few dozen floats, where a library call costs more than the copy.
@inline(__always)
private func fillColumnRow(_ out: UnsafeMutablePointer<Float>, _ channel: UnsafePointer<Float>,
                           _ g: ConvolutionGeometry, ky: Int, kx: Int, ho: Int, wo: Int) {
    let (first, last) = validOutputRange(kernelOffset: kx, g.stride, g.padding, g.width, wo)
    for oy in 0..<ho {
        let iy = oy * g.stride - g.padding + ky
        let dst = out + oy * wo
        guard iy >= 0 && iy < g.height else {
            for ox in 0..<wo { dst[ox] = 0 }
            continue
        }
        for ox in 0..<first { dst[ox] = 0 }
        if g.stride == 1 {
            let src = channel + iy * g.width - g.padding + kx
            for ox in first..<last { dst[ox] = src[ox] }
        } else {
            let src = channel + iy * g.width - g.padding + kx
            for ox in first..<last { dst[ox] = src[ox * g.stride] }
        }
        for ox in last..<wo { dst[ox] = 0 }
    }
}

/// The output columns `first..<last` whose input column `ox·stride − padding + k` lies inside
/// `0..<width`.
@inline(__always)
private func validOutputRange(kernelOffset k: Int, _ stride: Int, _ padding: Int, _ width: Int, _ wo: Int) -> (Int, Int) {
    // ox·s − p + k ≥ 0  ⇔ ox ≥ ceil((p − k) / s);   ox·s − p + k ≤ width − 1  ⇔ ox ≤ floor((width − 1 + p − k) / s)
    let lowNumerator = padding - k
    let first = lowNumerator <= 0 ? 0 : (lowNumerator + stride - 1) / stride
    let highNumerator = width - 1 + padding - k
    let last = highNumerator < 0 ? 0 : min(wo, highNumerator / stride + 1)
    return (min(first, wo), max(last, min(first, wo)))
}

/// Batched col2im, the adjoint of `im2col`: adds each column-matrix entry back onto the
/// image pixel it was read from. `images` is overwritten (not accumulated into).
public func col2im(_ images: UnsafeMutablePointer<Float>, _ columns: UnsafePointer<Float>,
                   _ g: ConvolutionGeometry, batch: Int) {
    let ho = g.outputHeight, wo = g.outputWidth, plane = g.outputPlane
    let rowStride = batch * plane
    if g.takesEverySecondPixel {
        for n in 0..<batch {
            fw_put_every_second(images + n * g.channels * g.height * g.width, Int32(g.channels), Int32(g.height), Int32(g.width),
                                columns + n * plane, rowStride)
        }
        return
    }
    images.update(repeating: 0, count: batch * g.channels * g.height * g.width)
    for n in 0..<batch {
        let image = images + n * g.channels * g.height * g.width
        for c in 0..<g.channels {
            let channel = image + c * g.height * g.width
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let row = (c * g.kernelHeight + ky) * g.kernelWidth + kx
                    let src = columns + row * rowStride + n * plane
                    let (first, last) = validOutputRange(kernelOffset: kx, g.stride, g.padding, g.width, wo)
                    for oy in 0..<ho {
                        let iy = oy * g.stride - g.padding + ky
                        guard iy >= 0 && iy < g.height else { continue }
                        let dst = channel + iy * g.width - g.padding + kx
                        let from = src + oy * wo
                        if g.stride == 1 {
                            for ox in first..<last { dst[ox] += from[ox] }
                        } else {
                            for ox in first..<last { dst[ox * g.stride] += from[ox] }
                        }
                    }
                }
            }
        }
    }
}
