import Testing
@testable import Engine

/// Bad options and mismatched shapes give errors that say what is wrong.
@Suite struct ValidationTests {
    private func message(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    @Test func invalidLayerOptionsAreNamed() {
        #expect(message { _ = try Conv2D(inputChannels: 0, outputChannels: 4, kernelSize: 3) }
                == "invalid option: Conv2D inputChannels must be positive, got 0")
        #expect(message { _ = try Conv2D(inputChannels: 1, outputChannels: 4, kernelSize: 3, stride: 0) }
                == "invalid option: Conv2D stride must be positive, got 0")
        #expect(message { _ = try MaxPool2D(kernelSize: 2, stride: 0) } == "invalid option: MaxPool2D stride must be positive, got 0")
        #expect(message { _ = try Dense(inputFeatures: 4, outputFeatures: 0) } == "invalid option: Dense outputFeatures must be positive, got 0")
        #expect(message { _ = try Dropout(rate: 1) } == "invalid option: Dropout rate must be in [0, 1), got 1.0")
        #expect(message { _ = try BatchNorm2D(channels: 0) } == "invalid option: BatchNorm2D channels must be positive, got 0")
    }

    @Test func invalidTrainingSettingsAreNamed() throws {
        let model = try ModelSpec(architecture: .cnnSmall, imageSize: 16, classes: 3).build(seed: 1)
        var c = TrainingConfig()
        c.learningRate = -0.1
        #expect(message { _ = try Trainer(model: model, config: c) } == "invalid option: learning rate must be positive, got -0.1")
        c = TrainingConfig(); c.epochs = 0
        #expect(message { _ = try Trainer(model: model, config: c) } == "invalid option: epochs must be positive, got 0")
        c = TrainingConfig(); c.optimizer.momentum = 1.5
        #expect(message { _ = try Trainer(model: model, config: c) } == "invalid option: momentum must be in [0, 1), got 1.5")
        c = TrainingConfig(); c.schedule = LearningRateSchedule(.step(every: 0, factor: 0.5))
        #expect(message { _ = try Trainer(model: model, config: c) }
                == "invalid option: step schedule: every must be a positive number of epochs, got 0")
    }

    @Test func shapeMismatchesNameTheLayerAndBothShapes() {
        #expect(message {
            _ = try Sequential(inputShape: [1, 8, 8], layers: [try Conv2D(inputChannels: 3, outputChannels: 2, kernelSize: 3)])
        } == "shape mismatch: layer 0 (conv2d): Conv2D expects input (3, H, W), got (1, 8, 8)")
        #expect(message {
            _ = try Sequential(inputShape: [1, 8, 8], layers: [Flatten(), try Dense(inputFeatures: 10, outputFeatures: 2)])
        } == "shape mismatch: layer 1 (dense): Dense expects 10 input features, got input of shape (64)")
        #expect(message {
            _ = try Sequential(inputShape: [1, 8, 8], layers: [try Dense(inputFeatures: 64, outputFeatures: 2)])
        } == "shape mismatch: layer 0 (dense): Dense expects 64 input features, got input of shape (1, 8, 8) (add a Flatten layer before it)")
    }

    @Test func dataThatDoesNotFitTheModelIsRejected() throws {
        let model = try ModelSpec(architecture: .cnnSmall, imageSize: 16, classes: 3).build(seed: 1)
        let trainer = try Trainer(model: model, config: TrainingConfig())
        let wrongSize = try LabeledImages(images: Tensor(zeros: [2, 1, 8, 8]), labels: [0, 1], classes: 3)
        #expect(message { _ = try trainer.fit(wrongSize) } == "shape mismatch: training images are (1, 8, 8) but the model takes (1, 16, 16)")
        #expect(message { _ = try LabeledImages(images: Tensor(zeros: [2, 1, 8, 8]), labels: [0, 3], classes: 3) }
                == "invalid option: label 3 of sample 1 is outside 0..<3")
    }
}
