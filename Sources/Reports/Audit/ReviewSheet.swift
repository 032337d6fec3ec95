import Audit
import Curation
import Datasets
import Foundation

/// A static HTML page for a person to review the flagged labels: each flagged image as it was
/// before import (its source file, embedded) or, where there is none or a browser cannot show its
/// format, the imported pixels enlarged; its given and suggested label and the model's
/// confidence; a menu to pick the corrected label; and a button that saves the review CSV
/// `flywheel data apply-review` reads. One file, no scripts or fonts from elsewhere. A blind-half
/// sheet hides the suggestion on a random half of the rows and records which in the saved CSV,
/// so that `flywheel data anchoring` can measure what seeing it changed.
///
/// Opened as `review.html#pick=ID:CLASS,ID:CLASS&export`, the page applies those picks and shows
/// the CSV the button would save in `<pre id="exported">` (how the headless-browser test reads it).
public enum ReviewSheet {
    /// Source formats every browser shows, by file extension.
    static let browserFormats = ["jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "bmp": "image/bmp", "webp": "image/webp"]

    /// - Parameters:
    ///   - imageColumn: the `image` column each row's CSV line carries (as in review.csv).
    ///   - shown: per item, whether its suggestion is shown (`BlindHalf`), for a review that also
    ///     measures anchoring; nil shows every suggestion. A row whose suggestion is hidden shows
    ///     neither it nor the confidence, and the saved CSV says which rows showed it.
    ///   - spotCheck: a random sample of the flags for `flywheel data spot-check`: every suggestion
    ///     hidden, so that it cannot sway the reviewer, a label picked on every row, and the page
    ///     saves `spot-check.csv`.
    public static func html(_ items: [ReviewFile.Item], of data: Dataset, title: String, imageColumn: (Int) -> String, shown: [Bool]? = nil,
                            spotCheck: Bool = false) -> String {
        let shown = spotCheck ? Array(repeating: false, count: items.count) : shown
        let rows = items.enumerated().map { index, item in
            let given = data.classNames[Int(data.delivered[item.sample])], suggested = data.classNames[item.suggested]
            let visible = shown?[index] ?? true
            let options = ([""] + data.classNames).map { name in
                let text = name.isEmpty ? (shown == nil ? "(keep)" : "(not reviewed)") : name == given && shown != nil ? name + " (given)" : name
                return "<option value=\"\(escape(name))\">\(escape(text))</option>"
            }.joined()
            let suggestion = visible ? "<td>\(escape(suggested))</td><td>\(String(format: "%.2f", item.confidence))</td>" : "<td class=\"hidden\">hidden</td><td>—</td>"
            let take = visible ? " <button type=\"button\" class=\"take\">take suggestion</button>" : ""
            return """
                <tr data-id="\(item.sample)" data-image="\(escape(imageColumn(item.sample)))" data-given="\(escape(given))" data-suggested="\(escape(suggested))" data-confidence="\(String(format: "%.4f", item.confidence))"\(shown == nil ? "" : " data-shown=\"\(visible ? "yes" : "no")\"")>
                <td>\(item.sample)</td><td><img src="\(imageSource(item.sample, of: data))" alt="sample \(item.sample)"></td>
                <td>\(escape(given))</td>\(suggestion)
                <td><select>\(options)</select>\(take)</td></tr>
                """
        }.joined(separator: "\n")
        let instructions = spotCheck ? spotCheckInstructions(count: items.count) : instructions(count: items.count, blind: shown != nil)
        return page(title: title, rows: rows, instructions: instructions, fileName: spotCheck ? "spot-check.csv" : "review.csv", blind: shown != nil)
    }

    /// The image as a data URI: the source file where the browser can show it, else the imported pixels as PNG.
    static func imageSource(_ sample: Int, of data: Dataset) -> String {
        if let path = data.sourcePaths?[sample], let mime = browserFormats[(path as NSString).pathExtension.lowercased()],
           let bytes = FileManager.default.contents(atPath: path) {
            return "data:\(mime);base64," + bytes.base64EncodedString()
        }
        let png = data.image(at: sample).encodedPNG() ?? []
        return "data:image/png;base64," + Data(png).base64EncodedString()
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// What the reviewer is asked to do: correct the wrong labels, or, on a blind-half sheet, pick a label on every row.
    private static func instructions(count: Int, blind: Bool) -> String {
        guard blind else {
            return """
                \(count) flagged images, most likely mislabelled first. Pick the right label where the given one is wrong
                (leave "(keep)" where it is right), then save the review and apply it:
                <code>flywheel data apply-review DATASET.h5 review.csv --out reviewed.h5</code>.
                """
        }
        return """
            \(count) flagged images, most likely mislabelled first. On half of them, drawn at random, the model's suggestion is
            hidden: that measures whether seeing it changes what you pick. Pick a label on every row (the given one where it
            is right), then save the review; <code>flywheel data anchoring DATASET.h5 review.csv</code> measures the
            anchoring and <code>flywheel data apply-review DATASET.h5 review.csv --out reviewed.h5</code> applies it.
            """
    }

    /// What the reviewer of a spot check is asked to do.
    private static func spotCheckInstructions(count: Int) -> String {
        """
        \(count) of the flagged images, drawn at random and shown in random order; the model's suggestion is hidden so
        that it does not sway you. Pick the right label on every row (the given one where it is right), then save the
        check; <code>flywheel data spot-check DATASET.h5 spot-check.csv --flags N</code> estimates how many of all N flags
        are label errors.
        """
    }

    private static func page(title: String, rows: String, instructions: String, fileName: String, blind: Bool) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body { font-family: sans-serif; margin: 1.5em; }
        table { border-collapse: collapse; }
        td, th { border-bottom: 1px solid #ddd; padding: 6px 10px; text-align: left; vertical-align: middle; }
        img { width: 160px; height: 160px; object-fit: contain; image-rendering: pixelated; background: #eee; }
        tr.changed { background: #fff6d6; }
        td.hidden { color: #999; }
        </style></head><body>
        <h1>\(escape(title))</h1>
        <p>\(instructions)</p>
        <p><button type="button" id="save">Save \(fileName)</button> <span id="status"></span></p>
        <table><thead><tr><th>id</th><th>image</th><th>given</th><th>suggested</th><th>confidence</th><th>corrected label</th></tr></thead>
        <tbody>
        \(rows)
        </tbody></table>
        <pre id="exported"></pre>
        <script>
        "use strict";
        const blind = \(blind);
        const columns = ["id", "image", "given_label", "suggested_label", "confidence", "corrected_label"].concat(blind ? ["suggestion_shown"] : []);
        function field(value) { return /[",\\r\\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value; }
        function reviewCSV() {
          const lines = [columns.join(",")];
          for (const row of document.querySelectorAll("tbody tr")) {
            const d = row.dataset;
            const fields = [row.dataset.id, d.image, d.given, d.suggested, d.confidence, row.querySelector("select").value];
            lines.push(fields.concat(blind ? [d.shown] : []).map(field).join(","));
          }
          return lines.join("\\n") + "\\n";
        }
        function mark(row) { row.classList.toggle("changed", row.querySelector("select").value !== ""); }
        for (const row of document.querySelectorAll("tbody tr")) {
          row.querySelector("select").addEventListener("change", () => mark(row));
          const take = row.querySelector("button.take");
          if (take) take.addEventListener("click", () => { row.querySelector("select").value = row.dataset.suggested; mark(row); });
        }
        document.getElementById("save").addEventListener("click", () => {
          const link = document.createElement("a");
          link.href = URL.createObjectURL(new Blob([reviewCSV()], {type: "text/csv"}));
          link.download = "\(fileName)";
          link.click();
          document.getElementById("status").textContent = "saved \(fileName)";
        });
        function applyHash() {
          const parts = new URLSearchParams(location.hash.slice(1));
          for (const pick of (parts.get("pick") || "").split(",").filter(p => p)) {
            const at = pick.indexOf(":");
            const row = document.querySelector('tbody tr[data-id="' + pick.slice(0, at) + '"]');
            if (row) { row.querySelector("select").value = pick.slice(at + 1); mark(row); }
          }
          if (parts.has("export")) { document.getElementById("exported").textContent = reviewCSV(); }
        }
        applyHash();
        </script>
        </body></html>

        """
    }
}
