import Foundation
import Harness

/// The live status line of `flywheel run` on a terminal: trials done of total, what the trials in
/// flight are doing (epoch), and the estimated time left, redrawn in place on standard error. Log
/// lines clear it first, so they scroll above it. Off when standard error is not a terminal.
final class RunStatusLine: @unchecked Sendable {
    let enabled: Bool
    private let lock = NSLock()
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled && isatty(STDERR_FILENO) != 0 }

    /// Redraws the line for `status`.
    func show(_ status: RunStatus) {
        guard enabled else { return }
        let width = 20, filled = status.total > 0 ? width * status.done / status.total : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let eta = status.secondsLeft.map { String(format: " · %d:%02d left", Int($0) / 60, Int($0) % 60) } ?? ""
        let line = "[\(bar)] \(status.done)/\(status.total)\(eta) · " + status.running.joined(separator: " | ")
        lock.withLock {
            FileHandle.standardError.write("\r\u{1B}[K\(line.prefix(terminalWidth - 1))".data(using: .utf8)!)
            shown = true
        }
    }

    /// Prints a log line above the status line.
    func print(_ line: String) {
        lock.withLock {
            if shown { FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!); shown = false }
            Swift.print(line)
        }
    }

    /// Removes the line, at the end of the run.
    func finish() {
        lock.withLock {
            if shown { FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!); shown = false }
        }
    }

    private var terminalWidth: Int {
        var size = winsize()
        return ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 ? Int(size.ws_col) : 100
    }
}
