/// The architectures Flywheel can build by name.
public enum Architecture: String, Sendable, CaseIterable, Codable {
    /// The reference network of `shared/bench/reference-cnn.md`: three conv(3×3)+ReLU+maxpool
    /// stages of 16/32/64 channels, dense 128 + ReLU, dense to the classes.
    case cnnSmall = "cnn-small"
    /// `cnn-small` with twice the channels (32/64/128) and a 256-unit hidden layer.
    case cnnWide = "cnn-wide"
    /// `cnn-small` with two convolutions per stage.
    case cnnDeep = "cnn-deep"
    /// A stem convolution, three basic residual blocks (16, 32/2, 64/2) with batch norm,
    /// global average pooling and a dense classifier: eight weighted layers.
    case resnet8 = "resnet-8"
    /// ResNet-18's layout (He et al. 2016: a stem, four stages of two basic blocks, the width doubling
    /// and the plane halving from the second stage) at half its widths (32/64/128/256 rather than
    /// 64…512) and with a 3×3 stride-2 stem in place of the 7×7 stem and max pool: the depth a team
    /// trains on 64–128-pixel inspection images, sized for a CPU. Eighteen weighted layers (the stem,
    /// sixteen in the blocks, the classifier; the three 1×1 shortcuts uncounted, as in the paper).
    case resnet18 = "resnet-18"
}

/// A model to build: an architecture plus the data it sees.
public struct ModelSpec: Sendable, Equatable, Codable {
    public var architecture: Architecture
    public var inputChannels: Int
    public var imageSize: Int
    public var classes: Int
    /// Dropout before the classifier (0 = none).
    public var dropout: Float
    /// Average-pool the input k × k first (1 = none): the network then sees `imageSize / k`
    /// pixels a side, what training at a lower resolution means for images stored at a higher one.
    public var inputPool: Int
    /// Standardise each image to mean 0 and standard deviation 1 before anything else
    /// (`PerImageStandardization`; nil or false: the pixels as stored).
    public var standardizesInput: Bool?

    public init(architecture: Architecture, inputChannels: Int = 1, imageSize: Int = 64, classes: Int = 6, dropout: Float = 0, inputPool: Int = 1,
                standardizesInput: Bool = false) {
        self.architecture = architecture; self.inputChannels = inputChannels
        self.imageSize = imageSize; self.classes = classes; self.dropout = dropout; self.inputPool = inputPool
        self.standardizesInput = standardizesInput ? true : nil
    }

    /// The side of the images the network's first convolution sees.
    private var networkSize: Int { imageSize / inputPool }

    /// Builds the model with weights drawn from `seed`.
    /// - Throws: `EngineError.invalidOption` for an image smaller than 8 pixels (after the input
    ///   pooling), an input pooling that does not divide the image, fewer than two classes or
    ///   channels outside 1...4.
    public func build(seed: UInt64) throws -> Sequential {
        try require(inputPool >= 1 && imageSize % inputPool == 0, "an input pooling of \(inputPool) does not divide \(imageSize)-pixel images")
        try require(networkSize >= 8, "image size must be at least 8 pixels, got \(networkSize)")
        try require(classes >= 2, "a classifier needs at least 2 classes, got \(classes)")
        try require((1...4).contains(inputChannels), "input channels must be 1 to 4, got \(inputChannels)")
        let standardization: [Layer] = standardizesInput == true ? [try PerImageStandardization()] : []
        let pooling: [Layer] = inputPool > 1 ? [try AvgPool2D(kernelSize: inputPool)] : []
        let model = try Sequential(inputShape: [inputChannels, imageSize, imageSize], layers: standardization + pooling + (try layers()))
        model.initialize(seed: seed)
        return model
    }

    private func layers() throws -> [Layer] {
        switch architecture {
        case .cnnSmall: return try plainCNN(channels: [16, 32, 64], hidden: 128, convsPerStage: 1)
        case .cnnWide: return try plainCNN(channels: [32, 64, 128], hidden: 256, convsPerStage: 1)
        case .cnnDeep: return try plainCNN(channels: [16, 32, 64], hidden: 128, convsPerStage: 2)
        case .resnet8: return try resnet8()
        case .resnet18: return try resnet18()
        }
    }

    private func plainCNN(channels: [Int], hidden: Int, convsPerStage: Int) throws -> [Layer] {
        var layers: [Layer] = []
        var inChannels = inputChannels, size = networkSize
        for width in channels {
            for _ in 1..<convsPerStage {
                layers.append(try Conv2D(inputChannels: inChannels, outputChannels: width, kernelSize: 3, padding: 1, activation: .relu))
                inChannels = width
            }
            // The stage's last conv, its ReLU and the 2×2 max pool, fused (see ConvReLUMaxPool).
            layers.append(try ConvReLUMaxPool(inputChannels: inChannels, outputChannels: width, kernelSize: 3, padding: 1))
            inChannels = width
            size /= 2
        }
        layers.append(Flatten())
        layers.append(try Dense(inputFeatures: inChannels * size * size, outputFeatures: hidden, activation: .relu))
        if dropout > 0 { layers.append(try Dropout(rate: dropout)) }
        layers.append(try Dense(inputFeatures: hidden, outputFeatures: classes))
        return layers
    }

    /// resnet-8 and resnet-18: a stem, then `blocksPerStage` basic residual blocks per stage of
    /// `widths` (the first block of every stage after the first halving the plane), global average
    /// pooling, dropout if any, the classifier.
    private func residualNetwork(stem: [Layer], stemWidth: Int, widths: [Int], blocksPerStage: Int) throws -> [Layer] {
        var layers = stem, channels = stemWidth
        for (stage, width) in widths.enumerated() {
            for block in 0..<blocksPerStage {
                layers.append(try ResidualBlock(inputChannels: channels, outputChannels: width, stride: stage > 0 && block == 0 ? 2 : 1))
                channels = width
            }
        }
        layers.append(GlobalAvgPool())
        if dropout > 0 { layers.append(try Dropout(rate: dropout)) }
        layers.append(try Dense(inputFeatures: channels, outputFeatures: classes))
        return layers
    }

    private func resnet8() throws -> [Layer] {
        try residualNetwork(stem: [try Conv2D(inputChannels: inputChannels, outputChannels: 16, kernelSize: 3, padding: 1, bias: false),
                                   try BatchNorm2D(channels: 16), ReLU()],
                            stemWidth: 16, widths: [16, 32, 64], blocksPerStage: 1)
    }

    private func resnet18() throws -> [Layer] {
        try residualNetwork(stem: [try Conv2D(inputChannels: inputChannels, outputChannels: 32, kernelSize: 3, stride: 2, padding: 1, bias: false),
                                   try BatchNorm2D(channels: 32, activation: .relu)],
                            stemWidth: 32, widths: [32, 64, 128, 256], blocksPerStage: 2)
    }
}
