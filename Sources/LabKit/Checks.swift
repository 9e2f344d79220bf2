import Descent

/// The limits of a command's inputs that both front ends enforce.
public enum Limits {
    /// Largest --steps of `optimize` and `schedule`: rows are streamed, so memory stays constant,
    /// but 10⁸ rows are already ≈ 5 GB of CSV and minutes of work.
    public static let steps = 100_000_000
    /// Largest --steps of `find-lr`: the suggestions need the whole curve, held in memory
    /// (≈ 32 bytes per step).
    public static let sweepSteps = 1_000_000
    /// Largest number of rows `--format plot` collects to draw.
    public static let plotRows = 1_000_000
}

/// How many rows the caller of a command can take, beyond the command's own limits.
public enum RowLimit: Sendable, Equatable {
    /// No more than the command's own limits (`lab`'s CSV and table, streamed).
    case none
    /// `lab --format plot`: the rows are collected to draw, at most this many.
    case plot(Int)
    /// A server's cap on one request's --steps.
    case perRequest(Int)
}

/// The checks every command shares, with `lab`'s messages.
public enum Check {
    /// `value` is a finite number > 0.
    public static func rate(_ option: String, _ value: Double) throws(OptionError) {
        guard value.isFinite && value > 0 else {
            throw OptionError("--\(option) must be a finite number > 0 (e.g. --\(option) 0.1), got \(value)", parameter: option)
        }
    }

    /// 1 ≤ --steps ≤ 10⁸, and within `limit` (`rows` is how many rows the steps make, default steps + 1).
    public static func steps(_ value: Int, limit: RowLimit = .none, rows: Int? = nil) throws(OptionError) {
        guard value >= 1 else { throw OptionError("--steps must be ≥ 1 (e.g. --steps 100), got \(value)", parameter: "steps") }
        guard value <= Limits.steps else {
            throw OptionError("--steps must be at most \(Limits.steps) (10⁸), got \(value)", parameter: "steps")
        }
        switch limit {
        case .none: break
        case .plot(let most):
            if (rows ?? value + 1) > most {
                throw OptionError("--format plot draws at most \(most) rows; use fewer --steps or --format csv", parameter: "steps")
            }
        case .perRequest(let most):
            if value > most {
                throw OptionError("--steps must be ≤ \(most) per request on this server, got \(value)", parameter: "steps")
            }
        }
    }

    /// `value` is finite and ≥ 0.
    public static func nonNegative(_ option: String, _ value: Double, example: String) throws(OptionError) {
        guard value.isFinite && value >= 0 else {
            throw OptionError("--\(option) must be a finite number ≥ 0 (e.g. --\(option) \(example)), got \(value)", parameter: option)
        }
    }

    /// Refuses a schedule whose rate overflows to ±inf or NaN within the first `steps` steps.
    public static func finite(_ schedule: Schedule, base: Double, steps: Int) throws(OptionError) {
        if let t = schedule.firstNonFiniteRate(base: base, steps: steps) {
            throw OptionError("--schedule '\(schedule)' with --lr \(base) overflows: its rate at step \(t) is "
                              + "\(schedule.rate(at: t, base: base)); use a smaller rate, gamma or fewer steps",
                              parameter: "schedule")
        }
    }

    /// A schedule spec (`cosine:T=100`), or lab's message listing the valid forms.
    public static func schedule(_ text: String) throws(OptionError) -> Schedule {
        do { return try Schedule(parsing: text) } catch let e as ScheduleSpecError {
            throw OptionError("bad --schedule '\(text)': \(e.reason). Valid forms:\n\(Schedule.validForms)", parameter: "schedule")
        } catch {
            throw OptionError("bad --schedule '\(text)': \(error)", parameter: "schedule")
        }
    }
}
