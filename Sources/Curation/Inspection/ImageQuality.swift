import Datasets

/// Per image, its brightness and contrast, and the problems a person would see at a glance:
/// near-blank (pixel standard deviation under 2 of 255 levels), too dark (mean under 16) or too
/// bright (mean over 239). The limits are in pixel levels, not relative to the data, so a data
/// set of dark images is reported as such.
public struct ImageQuality: Sendable {
    /// Mean pixel level (0…255) per sample of `samples`.
    public let mean: [Double]
    /// Pixel standard deviation per sample.
    public let contrast: [Double]
    /// The samples measured.
    public let samples: [Int]

    /// A problem an image can have.
    public enum Problem: String, Sendable, CaseIterable {
        case nearBlank = "near-blank", tooDark = "too dark", tooBright = "too bright"
    }

    public init(of samples: [Int], in data: Dataset) {
        self.samples = samples
        let size = data.imageSize
        var mean: [Double] = [], contrast: [Double] = []
        for sample in samples {
            let pixels = data.pixels[(sample * size)..<((sample + 1) * size)]
            let m = pixels.reduce(0.0) { $0 + Double($1) } / Double(size)
            mean.append(m)
            contrast.append((pixels.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(size)).squareRoot())
        }
        self.mean = mean; self.contrast = contrast
    }

    /// The problems of the sample in row `row`.
    public func problems(_ row: Int) -> [Problem] {
        var found: [Problem] = []
        if contrast[row] < 2 { found.append(.nearBlank) }
        if mean[row] < 16 { found.append(.tooDark) }
        if mean[row] > 239 { found.append(.tooBright) }
        return found
    }

    /// Samples (ids) with `problem`.
    public func samples(with problem: Problem) -> [Int] { samples.indices.filter { problems($0).contains(problem) }.map { samples[$0] } }
}
