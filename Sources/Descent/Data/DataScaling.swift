import RealModule

/// What a prediction needs besides the weights: the feature columns and their z-scores, the target's
/// scaling (regression) or its class labels (classification) — exactly what ``PreparedData`` applied
/// to the training data, so a network trained by `lab train` can be used on new rows.
///
/// - **Inputs.** Feature k of a row becomes x′ = (x − μₖ)/σₖ, μₖ and σₖ the training split's mean
///   and population standard deviation; a column that was constant on the training split (σₖ = 0)
///   becomes 0. For ordinary columns this is bit for bit what ``PreparedData`` computed; for columns
///   of magnitude near 1e154 and beyond, or subnormal ones, ``PreparedData`` standardised x/2ᵉ
///   instead, and x′ here may differ from its value in the last bits (or overflow).
/// - **Regression.** The network's output z is in standardised units: ŷ = μ_y + σ_y·z.
/// - **Classification.** Output j is the logit of ``classes``[j] (the sorted distinct target
///   values); p = softmax(z), the label is the class of largest p (the first on a tie).
///
/// Codable with the keys of the parameter file (snake_case, PyTorch users' habit):
/// `task`, `features`, `feature_mean`, `feature_std`, `target`, and `target_mean`, `target_std`
/// (regression) or `classes` (classification).
public struct DataScaling: Codable, Sendable, Equatable {
    public var task: TaskKind
    /// The input columns, in the network's input order.
    public var features: [String]
    /// μ per feature.
    public var featureMeans: [Double]
    /// Population σ per feature (0: the column was constant, its input is 0).
    public var featureStandardDeviations: [Double]
    /// The target column's name.
    public var target: String
    /// μ_y (regression only).
    public var targetMean: Double?
    /// σ_y (regression only).
    public var targetStandardDeviation: Double?
    /// The label of each output, sorted (classification only).
    public var classes: [Double]?

    enum CodingKeys: String, CodingKey {
        case task, features, target, classes
        case featureMeans = "feature_mean", featureStandardDeviations = "feature_std"
        case targetMean = "target_mean", targetStandardDeviation = "target_std"
    }

    public init(task: TaskKind, features: [String], featureMeans: [Double], featureStandardDeviations: [Double],
                target: String, targetMean: Double? = nil, targetStandardDeviation: Double? = nil, classes: [Double]? = nil) {
        self.task = task
        self.features = features
        self.featureMeans = featureMeans
        self.featureStandardDeviations = featureStandardDeviations
        self.target = target
        self.targetMean = targetMean
        self.targetStandardDeviation = targetStandardDeviation
        self.classes = classes
    }

    /// Number of network outputs: 1 (regression) or the number of classes.
    public var outputCount: Int { task == .regression ? 1 : (classes?.count ?? 0) }

    /// Why this scaling cannot be used (lengths that disagree, non-finite or negative σ, a missing
    /// target scaling or class list), or `nil`.
    public var problem: String? {
        let d = features.count
        if d == 0 { return "\"features\" is empty" }
        if featureMeans.count != d || featureStandardDeviations.count != d {
            return "\(d) features but \(featureMeans.count) feature_mean and \(featureStandardDeviations.count) feature_std values"
        }
        if let k = featureMeans.firstIndex(where: { !$0.isFinite }) { return "feature_mean[\(k)] is not finite" }
        if let k = featureStandardDeviations.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            return "feature_std[\(k)] is not a finite number ≥ 0"
        }
        if let k = features.indices.first(where: { features[..<$0].contains(features[$0]) }) {
            return "feature '\(features[k])' is named twice"
        }
        if features.contains(target) { return "the target '\(target)' is also a feature" }
        switch task {
        case .regression:
            guard let m = targetMean, let s = targetStandardDeviation else {
                return "a regression needs \"target_mean\" and \"target_std\""
            }
            if !m.isFinite || !(s.isFinite && s > 0) { return "target_mean must be finite and target_std finite and > 0" }
        case .classification:
            guard let classes, classes.count >= 2 else { return "a classification needs \"classes\" (at least two labels)" }
            if classes.contains(where: { !$0.isFinite }) { return "a class label is not finite" }
            if zip(classes, classes.dropFirst()).contains(where: { $0 >= $1 }) {
                return "\"classes\" must be sorted and distinct"
            }
        }
        return nil
    }

    /// x′ = (x − μₖ)/σₖ, or 0 where σₖ = 0.
    @inline(__always)
    public func standardized(_ x: Double, feature k: Int) -> Double {
        let s = featureStandardDeviations[k]
        return s > 0 ? (x - featureMeans[k]) / s : 0
    }

    /// ŷ = μ_y + σ_y·z (regression).
    public func targetValue(_ z: Double) -> Double {
        (targetMean ?? 0) + (targetStandardDeviation ?? 1) * z
    }

    /// softmax(z), computed as exp(zⱼ − max z)/Σ exp(zᵢ − max z).
    public static func softmax(_ z: some Collection<Double>) -> [Double] {
        let top = z.max() ?? 0
        let e = z.map { Double.exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }
}

extension PreparedData {
    /// The scaling this data applied (see ``DataScaling``), for a parameter file.
    public var scaling: DataScaling {
        DataScaling(task: task, features: featureNames, featureMeans: featureMeans,
                    featureStandardDeviations: featureStandardDeviations, target: targetName,
                    targetMean: task == .regression ? targetMean : nil,
                    targetStandardDeviation: task == .regression ? targetStandardDeviation : nil,
                    classes: task == .classification ? classes : nil)
    }
}

extension TaskKind: Codable {}
