import Foundation

/// A one-line progress bar on standard error when it is a terminal; silent otherwise (logs, CI).
final class ProgressBar {
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastDrawn = -1

    init(label: String) { self.label = label }

    /// Shows `done` of `total`.
    func update(_ done: Int, _ total: Int) {
        guard isTerminal, total > 0 else { return }
        let percent = 100 * done / total
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30, filled = width * done / total
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write("\r\(label) [\(bar)] \(done)/\(total)".data(using: .utf8)!)
    }

    /// Ends the line.
    func finish() {
        if isTerminal && lastDrawn >= 0 { FileHandle.standardError.write("\n".data(using: .utf8)!) }
    }
}
