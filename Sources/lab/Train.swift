import ArgumentParser
import Descent
import LabKit
import Figures

struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an MLP on a CSV file or a built-in data set and print its learning curve.",
        discussion: """
            Data: a CSV file with a header row, every cell a number; the target is --target or the last \
            column. Built-in names: \(DataTable.builtInNames.joined(separator: ", ")) (digits: the 8×8 UCI \
            handwritten digits, 1,797 images, 10 classes, CC BY 4.0). Features are z-scored with the \
            training split's mean and population standard deviation (a constant column becomes 0); a \
            regression target too. Classification: the sorted distinct target values are classes \
            0…K−1, K outputs, softmax cross-entropy (mean); regression: 1 output, MSE (mean). Without \
            --task, a target of ≤ 20 distinct integers is a classification (said on stderr). \
            --validation f holds out the last ⌈f·n⌉ rows of a permutation seeded by --seed.

            CSV columns: step,lr,train_loss,val_loss,val_accuracy with rows at steps 0, E, 2E, … \
            (E = --eval-every) and always N. Row k is the state before update k; train_loss is the \
            loss on the whole training split; lr is the rate of update k (row N: the next rate); a \
            field is empty where the value does not exist (no validation split; accuracy of a \
            regression). A non-finite loss stops the run at that row with 'diverged at step k' on \
            stderr (exit status 0, --save-params not written).

            --init-params/--save-params: JSON {"layers": [{"weight": [[…]…], "bias": […]}, …]}, input \
            side first, weight out × in (PyTorch nn.Linear's layout). The seed draws the initial \
            weights and then the batch order; --init-params replaces the drawn weights (and reads only \
            "layers"). Beside "layers", the file carries what 'lab predict' needs: "model" {"hidden", \
            "activation", "residual", "batch_norm"} and "scaling" {"task", "features" (names, input \
            order), "feature_mean", "feature_std" (a constant column has std 0 and input 0), "target", \
            and "target_mean", "target_std" (regression: prediction = target_mean + target_std·output) \
            or "classes" (classification: the label of each output)}.

            --save-best FILE: the parameters (and batch-norm averages) of the row with the lowest \
            val_loss (the first such row), written like --save-params when the run ends — also when \
            it diverged, from the best row before that. It needs a validation split (--validation > 0): \
            without one there is no held-out loss to choose by. The chosen step is said on stderr.

            --residual: every hidden layer after the first computes h + φ(Wh + b) (equal hidden widths). \
            --batch-norm: every hidden layer is Linear → BatchNorm1d (ε 1e-5, momentum 0.1) → φ; its \
            layers carry "batch_norm": {"weight", "bias", "running_mean", "running_var"} in the JSON \
            (absent: 1, 0, 0, 1). With batch norm, train_loss uses the whole training split's statistics \
            (training mode, running averages untouched) and val_loss the running averages (model.eval()).

            Examples:
              lab train --data digits --optimizer adam --lr 0.001 --steps 2000
              lab train --data prices.csv --target price --layers 64 --activation relu \\
                  --optimizer sgd --momentum 0.9 --lr 0.01 --format table
            """
    )

    @OptionGroup var dataOptions: TrainDataOptions
    @OptionGroup var modelOptions: TrainModelOptions
    @OptionGroup var optimizerOptions: OptimizerOptions

    @Option(parsing: .unconditional, help: "Base learning rate α > 0.")
    var lr: Double

    @Option(help: "Learning-rate schedule (forms in 'lab optimize --help'), e.g. cosine:T=1000. Default constant.",
            transform: parseSchedule)
    var schedule: Schedule = .constant

    @Option(parsing: .unconditional, help: "Number of updates N ≥ 0.")
    var steps: Int = 1000

    @Option(parsing: .unconditional, help: "Report a row every E ≥ 1 steps (and always at step N).")
    var evalEvery: Int = 50

    @Option(help: "Write the final weights to this JSON file (atomically, only after a run that did not diverge).")
    var saveParams: String?

    @Option(help: "Write the weights of the row with the lowest val_loss to this JSON file (atomically, at the end; needs --validation > 0).")
    var saveBest: String?

    @Option(help: "Output format: csv (streamed), table or plot.")
    var format: Format = .csv

    func validate() throws {
        try checked { () throws(OptionError) in try Check.rate("lr", lr) }
        try dataOptions.validateOptions()
        guard steps >= 0 else { throw ValidationError("--steps must be ≥ 0 (e.g. --steps 1000), got \(steps)") }
        guard steps <= Limits.steps else {
            throw ValidationError("--steps must be at most \(Limits.steps) (10⁸), got \(steps)")
        }
        guard evalEvery >= 1 else { throw ValidationError("--eval-every must be ≥ 1 (e.g. --eval-every 50), got \(evalEvery)") }
        if saveBest != nil && dataOptions.validation == 0 {
            throw ValidationError("--save-best keeps the row with the lowest validation loss and needs a validation split "
                                  + "(e.g. --validation 0.2); with --validation 0 use --save-params for the final weights")
        }
        if let best = saveBest, best == saveParams {
            throw ValidationError("--save-best and --save-params name the same file '\(best)'; give two files")
        }
        // The same check as optimize and schedule: a rate that overflows is refused, not trained with.
        try checked { () throws(OptionError) in try Check.finite(schedule, base: lr, steps: steps + 1) }
        try modelOptions.validateModel(batchSize: dataOptions.batchSize)
    }

    func run() async throws {
        modelOptions.applyThreads()
        let data = try dataOptions.load()
        let network = modelOptions.network(for: data)
        try modelOptions.checkBatches(data, batchSize: dataOptions.batchSize)
        let (initial, statistics) = try modelOptions.initialState(network)
        // Check the output file before training, so a bad path fails before any work or output.
        let saver = try saveParams.map { try OutputFile(path: $0, notSameAs: ("--data", dataOptions.data)) }
        let bestSaver = try saveBest.map { try OutputFile(path: $0, flag: "--save-best", notSameAs: ("--data", dataOptions.data)) }
        if let saver, let bestSaver, saver.destination == bestSaver.destination {
            throw LabError("--save-best '\(bestSaver.path)': is the file --save-params '\(saver.path)' writes; give two files")
        }
        let model = ModelDescription(hidden: modelOptions.layers.widths, activation: modelOptions.activation,
                                     residual: modelOptions.residual, batchNorm: modelOptions.batchNorm)
        try refuseIfTooLarge(network, data)

        let progress = ProgressBar(total: steps)
        var rows: [EvaluationRow] = []
        var best: (row: EvaluationRow, parameters: [Double], statistics: MLP.RunningStatistics?)?
        let streaming = format == .csv
        let accuracyColumn = data.task == .classification && data.validation != nil
        if streaming { try writeStdout(TrainCSV.header) }
        let run = try data.train(network, initializer: modelOptions.`init`.initializer, initialParameters: initial,
                                 initialStatistics: statistics,
                                 optimizer: optimizerOptions.make(lr: lr), schedule: schedule, steps: steps,
                                 batchSize: dataOptions.batchSize, evaluateEvery: evalEvery, seed: dataOptions.seed) { row in
            if streaming {
                try progress.interrupting { try writeStdout(TrainCSV.line(row)) }
            } else {
                rows.append(row)
            }
        } progress: { progress.update(step: $0) } onState: { row, parameters, statistics in
            // The first row with the lowest finite validation loss.
            guard bestSaver != nil, let loss = row.validationLoss, loss.isFinite, loss < (best?.row.validationLoss ?? .infinity)
            else { return }
            best = (row, parameters, statistics)
        }
        progress.finish()
        if !streaming {
            try await emitTrain(rows, format: format, accuracy: accuracyColumn, title:
                "\(optimizerOptions.optimizer.rawValue), lr \(lr) on \(data.source): \(network.shapeDescription)")
        }
        func saveBestRow() throws -> String {
            guard let bestSaver else { return "" }
            guard let best else { return "--save-best not written: no row had a finite val_loss" }
            try bestSaver.commit(parameterFileText(network, parameters: best.parameters, statistics: best.statistics,
                                                   model: model, scaling: data.scaling))
            return "--save-best: step \(best.row.step), val_loss \(best.row.validationLoss!)"
        }
        if let d = run.divergence {
            let kept = try saveBestRow()
            printError("diverged at step \(d.step)" + (saveParams != nil ? "; --save-params not written" : "")
                       + (kept.isEmpty ? "" : "; " + kept))
            return
        }
        if let saver {
            try saver.commit(parameterFileText(network, parameters: run.parameters, statistics: run.runningStatistics,
                                               model: model, scaling: data.scaling))
        }
        let kept = try saveBestRow()
        if !kept.isEmpty { printError(kept) }
    }
}

/// The `train` CSV contract.
enum TrainCSV {
    static let header = "step,lr,train_loss,val_loss,val_accuracy\n"

    static func line(_ row: EvaluationRow) -> String {
        func field(_ v: Double?) -> String { v.map { "\($0)" } ?? "" }
        return "\(row.step),\(row.learningRate),\(row.trainingLoss),\(field(row.validationLoss)),"
            + "\(field(row.validationAccuracy))\n"
    }
}

/// Prints the rows of a finished run as an aligned table or a terminal plot.
func emitTrain(_ rows: [EvaluationRow], format: Format, accuracy: Bool, title: String) async throws {
    switch format {
    case .csv:
        for row in rows { try writeStdout(TrainCSV.line(row)) }
    case .table:
        var header = ["step", "lr", "train_loss"]
        let validation = rows.first?.validationLoss != nil
        if validation { header.append("val_loss") }
        if accuracy { header.append("val_accuracy") }
        let table = Table(header: header, rows: rows.map { r in
            [Double(r.step), r.learningRate, r.trainingLoss] + (validation ? [r.validationLoss ?? .nan] : [])
                + (accuracy ? [r.validationAccuracy ?? .nan] : [])
        })
        try writeStdout(table.aligned())
    case .plot:
        guard Gnuplot.isAvailable else {
            throw LabError("--format plot needs gnuplot. \(Gnuplot.installHint). Or use --format table.")
        }
        let steps = rows.map { Double($0.step) }
        var series = [Series(title: "training loss", x: steps, y: rows.map(\.trainingLoss))]
        if rows.first?.validationLoss != nil {
            series.append(Series(title: "validation loss", x: steps, y: rows.map { $0.validationLoss ?? .nan }))
        }
        let positive = series.allSatisfy { $0.y.allSatisfy { $0 > 0 && $0.isFinite } }
        let figure = Figure(name: "train", title: title, xLabel: "step", yLabel: "loss",
                            yScale: positive ? .log : .linear, series: series)
        try writeStdout(try nonEmptyPlot(try await Gnuplot.terminalPlot(figure, width: Gnuplot.terminalWidth())))
    }
}
