import Engine

/// A training whose loss stopped being finite: its model predicts nothing, so nothing that needs
/// its predictions can go on. Not bad input: the learning rate is too high for this data, model
/// and seed.
public struct TrainingDiverged: Error, Equatable, CustomStringConvertible {
    /// What was trained ("cnn-small from seed 3", "cross-validation fold 2 of 4: cnn-small from seed 2").
    public var what: String
    /// The epoch in which the loss stopped being finite (1-based).
    public let epoch: Int
    public let learningRate: Float

    public init(what: String, epoch: Int, learningRate: Float) {
        self.what = what; self.epoch = epoch; self.learningRate = learningRate
    }

    public var description: String {
        "\(what) diverged in epoch \(epoch) (its loss was no longer finite at learning rate \(learningRate)); "
            + "train with a lower learning rate or anneal it (--lr, --schedule cosine; in an experiment file train.lr, train.schedule: cosine)"
    }
}

extension TrainingDiverged {
    /// `training`'s value; a divergence in it is named `what` first ("cross-validation fold 2 of 4: cnn-small from seed 2").
    public static func naming<Value>(_ what: String, _ training: () throws -> Value) throws -> Value {
        do { return try training() } catch var diverged as TrainingDiverged {
            diverged.what = what + ": " + diverged.what
            throw diverged
        }
    }
}
