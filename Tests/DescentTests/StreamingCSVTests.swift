import Foundation
import Testing
@testable import Descent

@Suite("CSV read in chunks (DataTable.CSVReader)")
struct StreamingCSVTests {
    func chunked(_ bytes: [UInt8], sizes: [Int], memoryLimit: Double = .infinity) -> Result<DataTable, DataError> {
        Result { () throws(DataError) in
            var reader = DataTable.CSVReader(source: "fuzz.csv", memoryLimit: memoryLimit)
            var offset = 0, k = 0
            while offset < bytes.count {
                let n = min(bytes.count - offset, max(1, sizes[k % sizes.count]))
                var failure: DataError?
                bytes[offset..<(offset + n)].withUnsafeBytes { chunk in
                    do throws(DataError) { try reader.consume(chunk) } catch { failure = error }
                }
                if let failure { throw failure }
                offset += n
                k += 1
            }
            return try reader.finish()
        }
    }

    @Test("any split into chunks gives the same table or the same error as the whole text (corpus + 1,500 mutants)")
    func splitInvariance() {
        var rng = SeededGenerator(seed: 0xC0FFEE)
        let corpus = corpusFiles("csv")
        for i in 0..<(corpus.count + 1500) {
            let input = i < corpus.count ? corpus[i] : mutate(corpus[rng.integer(below: corpus.count)], &rng)
            let whole = Result { () throws(DataError) in try DataTable(csv: input, source: "fuzz.csv") }
            let sizes = (0..<4).map { _ in 1 + rng.integer(below: 7) }
            let pieces = chunked(input, sizes: sizes)
            switch (whole, pieces) {
            case (.success(let a), .success(let b)): #expect(a == b, "\(input)")
            case (.failure(let a), .failure(let b)):
                // A NUL byte is reported as soon as it arrives; everything else at the same place.
                #expect(a == b, "\(input): \(a) vs \(b)")
            default: Issue.record("\(input): whole \(whole), in chunks \(pieces)")
            }
        }
    }

    @Test("more rows than the memory limit: refused with the whole file's row count, the old message")
    func memoryLimit() {
        let text = Array(("a,y\n" + String(repeating: "1,2\n3,4\n", count: 500) + "\n\n").utf8)
        guard case .failure(let e) = chunked(text, sizes: [7], memoryLimit: 1000) else { Issue.record("accepted"); return }
        #expect(e.description == "fuzz.csv: 1000 rows × 2 columns need 32.0 kB of memory as 64-bit numbers, more than the 1.0 kB available; use fewer rows")
    }
}
