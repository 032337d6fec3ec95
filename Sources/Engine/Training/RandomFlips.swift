/// Which flips in-loop augmentation may apply: each allowed axis is flipped with probability ½
/// every time a sample enters a batch (seeded), so the data stays the same size.
public struct RandomFlips: OptionSet, Sendable, Equatable, Hashable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Mirror left–right.
    public static let horizontal = RandomFlips(rawValue: 1)
    /// Mirror top–bottom.
    public static let vertical = RandomFlips(rawValue: 2)
    /// Both axes: the four flips of the image, equally likely.
    public static let both: RandomFlips = [.horizontal, .vertical]
}
