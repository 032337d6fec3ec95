import Foundation
import Harness
import Store

/// The report formats `flywheel run` and `flywheel report` write.
public enum ReportFormat: String, Sendable, CaseIterable {
    case md, csv, svg, ipynb
}

/// Writes an experiment's reports from its trial records.
public enum ReportWriter {
    /// What `write` produced: the markdown report (to show) and the files written, merged file first.
    public struct Written: Sendable {
        public let markdown: String
        public let files: [String]
    }

    /// Writes the merged HDF5 and the asked formats (report.md; trials.csv, arms.csv, comparisons.csv and, with a
    /// review curve, review-curve.csv; arms.svg and
    /// curves.svg into `folder`, NAME.ipynb into `notebookFolder`).
    /// - Parameter title: the report's heading (default: the experiment's name).
    public static func write(_ records: [TrialRecord], formats: [ReportFormat], folder: String, merged: String, notebookFolder: String,
                             command: String, title: String? = nil) throws -> Written {
        let analysis = ExperimentAnalysis(records: records)
        let markdown = MarkdownReport.render(analysis, command: command, provenance: Provenance(records: records), title: title)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try MergedResults.write(records, to: merged) { try AnalysisTables.write(analysis, to: $0) }
        var written = [merged]
        func save(_ text: String, _ path: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8); written.append(path) }
        for format in formats {
            switch format {
            case .md: try save(markdown, folder + "/report.md")
            case .csv:
                try save(CSVReport.trials(records), folder + "/trials.csv")
                try save(CSVReport.arms(analysis), folder + "/arms.csv")
                try save(CSVReport.comparisons(analysis), folder + "/comparisons.csv")
                if let curve = analysis.reviewCurve { try save(CSVReport.reviewCurve(curve), folder + "/review-curve.csv") }
            case .svg:
                try save(SVGChart.arms(analysis), folder + "/arms.svg")
                try save(SVGChart.curves(records), folder + "/curves.svg")
            case .ipynb:
                try FileManager.default.createDirectory(atPath: notebookFolder, withIntermediateDirectories: true)
                try save(try NotebookExport.render(experiment: analysis.experiment, mergedPath: relativePath(to: merged, from: notebookFolder),
                                                   command: command, metric: analysis.analysisPlan.metric),
                         notebookFolder + "/" + analysis.experiment + ".ipynb")
            }
        }
        return Written(markdown: markdown, files: written)
    }

    /// `target` as seen from the folder `base`: relative when both are relative to the working
    /// directory, absolute otherwise.
    public static func relativePath(to target: String, from base: String) -> String {
        guard !target.hasPrefix("/"), !base.hasPrefix("/") else {
            return target.hasPrefix("/") ? target : FileManager.default.currentDirectoryPath + "/" + target
        }
        let depth = base.split(separator: "/").filter { $0 != "." }.count
        return String(repeating: "../", count: depth) + target
    }
}
