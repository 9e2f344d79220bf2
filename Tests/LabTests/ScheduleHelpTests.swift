import Descent
import Foundation
import Testing

/// `lab optimize --help` is where every command's `--schedule` points for its forms; it must name every
/// form the parser accepts (`Schedule.validForms`), so a new schedule cannot be left out of the help again
/// (`one-cycle` was).
@Suite("lab: the --schedule help names every schedule form")
struct ScheduleHelpTests {
    @Test("every form of Schedule.validForms is named in lab optimize --help")
    func everyForm() throws {
        let forms = Schedule.validForms.split(separator: "\n").compactMap { line -> String? in
            let word = line.trimmingCharacters(in: .whitespaces).prefix { $0 != ":" && $0 != " " && $0 != "[" }
            return word.isEmpty ? nil : String(word)
        }
        #expect(forms.count >= 10, "\(forms)")
        let help = try lab(["optimize", "--help"])
        #expect(help.status == 0)
        // ArgumentParser wraps the help at the terminal's width; compare without line breaks and indents.
        let text = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        for form in forms {
            #expect(text.contains(" \(form),") || text.contains(" \(form):") || text.contains(" \(form)[")
                        || text.contains(" \(form).") || text.contains("\(form)["),
                    "lab optimize --help does not name the schedule form '\(form)'")
        }
    }
}
