extension Datasets {
    /// The 8×8 handwritten digits: 1,797 images, 64 pixel counts 0…16 each, labels 0…9 (column
    /// `digit`). The UCI "Optical Recognition of Handwritten Digits" test set (Alpaydin & Kaynak
    /// 1998, CC BY 4.0) as shipped in scikit-learn; embedded, so no file is read. Source, licence
    /// and the CSV form: `Data/digits/` in the repository.
    public static func digits() -> DataTable {
        // Every character but the line ends is one cell, base 17 (`0`…`9` = 0…9, `a`…`g` = 10…16; the
        // label is a single decimal digit), so one pass over the bytes decodes the table.
        let rows = 1797, columns = 65
        var text = digitsEncoded
        let values = text.withUTF8 { bytes in
            [Double](unsafeUninitializedCapacity: rows * columns) { cells, count in
                for byte in bytes where byte != UInt8(ascii: "\n") {
                    precondition(count < cells.count, "the embedded digits have more cells than 1,797 × 65")
                    cells[count] = Double(byte <= UInt8(ascii: "9") ? byte &- UInt8(ascii: "0") : byte &- UInt8(ascii: "a") &+ 10)
                    count += 1
                }
            }
        }
        precondition(values.count == rows * columns, "the embedded digits have \(values.count) cells, not 1,797 × 65")
        return DataTable(columns: digitsColumns, values: values, source: "digits")
    }
}

extension DataTable {
    /// The names ``builtIn(_:)`` knows.
    public static let builtInNames = ["digits", "linear", "spirals", "moons", "teacher"]

    /// A data set shipped with Descent, as a table whose last column is the target:
    ///
    /// | name | rows | columns | what |
    /// |---|---|---|---|
    /// | `digits` | 1,797 | 64 pixels + `digit` | ``Datasets/digits()`` (10 classes) |
    /// | `linear` | 100 | `x`, `y` | the article's recipe y = 3x + 2 + 0.5ε, NumPy seed 1 (``Datasets/linearRecipe(count:numpySeed:)``) |
    /// | `spirals` | 512 | `x1`, `x2`, `label` | two spirals, 1.5 turns, noise 0.05 (``Datasets/spirals(count:turns:noise:rng:)``) |
    /// | `moons` | 512 | `x1`, `x2`, `label` | two half moons, noise 0.1 (``Datasets/moons(count:noise:rng:)``) |
    /// | `teacher` | 512 | `x1`, `x2`, `y` | a 2 → 16 → 1 tanh teacher plus N(0, 0.1²) (``Datasets/teacherRegression(count:inputs:hidden:noise:rng:)``) |
    ///
    /// The synthetic sets are drawn with `SeededGenerator(seed: 1)` (the same rows as
    /// ``SupervisedTask/spirals(seed:)`` and ``SupervisedTask/teacherStudent(seed:)`` with seed 1),
    /// so a name means fixed data, like a file; `nil` for an unknown name.
    public static func builtIn(_ name: String) -> DataTable? {
        func table(_ data: Dataset, _ columns: [String]) -> DataTable {
            let d = data.inputs.columns
            var values: [Double] = []
            values.reserveCapacity(data.count * (d + 1))
            for i in 0..<data.count {
                values.append(contentsOf: data.inputs.row(i))
                values.append(data.targets[i, 0])
            }
            return DataTable(columns: columns, values: values, source: name)
        }
        var rng = SeededGenerator(seed: 1)
        switch name {
        case "digits": return Datasets.digits()
        case "linear": return table(Datasets.linearRecipe(count: 100, numpySeed: 1), ["x", "y"])
        case "spirals": return table(Datasets.spirals(count: 512, rng: &rng), ["x1", "x2", "label"])
        case "moons": return table(Datasets.moons(count: 512, rng: &rng), ["x1", "x2", "label"])
        case "teacher":
            return table(Datasets.teacherRegression(count: 512, inputs: 2, hidden: [16],
                                                    noise: SupervisedTask.teacherNoise, rng: &rng), ["x1", "x2", "y"])
        default: return nil
        }
    }
}
