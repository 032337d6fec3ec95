import Foundation

/// The review CSV a review sheet's save button would write, read from the page in Debian's
/// chromium, headless: `page` is its file URL with `#pick=ID:CLASS,…&export`, which makes the
/// page apply the picks and show the CSV in `<pre id="exported">`. Returns its lines.
/// - Throws: `TestFailure` with the browser's output when the page shows no export.
public func reviewExportedBySheet(_ page: String) throws -> [String] {
    let browser = try runProcess("/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page])
    let dom = browser.output
    guard browser.status == 0, let start = dom.range(of: "<pre id=\"exported\">"),
          let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
        throw TestFailure("no export in the page (chromium exit \(browser.status)): \(dom.suffix(500))")
    }
    return String(dom[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&").split(separator: "\n").map(String.init)
}

/// A test helper's failure, with what it saw.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
