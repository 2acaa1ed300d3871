namespace TransferHub.Registration.Domain;

/// <summary>Working days: Monday to Friday, minus public holidays, plus the weekend days declared working (调休).</summary>
public sealed class WorkingCalendar(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workingWeekendDays)
{
    private readonly HashSet<DateOnly> holidays = [.. holidays];
    private readonly HashSet<DateOnly> workingWeekendDays = [.. workingWeekendDays];

    public static readonly WorkingCalendar WeekdaysOnly = new([], []);

    public bool IsWorkingDay(DateOnly day) =>
        workingWeekendDays.Contains(day) || (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(day));

    /// <summary>The <paramref name="days"/>-th working day after <paramref name="start"/> (start itself not counted).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        var day = start;
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }
        return day;
    }

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }
        return count;
    }
}

/// <summary>
/// The deadline rules in force (configuration): <see cref="Days"/> for a decision (default 30 calendar days; newer drafts
/// say 15 working days), expert review above <see cref="ExpertReviewThreshold"/> (default CNY 5 million) or on dispute,
/// with <see cref="ExpertReviewDays"/> of its own.
/// </summary>
public sealed record DeadlinePolicy(int Days, bool WorkingDays, int ExpertReviewDays, Money ExpertReviewThreshold)
{
    public static readonly DeadlinePolicy Default = new(30, false, 30, new Money(5_000_000m, "CNY"));

    /// <summary>Above the threshold (in its currency, after conversion) or disputed.</summary>
    public bool NeedsExpertReview(Money technologyTransactionAmount, bool disputed)
    {
        if (technologyTransactionAmount.Currency != ExpertReviewThreshold.Currency)
        {
            throw new ArgumentException($"Convert the amount to {ExpertReviewThreshold.Currency} at the recorded rate first.",
                nameof(technologyTransactionAmount));
        }
        return disputed || technologyTransactionAmount.Amount > ExpertReviewThreshold.Amount;
    }
}

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ClockEventKind>))]
public enum ClockEventKind
{
    /// <summary>A complete submission: the clock starts.</summary>
    Completed,

    /// <summary>The station asked for supplements: the clock stops.</summary>
    SupplementRequested,

    /// <summary>A complete re-submission: the clock restarts with the full period.</summary>
    Resubmitted,

    /// <summary>Expert review begins: the decision clock pauses and the review's own clock runs.</summary>
    ExpertReviewStarted,

    /// <summary>Expert review ends: the decision clock resumes with the days it had left.</summary>
    ExpertReviewEnded,
}

public sealed record ClockEvent(ClockEventKind Kind, DateOnly Date);

/// <summary>Where a case's clocks stand. <see cref="Due"/> is null while the clock is stopped or paused.</summary>
public sealed record ClockState(string Phase, DateOnly? Due, DateOnly? ExpertReviewDue, int? DaysLeftWhenPaused)
{
    public bool IsOverdue(DateOnly today) => (Due is { } due && today > due) || (ExpertReviewDue is { } expert && today > expert);
}

/// <summary>Replays a case's clock events under a policy and a calendar.</summary>
public static class DeadlineClock
{
    public static ClockState Evaluate(DeadlinePolicy policy, WorkingCalendar calendar, IEnumerable<ClockEvent> events)
    {
        var state = new ClockState("not-started", null, null, null);
        foreach (var e in events.OrderBy(e => e.Date))
        {
            state = e.Kind switch
            {
                ClockEventKind.Completed or ClockEventKind.Resubmitted => new ClockState("running", Add(policy, calendar, e.Date, policy.Days), null, null),
                ClockEventKind.SupplementRequested => new ClockState("awaiting-supplement", null, null, null),
                ClockEventKind.ExpertReviewStarted when state.Due is { } due => new ClockState("expert-review", null,
                    Add(policy, calendar, e.Date, policy.ExpertReviewDays), Remaining(policy, calendar, e.Date, due)),
                ClockEventKind.ExpertReviewEnded when state.DaysLeftWhenPaused is { } left => new ClockState("running",
                    Add(policy, calendar, e.Date, left), null, null),
                _ => throw new InvalidOperationException($"{e.Kind} on {e.Date:yyyy-MM-dd} does not apply in phase {state.Phase}."),
            };
        }
        return state;
    }

    private static DateOnly Add(DeadlinePolicy policy, WorkingCalendar calendar, DateOnly start, int days) =>
        policy.WorkingDays ? calendar.AddWorkingDays(start, days) : start.AddDays(days);

    private static int Remaining(DeadlinePolicy policy, WorkingCalendar calendar, DateOnly from, DateOnly due) =>
        Math.Max(0, policy.WorkingDays ? calendar.WorkingDaysBetween(from, due) : due.DayNumber - from.DayNumber);
}
