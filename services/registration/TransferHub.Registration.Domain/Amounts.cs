namespace TransferHub.Registration.Domain;

/// <summary>An exact amount in an ISO 4217 currency.</summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    public override string ToString() => $"{Amount:0.00} {Currency}";
}

/// <summary>A rate recorded for a date: 1 <see cref="From"/> = <see cref="Rate"/> <see cref="To"/>.</summary>
public sealed record ExchangeRate(string From, string To, decimal Rate, DateOnly Date)
{
    /// <summary>Converts at this rate, rounded to cents half away from zero.</summary>
    public Money Convert(Money money)
    {
        if (money.Currency == To)
        {
            return money;
        }
        if (money.Currency != From)
        {
            throw new ArgumentException($"This rate converts {From} to {To}, not {money.Currency}.", nameof(money));
        }
        return new Money(decimal.Round(money.Amount * Rate, 2, MidpointRounding.AwayFromZero), To);
    }
}

/// <summary>Kinds of non-technical cost declared in a contract (DOMAIN.md: equipment, raw materials, construction, …).</summary>
public enum CostKind
{
    /// <summary>Equipment that carries the technology: one or two sets may stay in the technology amount.</summary>
    CarrierEquipment,
    Equipment,
    RawMaterials,
    Construction,
    Other,
}

/// <summary>One declared non-technical cost. <see cref="Sets"/> counts carrier-equipment sets.</summary>
public sealed record CostLine(CostKind Kind, string Description, decimal Amount, int Sets = 1);

/// <summary>The station's amount decision: what was deducted, what stays in, and the resulting amounts.</summary>
public sealed record AmountDecision(Money ContractAmount, Money NonTechnicalCosts, Money TechnologyTransactionAmount, IReadOnlyList<string> Notes);

/// <summary>
/// 技术交易额 = contract amount − non-technical costs. Carrier equipment (the sets that carry the technology) stays in
/// up to <see cref="CarrierSetsAllowed"/> sets (default 2); sets beyond are deducted pro rata.
/// </summary>
public sealed class AmountRule(int carrierSetsAllowed = 2)
{
    public int CarrierSetsAllowed { get; } = carrierSetsAllowed;

    /// <summary>The decision, or the field errors that stop it (amounts must be positive, costs within the contract amount).</summary>
    public (AmountDecision? Decision, IReadOnlyList<(string Field, string Message)> Errors) Decide(Money contractAmount,
        IReadOnlyList<CostLine> costs)
    {
        var errors = new List<(string, string)>();
        if (contractAmount.Amount <= 0)
        {
            errors.Add(("contractAmount", "The contract amount must be above zero."));
        }
        for (var i = 0; i < costs.Count; i++)
        {
            if (costs[i].Amount <= 0)
            {
                errors.Add(($"costs[{i}].amount", "A cost line's amount must be above zero."));
            }
            if (costs[i].Sets < 1)
            {
                errors.Add(($"costs[{i}].sets", "At least one set."));
            }
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var notes = new List<string>();
        var carrierSetsLeft = CarrierSetsAllowed;
        var deducted = 0m;
        foreach (var cost in costs)
        {
            if (cost.Kind != CostKind.CarrierEquipment)
            {
                deducted += cost.Amount;
                continue;
            }
            var kept = Math.Min(cost.Sets, carrierSetsLeft);
            carrierSetsLeft -= kept;
            var deductedPart = decimal.Round(cost.Amount * (cost.Sets - kept) / cost.Sets, 2, MidpointRounding.AwayFromZero);
            deducted += deductedPart;
            notes.Add(kept == cost.Sets
                ? $"{cost.Description}: {kept} carrier set(s) kept in the technology amount"
                : $"{cost.Description}: {kept} of {cost.Sets} carrier sets kept, {deductedPart:0.00} deducted");
        }
        if (deducted > contractAmount.Amount)
        {
            return (null, [("costs", $"Non-technical costs ({deducted:0.00}) exceed the contract amount ({contractAmount.Amount:0.00}).")]);
        }
        return (new AmountDecision(contractAmount, contractAmount with { Amount = deducted },
            contractAmount with { Amount = contractAmount.Amount - deducted }, notes), []);
    }
}
