namespace TransferHub.Registration.Domain;

/// <summary>A coded reason for refusing a registration (reference data; the station's text in force may add codes).</summary>
public sealed record RefusalReason(string Code, string NameZh, string NameEn);

public static class RefusalReasons
{
    public static readonly IReadOnlyList<RefusalReason> Default =
    [
        new("not-technical-contract", "不属于技术合同", "Not a technical contract"),
        new("essential-terms-missing", "合同主要条款不完备", "Essential terms missing"),
        new("false-or-inconsistent", "材料虚假或前后不一致", "False or inconsistent material"),
        new("illegal-monopoly-or-infringement", "非法垄断技术或侵害他人技术成果", "Illegal monopoly of technology or infringement"),
        new("unclear-ownership", "技术权属不清", "Unclear ownership of the technology"),
        new("missing-chinese-text", "外文合同缺少中文文本", "Foreign-language contract without a Chinese text"),
        new("wrong-jurisdiction", "不属于本登记机构受理范围", "Outside this station's jurisdiction"),
        new("oral-contract", "口头合同不予登记", "Oral contracts are not registered"),
    ];

    public static RefusalReason? Find(string? code) => Default.FirstOrDefault(r => r.Code == code);
}

/// <summary>Tax benefits a registered contract makes the parties eligible for (shown, not computed: the tax office decides).</summary>
public sealed record TaxEligibility(bool VatExemption, bool IncomeTaxRelief, Money? IncomeTaxReliefCap, IReadOnlyList<string> Notes);

public static class TaxRules
{
    /// <summary>The default cap of corporate income tax relief on technology-transfer income per year (CNY 5 million).</summary>
    public static readonly Money DefaultIncomeTaxReliefCap = new(5_000_000m, "CNY");

    /// <summary>
    /// VAT exemption for income from technology transfer, licensing and development (and the consulting and service tied
    /// to them); corporate income tax relief for transfer and licensing income, up to the cap.
    /// </summary>
    public static TaxEligibility For(string category)
    {
        var vat = category is "transfer" or "licensing" or "development";
        var income = category is "transfer" or "licensing";
        var notes = new List<string>();
        if (vat)
        {
            notes.Add("VAT: income from technology transfer, licensing and development is exempt (增值税免征).");
        }
        if (income)
        {
            notes.Add($"Corporate income tax: technology-transfer income up to {DefaultIncomeTaxReliefCap} a year is exempt, half above it.");
        }
        if (!vat)
        {
            notes.Add("Consulting and service contracts alone carry no VAT exemption.");
        }
        return new TaxEligibility(vat, income, income ? DefaultIncomeTaxReliefCap : null, notes);
    }
}
