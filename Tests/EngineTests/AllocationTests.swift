import AllocationCounter
import Testing
@testable import Engine

/// A training step reuses its buffers: after the first batch it makes no heap allocation.
@Suite(.serialized) struct AllocationTests {
    @Test(arguments: [Architecture.cnnSmall, .cnnWide, .resnet8])
    func trainingStepsAllocateNothingAfterTheFirstBatch(architecture: Architecture) throws {
        BLASThreads.set(1)
        let model = try ModelSpec(architecture: architecture, imageSize: 32, classes: 4, dropout: 0.1).build(seed: 1)
        let trainer = try Trainer(model: model, config: TrainingConfig())
        let images = randomTensor([8, 1, 32, 32], seed: 2)
        let labels: [Int32] = [0, 1, 2, 3, 0, 1, 2, 3]
        let allocations = labels.withUnsafeBufferPointer { y in
            _ = trainer.step(images, y, learningRate: 0.01)
            allocation_counter_start()
            for _ in 0..<3 { _ = trainer.step(images, y, learningRate: 0.01) }
            return allocation_counter_stop()
        }
        #expect(allocations == 0)
    }

    @Test func theCounterSeesAllocations() {
        allocation_counter_start()
        let t = Tensor(zeros: [100])
        let count = allocation_counter_stop()
        #expect(count >= 1)
        #expect(t.count == 100)
    }
}
