/// In-loop photometric augmentation, what a team adds against lighting that varies from shot to shot
/// or line to line: each time an image enters a batch, its contrast is scaled about the image's own
/// mean by a factor drawn from [1 − contrast, 1 + contrast] and its brightness shifted by a draw from
/// [−brightness, +brightness] of the pixel range, then the pixels are clipped to the range (seeded
/// draws, two per image). Every channel gets the same factors, so colours keep their balance.
public struct PhotometricJitter: Sendable, Equatable, Hashable, Codable {
    /// The largest brightness shift, as a fraction of the pixel range (0.1: a tenth of black to white).
    public var brightness: Float
    /// The largest relative change of contrast (0.2: from 80% to 120%).
    public var contrast: Float

    public init(brightness: Float = 0.1, contrast: Float = 0.2) {
        self.brightness = brightness; self.contrast = contrast
    }

    /// Checks both amounts; the message names the setting and its allowed range.
    public func validate() throws {
        try require((0...1).contains(brightness), "photometric brightness must be in [0, 1], got \(brightness)")
        try require((0..<1).contains(contrast), "photometric contrast must be in [0, 1), got \(contrast)")
    }

    /// Jitters one image of `count` pixels in [−1, 1] in place, drawing its two factors from `generator`.
    func apply(to pixels: UnsafeMutablePointer<Float>, count: Int, with generator: inout SplitMix64) {
        let factor = 1 + contrast * (2 * generator.nextUniform() - 1)
        // The pixel range [−1, 1] is 2 wide.
        let shift = 2 * brightness * (2 * generator.nextUniform() - 1)
        var sum: Float = 0
        for i in 0..<count { sum += pixels[i] }
        let mean = sum / Float(max(count, 1))
        for i in 0..<count { pixels[i] = min(max((pixels[i] - mean) * factor + mean + shift, -1), 1) }
    }
}
