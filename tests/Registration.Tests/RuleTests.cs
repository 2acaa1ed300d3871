using TransferHub.Registration.Domain;

namespace TransferHub.Registration.Tests;

public sealed class CategoryRules
{
    [Theory]
    [InlineData("development", "commissioned", ProvidingRole.Developer)]
    [InlineData("transfer", "patent-application-right", ProvidingRole.Transferor)]
    [InlineData("licensing", "secret-sole", ProvidingRole.Transferor)]
    [InlineData("consulting", "consulting", ProvidingRole.CommissionedParty)]
    [InlineData("service", "technical-training", ProvidingRole.Trainer)]
    [InlineData("service", "technical-intermediary", ProvidingRole.Intermediary)]
    public void The_providing_party_follows_the_category(string category, string subCategory, ProvidingRole provider)
    {
        var (sub, error) = CategoryCatalog.Default.Resolve(category, subCategory);
        Assert.Null(error);
        Assert.Equal(provider, sub!.Provider);
    }

    [Theory]
    [InlineData("barter", "x", "Unknown category 'barter'")]
    [InlineData("licensing", "patent-forever", "Unknown sub-category 'patent-forever' of licensing")]
    [InlineData(null, null, "Unknown category ''")]
    public void An_unknown_category_or_sub_category_is_named(string? category, string? subCategory, string message)
    {
        var (sub, error) = CategoryCatalog.Default.Resolve(category, subCategory);
        Assert.Null(sub);
        Assert.StartsWith(message, error);
    }
}

public sealed class JurisdictionRules
{
    private static readonly Station kunming = new("530100-01", "昆明市技术合同登记站", "Kunming", ["530100"]);
    private static readonly Station yuxi = new("530400-01", "玉溪市技术合同登记站", "Yuxi", ["530400"]);
    private static readonly Station province = new("530000-01", "云南省技术市场登记站", "Yunnan provincial", ["530000"]);
    private static readonly Station[] stations = [kunming, yuxi, province];
    private static readonly SubCategory patentTransfer = CategoryCatalog.Default.Resolve("transfer", "patent-right").SubCategory!;
    private static readonly SubCategory consulting = CategoryCatalog.Default.Resolve("consulting", "consulting").SubCategory!;

    [Fact]
    public void The_transferor_registers_at_the_station_of_its_locality()
    {
        Party[] parties =
        [
            new("Yuxi Rubber Co.", "CN", "530402", null),
            new("Kunming Institute of Botany", "CN", "530102", ProvidingRole.Transferor),
        ];
        var result = JurisdictionRule.Decide(patentTransfer, parties, stations);
        Assert.Equal("Kunming Institute of Botany", result.Registrant!.Name);
        Assert.Equal(kunming, result.Competent);
        Assert.False(result.IsCompetent(yuxi));
    }

    [Fact]
    public void The_commissioned_party_of_a_consulting_contract_registers()
    {
        Party[] parties = [new("Kunming buyer", "CN", "530102", null), new("Yuxi consultancy", "CN", "530421", ProvidingRole.CommissionedParty)];
        Assert.Equal(yuxi, JurisdictionRule.Decide(consulting, parties, stations).Competent);
    }

    [Fact]
    public void For_a_technology_import_the_domestic_party_registers()
    {
        Party[] parties = [new("Thai licensor", "TH", null, ProvidingRole.Transferor), new("Yuxi importer", "CN", "530402", null)];
        var result = JurisdictionRule.Decide(patentTransfer, parties, stations);
        Assert.Equal("Yuxi importer", result.Registrant!.Name);
        Assert.Equal(yuxi, result.Competent);
    }

    [Fact]
    public void The_most_specific_station_wins_and_the_province_catches_the_rest()
    {
        Assert.Equal(province, JurisdictionRule.Decide(consulting,
            [new("Dali consultancy", "CN", "532901", ProvidingRole.CommissionedParty)], stations).Competent);
        Assert.True(JurisdictionRule.Covers("530000", "532901"));
        Assert.True(JurisdictionRule.Covers("530100", "530102"));
        Assert.False(JurisdictionRule.Covers("530100", "530402"));
    }

    [Fact]
    public void No_provider_no_domestic_party_or_no_region_code_is_a_problem_not_a_station()
    {
        Assert.NotNull(JurisdictionRule.Decide(patentTransfer, [new("Buyer", "CN", "530102", null)], stations).Problem);
        Assert.NotNull(JurisdictionRule.Decide(patentTransfer, [new("Seller", "TH", null, ProvidingRole.Transferor), new("Buyer", "LA", null, null)], stations).Problem);
        Assert.NotNull(JurisdictionRule.Decide(patentTransfer, [new("Seller", "CN", "53", ProvidingRole.Transferor)], stations).Problem);
        Assert.NotNull(JurisdictionRule.Decide(patentTransfer, [new("Seller", "CN", "110101", ProvidingRole.Transferor)], stations).Problem);
    }
}

public sealed class AmountRules
{
    private static readonly Money million = new(1_000_000m, "CNY");

    [Fact]
    public void The_technology_transaction_amount_is_the_contract_amount_minus_non_technical_costs()
    {
        var (decision, errors) = new AmountRule().Decide(million,
            [new(CostKind.RawMaterials, "Catalyst", 150_000m), new(CostKind.Construction, "Workshop", 50_000m)]);
        Assert.Empty(errors);
        Assert.Equal(new Money(200_000m, "CNY"), decision!.NonTechnicalCosts);
        Assert.Equal(new Money(800_000m, "CNY"), decision.TechnologyTransactionAmount);
    }

    [Fact]
    public void Up_to_two_sets_of_carrier_equipment_stay_in_and_further_sets_are_deducted_pro_rata()
    {
        var (kept, _) = new AmountRule().Decide(million, [new(CostKind.CarrierEquipment, "Fermenter", 300_000m, Sets: 2)]);
        Assert.Equal(million, kept!.TechnologyTransactionAmount);
        var (partly, _) = new AmountRule().Decide(million, [new(CostKind.CarrierEquipment, "Fermenter", 300_000m, Sets: 3)]);
        Assert.Equal(new Money(900_000m, "CNY"), partly!.TechnologyTransactionAmount);
        var (configured, _) = new AmountRule(carrierSetsAllowed: 1).Decide(million, [new(CostKind.CarrierEquipment, "Fermenter", 300_000m, Sets: 2)]);
        Assert.Equal(new Money(850_000m, "CNY"), configured!.TechnologyTransactionAmount);
    }

    [Fact]
    public void Non_positive_amounts_and_costs_above_the_contract_amount_are_refused()
    {
        Assert.Contains(new AmountRule().Decide(new Money(0m, "CNY"), []).Errors, e => e.Field == "contractAmount");
        Assert.Contains(new AmountRule().Decide(million, [new(CostKind.Other, "x", -1m)]).Errors, e => e.Field == "costs[0].amount");
        var (decision, errors) = new AmountRule().Decide(million, [new(CostKind.Equipment, "Line", 1_000_000.01m)]);
        Assert.Null(decision);
        Assert.Contains(errors, e => e.Field == "costs");
    }

    [Fact]
    public void Foreign_amounts_convert_at_the_recorded_rate_rounded_to_cents()
    {
        var rate = new ExchangeRate("USD", "CNY", 7.1234m, new DateOnly(2026, 11, 2));
        Assert.Equal(new Money(712.34m, "CNY"), rate.Convert(new Money(100m, "USD")));
        Assert.Equal(new Money(0.04m, "CNY"), rate.Convert(new Money(0.005m, "USD")));
        Assert.Throws<ArgumentException>(() => rate.Convert(new Money(1m, "THB")));
    }
}

public sealed class DeadlineRules
{
    // National Day 2026: 1-7 October off, Sunday 27 September and Saturday 10 October worked (调休)
    private static readonly WorkingCalendar china2026 = new(
        Enumerable.Range(1, 7).Select(d => new DateOnly(2026, 10, d)),
        [new DateOnly(2026, 9, 27), new DateOnly(2026, 10, 10)]);

    private static readonly DeadlinePolicy workingDays = DeadlinePolicy.Default with { Days = 15, WorkingDays = true };

    [Fact]
    public void By_default_the_station_decides_within_30_calendar_days_of_a_complete_submission()
    {
        var state = DeadlineClock.Evaluate(DeadlinePolicy.Default, china2026, [new(ClockEventKind.Completed, new DateOnly(2026, 3, 2))]);
        Assert.Equal(new DateOnly(2026, 4, 1), state.Due);
        Assert.False(state.IsOverdue(new DateOnly(2026, 4, 1)));
        Assert.True(state.IsOverdue(new DateOnly(2026, 4, 2)));
    }

    [Fact]
    public void Working_days_skip_weekends_and_holidays_and_count_make_up_days()
    {
        var state = DeadlineClock.Evaluate(workingDays, china2026, [new(ClockEventKind.Completed, new DateOnly(2026, 9, 28))]);
        Assert.Equal(new DateOnly(2026, 10, 23), state.Due);
        Assert.True(china2026.IsWorkingDay(new DateOnly(2026, 10, 10)));
        Assert.False(china2026.IsWorkingDay(new DateOnly(2026, 10, 5)));
    }

    [Fact]
    public void A_supplement_request_stops_the_clock_and_a_complete_resubmission_restarts_it()
    {
        var stopped = DeadlineClock.Evaluate(DeadlinePolicy.Default, china2026,
            [new(ClockEventKind.Completed, new DateOnly(2026, 3, 2)), new(ClockEventKind.SupplementRequested, new DateOnly(2026, 3, 10))]);
        Assert.Null(stopped.Due);
        Assert.False(stopped.IsOverdue(new DateOnly(2027, 1, 1)));
        var restarted = DeadlineClock.Evaluate(DeadlinePolicy.Default, china2026,
        [
            new(ClockEventKind.Completed, new DateOnly(2026, 3, 2)), new(ClockEventKind.SupplementRequested, new DateOnly(2026, 3, 10)),
            new(ClockEventKind.Resubmitted, new DateOnly(2026, 3, 20)),
        ]);
        Assert.Equal(new DateOnly(2026, 4, 19), restarted.Due);
    }

    [Fact]
    public void Expert_review_has_its_own_clock_and_the_decision_clock_resumes_with_the_days_left()
    {
        var review = DeadlineClock.Evaluate(DeadlinePolicy.Default, china2026,
            [new(ClockEventKind.Completed, new DateOnly(2026, 3, 2)), new(ClockEventKind.ExpertReviewStarted, new DateOnly(2026, 3, 12))]);
        Assert.Equal("expert-review", review.Phase);
        Assert.Equal(new DateOnly(2026, 4, 11), review.ExpertReviewDue);
        Assert.Equal(20, review.DaysLeftWhenPaused);
        var resumed = DeadlineClock.Evaluate(DeadlinePolicy.Default, china2026,
        [
            new(ClockEventKind.Completed, new DateOnly(2026, 3, 2)), new(ClockEventKind.ExpertReviewStarted, new DateOnly(2026, 3, 12)),
            new(ClockEventKind.ExpertReviewEnded, new DateOnly(2026, 3, 25)),
        ]);
        Assert.Equal(new DateOnly(2026, 4, 14), resumed.Due);
        Assert.Throws<InvalidOperationException>(() => DeadlineClock.Evaluate(DeadlinePolicy.Default, china2026,
            [new(ClockEventKind.ExpertReviewEnded, new DateOnly(2026, 3, 25))]));
    }

    [Fact]
    public void Contracts_above_the_threshold_or_disputed_go_to_expert_review()
    {
        var policy = DeadlinePolicy.Default;
        Assert.False(policy.NeedsExpertReview(new Money(5_000_000m, "CNY"), disputed: false));
        Assert.True(policy.NeedsExpertReview(new Money(5_000_000.01m, "CNY"), disputed: false));
        Assert.True(policy.NeedsExpertReview(new Money(10m, "CNY"), disputed: true));
        Assert.Throws<ArgumentException>(() => policy.NeedsExpertReview(new Money(1m, "USD"), false));
    }
}

public sealed class NumberingAndOutcomeRules
{
    [Fact]
    public void The_default_registration_number_is_year_province_prefecture_station_and_a_six_digit_serial()
    {
        var template = new RegistrationNumberTemplate();
        Assert.Equal("26530101000123", template.Format(2026, "530101", 123));
        Assert.Equal(999_999, template.MaxSerial);
        Assert.Equal("2026-YN-530101-00042", new RegistrationNumberTemplate("{YYYY}-YN-{PROVINCE}{PREFECTURE}{STATION}-{SERIAL:5}").Format(2026, "530101", 42));
    }

    [Fact]
    public void A_template_needs_one_serial_and_known_tokens_and_a_serial_in_range()
    {
        Assert.Throws<ArgumentException>(() => new RegistrationNumberTemplate("{YY}{STATION}"));
        Assert.Throws<ArgumentException>(() => new RegistrationNumberTemplate("{YY}{CITY}{SERIAL:6}"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegistrationNumberTemplate().Format(2026, "530101", 1_000_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegistrationNumberTemplate().Format(2026, "530101", 0));
        Assert.Throws<ArgumentException>(() => new RegistrationNumberTemplate().Format(2026, "5301", 1));
    }

    [Fact]
    public void Refusals_carry_a_coded_reason_from_reference_data()
    {
        Assert.Equal("Outside this station's jurisdiction", RefusalReasons.Find("wrong-jurisdiction")!.NameEn);
        Assert.Null(RefusalReasons.Find("because"));
        Assert.Equal(RefusalReasons.Default.Count, RefusalReasons.Default.Select(r => r.Code).Distinct().Count());
    }

    [Theory]
    [InlineData("transfer", true, true)]
    [InlineData("licensing", true, true)]
    [InlineData("development", true, false)]
    [InlineData("consulting", false, false)]
    [InlineData("service", false, false)]
    public void Registered_contracts_show_their_tax_eligibility(string category, bool vat, bool incomeTax)
    {
        var eligibility = TaxRules.For(category);
        Assert.Equal(vat, eligibility.VatExemption);
        Assert.Equal(incomeTax, eligibility.IncomeTaxRelief);
        Assert.Equal(incomeTax ? new Money(5_000_000m, "CNY") : null, eligibility.IncomeTaxReliefCap);
    }
}
