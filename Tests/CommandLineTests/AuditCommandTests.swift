import Foundation
import TestSupport
import Testing

/// `flywheel audit` end to end: the files it writes, readable by pandas and h5py.
@Suite struct AuditCommandTests {
    @Test func auditWritesARankedTableAndFilesPythonReads() throws {
        let folder = NSTemporaryDirectory() + "flywheel-audit-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let flywheel = try builtExecutable("flywheel")
        let generated = try runProcess(flywheel, ["data", "generate", "steel-defects", "--out", folder + "/steel.h5", "--size", "16",
                                                  "--per-class", "train=16,val=4,test=8"])
        #expect(generated.status == 0, "\(generated.output)")
        let audit = try runProcess(flywheel, ["audit", folder + "/steel.h5", "--out", folder + "/audit", "--epochs", "2", "--seeds", "1,2",
                                              "--folds", "2", "--variants", "cnn-deep", "--threads", "1"])
        #expect(audit.status == 0, "\(audit.output)")
        #expect(audit.output.contains("1. "), "\(audit.output)")
        let report = try String(contentsOfFile: folder + "/audit/audit.md", encoding: .utf8)
        #expect(report.contains("Scored on the test split's verified labels (48 images)."), "\(report)")
        for section in ["## Levers, best estimated gain first", "## Label issues", "## Duplicates and leakage", "## Classes", "## Learning curve", "## Images"] {
            #expect(report.contains(section), "\(section) missing")
        }
        let python = try pythonEnvironment([("h5py", "h5py"), ("pandas", "pandas")])
        let check = """
            import sys, h5py, pandas
            folder = sys.argv[1]
            levers = pandas.read_csv(folder + "/levers.csv")
            assert list(levers["rank"]) == list(range(1, len(levers) + 1)), levers
            assert set(levers["kind"]) == {"review labels", "collect data", "change the model", "change the training"}, set(levers["kind"])
            assert (levers["gain_points"].diff().dropna() <= 0).all(), "not ranked by gain"
            with h5py.File(folder + "/audit.h5", "r") as f:
                assert f["training/sample"].shape == (96,), f["training/sample"].shape
                assert f["training/probabilities"].shape == (96, 6)
                assert f["images/sample"].shape == (96 + 24 + 48,)
                assert f["levers/gains"].shape == (len(levers), 2)
                assert f["learning_curve/accuracy"].shape == (3, 2)
                assert "test split" in f.attrs["scored_on"]
            review = pandas.read_csv(folder + "/review.csv")
            assert list(review.columns) == ["id", "image", "given_label", "suggested_label", "confidence", "corrected_label"]
            print("ok", len(levers))
            """
        let checked = try runProcess(python, ["-c", check, folder + "/audit"])
        #expect(checked.status == 0 && checked.output.hasPrefix("ok"), "\(checked.output)")
        // The notebook beside audit.h5 rebuilds levers.csv: same order, gains, intervals and p-values.
        let notebookPython = try pythonEnvironment([("h5py", "h5py"), ("pandas", "pandas"), ("scipy", "scipy"), ("nbclient", "nbclient"),
                                                    ("nbformat", "nbformat"), ("ipykernel", "ipykernel")])
        let execute = """
            import sys, nbformat, pandas
            from nbclient import NotebookClient
            folder = sys.argv[1]
            nb = nbformat.read(folder + "/audit.ipynb", as_version=4)
            client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": folder}})
            client.execute()
            expected = pandas.read_csv(folder + "/levers.csv")
            namespace = {}   # the executed cell again, to read its table
            exec(nb.cells[1].source.replace('"audit.h5"', repr(folder + "/audit.h5")), namespace)
            got = namespace["levers"]
            assert list(got["action"]) == list(expected["action"]), (list(got["action"]), list(expected["action"]))
            for column in ["gain_points", "gain_lower", "gain_upper", "p_value", "cost_units"]:
                difference = (got[column].values - expected[column].values)
                assert abs(difference[~pandas.isna(difference)]).max() < 2e-3, (column, got[column].values, expected[column].values)
            print("notebook ok")
            """
        let executed = try runProcess(notebookPython, ["-c", execute, folder + "/audit"])
        #expect(executed.status == 0 && executed.output.contains("notebook ok"), "\(executed.output)")
        let svg = try String(contentsOfFile: folder + "/audit/learning-curve.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") || svg.contains("<svg"))
        let recipe = try runProcess(flywheel, ["audit", folder + "/steel.h5", "--out", folder + "/recipe", "--epochs", "1", "--seeds", "1,2", "--folds", "2",
                                               "--schedule", "cosine", "--flips", "--variants", "none", "--training-changes", "none", "--threads", "1",
                                               "--metric", "balanced-accuracy"])
        #expect(recipe.status == 0, "\(recipe.output)")
        let recipeReport = try String(contentsOfFile: folder + "/recipe/audit.md", encoding: .utf8)
        #expect(recipeReport.contains("Recipe cnn-small, 1 epochs (cosine schedule, random flips in the loop), trained on"), "\(recipeReport)")
        #expect(recipeReport.contains("Baseline balanced accuracy ") && recipeReport.contains("Every gain below is in points of balanced accuracy"))
        #expect(recipeReport.contains("| share of training split | images | balanced accuracy (95% CI) |"))
        #expect(!recipeReport.contains("change the training"), "\(recipeReport)")
        let unknown = try runProcess(flywheel, ["audit", folder + "/steel.h5", "--out", folder + "/other", "--training-changes", "schedule,dropout"])
        #expect(unknown.status == 2 && unknown.output.contains("Please provide one of 'schedule', 'flips' or 'class-weights'"), "\(unknown.output)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/other"))
    }

    @Test func auditCheckSetsEstimatesBesideTheLeversApplied() throws {
        let folder = NSTemporaryDirectory() + "flywheel-audit-check-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let flywheel = try builtExecutable("flywheel")
        let check = try runProcess(flywheel, ["audit-check", "--scenarios", "solar-cells", "--per-class", "train=10,val=4,test=8,pool=10",
                                              "--epochs", "2", "--seeds", "1,2", "--threads", "1", "--out", folder + "/check.md"])
        #expect(check.status == 0, "\(check.output)")
        let report = try String(contentsOfFile: folder + "/check.md", encoding: .utf8)
        #expect(report.contains("## solar-cells"), "\(report)")
        for lever in ["| collect as many images again |", "(estimated: drop all flagged) — against a perfect review (gold oracle) |",
                      "(estimated: take every suggestion) — against a perfect review (gold oracle) |"] {
            #expect(report.contains(lever), "\(lever) missing: \(report)")
        }
        #expect(report.contains("Code: Flywheel commit "), "the report names the code it ran")
        // The curve the projection was fitted to, and the point it projected, measured: as many images again.
        #expect(report.contains("against the share of the training split (images): 25% (")
                && report.contains("Measured with the pool added, 200% (")
                && report.contains("One step back (fitted without the whole split), the projection of the last step minus the gain measured there: "), "\(report)")

        // Without gold labels or a pool there is nothing to check against: exit 2, naming the file.
        let generated = try runProcess(flywheel, ["data", "generate", "steel-defects", "--out", folder + "/no-pool.h5", "--size", "16",
                                                  "--per-class", "train=6,val=2,test=2"])
        #expect(generated.status == 0, "\(generated.output)")
        let refused = try runProcess(flywheel, ["audit-check", "--scenarios", "none", "--datasets", folder + "/no-pool.h5", "--out", folder + "/x.md"])
        #expect(refused.status == 2 && refused.output.contains("no-pool.h5: checking the audit needs a pool split"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/x.md"))
    }
}
