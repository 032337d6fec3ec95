/// Errors the engine reports for bad configuration or data; each message names the layer,
/// option or value and what was expected.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    /// An option outside its allowed range, e.g. a stride of 0.
    case invalidOption(String)
    /// A tensor or data shape that does not fit where it is used.
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case .invalidOption(let message): "invalid option: \(message)"
        case .shapeMismatch(let message): "shape mismatch: \(message)"
        }
    }
}

/// Throws `EngineError.invalidOption(message)` unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw EngineError.invalidOption(message()) }
}
