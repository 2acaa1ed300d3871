using System.Text.RegularExpressions;
using TransferHub.Listing.Contracts;
using TransferHub.Registration.Domain;
using TransferHub.ServiceDefaults;
using DomainParty = TransferHub.Registration.Domain.Party;

namespace TransferHub.Registration.Api.Submissions;

public static partial class SubmissionValidation
{
    public static readonly IReadOnlyDictionary<string, CostKind> CostKinds = new Dictionary<string, CostKind>(StringComparer.Ordinal)
    {
        ["carrier-equipment"] = CostKind.CarrierEquipment,
        ["equipment"] = CostKind.Equipment,
        ["raw-materials"] = CostKind.RawMaterials,
        ["construction"] = CostKind.Construction,
        ["other"] = CostKind.Other,
    };

    public static readonly IReadOnlyList<string> OurRoles = ["provider", "recipient"];
    public static readonly IReadOnlyList<string> DocumentKinds = ["contract", "chinese-text", "annex"];

    /// <summary>Checks every field and returns the normalised content, or the field errors.</summary>
    /// <param name="documents">The uploaded contract texts, checked when given (at submission; a draft gets its files after it exists).</param>
    public static (SubmissionContent? Content, Validation Errors) Validate(SubmissionInput input, CategoryCatalog catalog, AmountRule amounts, DateOnly today,
        IReadOnlyList<Document>? documents = null)
    {
        var v = new Validation().Require("title", input.Title, 300);
        var (sub, categoryError) = catalog.Resolve(input.Category, input.SubCategory);
        if (categoryError is not null)
        {
            v.Add(catalog.Find(input.Category) is null ? "category" : "subCategory", categoryError);
        }
        v.Check(input.OurRole is not null && OurRoles.Contains(input.OurRole), "ourRole",
            "Either 'provider' (your organisation provides the technology) or 'recipient' (a technology import: the provider is abroad).");

        var parties = input.Parties ?? [];
        v.Check(parties.Count is >= 1 and <= 20, "parties", "Name the other parties of the contract (1 to 20).");
        for (var i = 0; i < parties.Count; i++)
        {
            var p = parties[i];
            var at = $"parties[{i}]";
            v.Require($"{at}.name", p?.Name, 200);
            if (p is null)
            {
                continue;
            }
            v.Check(p.Country is not null && ListingReferenceData.Countries.Contains(p.Country), $"{at}.country", "An ISO 3166-1 alpha-2 country code.")
             .Check(p.RegionCode is null || SixDigits().IsMatch(p.RegionCode), $"{at}.regionCode", "A 6-digit administrative division code, e.g. 530100.")
             .Check(p.LegalPersonNature is null || ThreeDigits().IsMatch(p.LegalPersonNature), $"{at}.legalPersonNature",
                "A 3-digit legal-person nature code, e.g. 021 research institute, 022 university.")
             .Check(p.OrganisationCode is null || OrganisationCode().IsMatch(p.OrganisationCode), $"{at}.organisationCode",
                "Letters and digits, at most 40 (the unified social credit code is 18).");
        }
        if (input.OurRole == "recipient")
        {
            var providers = parties.Where(p => p?.Provider == true).ToList();
            if (providers.Count != 1)
            {
                v.Add("parties", "As the recipient, mark exactly one other party as the provider.");
            }
            else if (providers[0].Country == "CN")
            {
                v.Add("ourRole", "A domestic provider registers its own contract; the recipient registers only a technology import (foreign provider).");
            }
        }

        v.Check(input.ContractAmount is > 0 and <= 1_000_000_000_000m, "contractAmount", "Above zero (at most 10^12).")
         .Check(input.ContractAmount is null || decimal.Round(input.ContractAmount.Value, 2) == input.ContractAmount.Value, "contractAmount", "At most 2 decimals.")
         .Check(input.Currency is not null && ListingReferenceData.Currencies.Contains(input.Currency), "currency", "An ISO 4217 currency code, e.g. CNY.");
        var costs = input.Costs ?? [];
        v.Check(costs.Count <= 50, "costs", "At most 50 cost lines.");
        for (var i = 0; i < costs.Count; i++)
        {
            var c = costs[i];
            v.Check(c?.Kind is not null && CostKinds.ContainsKey(c.Kind), $"costs[{i}].kind", $"One of {string.Join(", ", CostKinds.Keys)}.")
             .Require($"costs[{i}].description", c?.Description, 200);
        }
        if (v.IsValid && input.ContractAmount is { } amount)
        {
            var (_, amountErrors) = amounts.Decide(new Money(amount, input.Currency!), ToCostLines(Normalise(costs)));
            foreach (var (field, message) in amountErrors)
            {
                v.Add(field, message);
            }
        }

        v.Check(input.Field is not null && ListingReferenceData.FieldCodes.Contains(input.Field), "field", "A field code from /api/listings/reference.");
        var ip = input.Ip ?? [];
        v.Check(ip.Count <= 50, "ip", "At most 50 IP records.");
        for (var i = 0; i < ip.Count; i++)
        {
            v.Check(ip[i]?.Type is not null && ListingReferenceData.IpTypes.Contains(ip[i].Type!), $"ip[{i}].type",
                $"One of {string.Join(", ", ListingReferenceData.IpTypes)}.").Optional($"ip[{i}].number", ip[i]?.Number, 60);
        }

        v.Check(input.ContractLanguage is not null && ContentLanguages.All.Contains(input.ContractLanguage), "contractLanguage",
            $"The language of the signed contract: one of {string.Join(", ", ContentLanguages.All)}.");
        if (documents is not null)
        {
            CheckDocuments(input.ContractLanguage, documents, v);
        }
        v.Check(input.SignedOn is { } signed && signed >= new DateOnly(1990, 1, 1) && signed <= today.AddDays(1), "signedOn",
            "The date the contract was concluded (registration follows conclusion; not in the future).");
        v.Check(input.StationCode is null || SixDigits().IsMatch(input.StationCode), "stationCode", "A 6-digit station code from /api/registrations/stations.");

        if (!v.IsValid)
        {
            return (null, v);
        }
        return (new SubmissionContent(input.Title!.Trim(), input.Category!, sub!.Code, input.OurRole!,
            parties.Select(p => new Party(p.Name!.Trim(), p.OrganisationCode, p.Country!, p.RegionCode, p.LegalPersonNature, p.Provider, p.OrganisationId)).ToList(),
            input.ContractAmount!.Value, input.Currency!, Normalise(costs), input.Field!,
            ip.Select(r => new IpRecord(r.Type!, r.Number?.Trim())).ToList(), input.ContractLanguage!,
            documents ?? [], input.SignedOn!.Value, input.TechnologyId,
            input.StationCode), v);
    }

    /// <summary>Stored content back as input, so a submission checks the whole draft again (drafts prefilled from a deal are incomplete).</summary>
    public static SubmissionInput ToInput(SubmissionContent c) => new(c.Title, c.Category, c.SubCategory, c.OurRole,
        c.Parties.Select(p => new PartyInput(p.Name, p.OrganisationCode, p.Country, p.RegionCode, p.LegalPersonNature, p.Provider, p.OrganisationId)).ToList(),
        c.ContractAmount, c.Currency, c.Costs.Select(x => new CostInput(x.Kind, x.Description, x.Amount, x.Sets)).ToList(), c.Field,
        c.Ip.Select(i => new IpInput(i.Type, i.Number)).ToList(), c.ContractLanguage, c.SignedOn, c.TechnologyId, c.StationCode);

    /// <summary>
    /// The written contract is required (oral contracts are not registered): a 'contract' file in the contract's language,
    /// and for a contract in a foreign language its Chinese text ('chinese-text', zh).
    /// </summary>
    public static void CheckDocuments(string? contractLanguage, IReadOnlyList<Document> documents, Validation v)
    {
        v.Check(documents.Any(d => d.Kind == "contract" && d.Language == contractLanguage), "documents",
            "Upload the signed contract (POST …/documents with kind 'contract' in the contract's language): oral contracts are not registered.");
        if (contractLanguage is not null and not "zh")
        {
            v.Check(documents.Any(d => d.Kind == "chinese-text" && d.Language == "zh"), "documents",
                "A contract in a foreign language needs its Chinese text: upload it with kind 'chinese-text', language 'zh'.");
        }
    }

    public static IReadOnlyList<Cost> Normalise(IReadOnlyList<CostInput> costs) =>
        costs.Select(c => new Cost(c.Kind!, c.Description!.Trim(), c.Amount, c.Sets ?? 1)).ToList();

    public static IReadOnlyList<CostLine> ToCostLines(IReadOnlyList<Cost> costs) =>
        costs.Select(c => new CostLine(CostKinds[c.Kind], c.Description, c.Amount, c.Sets)).ToList();

    /// <summary>The parties as the jurisdiction rule sees them: the registrant from identity's record, the others as typed.</summary>
    public static IReadOnlyList<DomainParty> JurisdictionParties(SubmissionContent content, KnownOrganisation registrant, SubCategory sub)
    {
        var registrantIsProvider = content.OurRole == "provider";
        var list = new List<DomainParty> { new(registrant.Name, registrant.Country, registrant.RegionCode, registrantIsProvider ? sub.Provider : null) };
        list.AddRange(content.Parties.Select(p => new DomainParty(p.Name, p.Country, p.RegionCode, !registrantIsProvider && p.Provider ? sub.Provider : null)));
        return list;
    }

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex SixDigits();

    [GeneratedRegex("^[0-9]{3}$")]
    private static partial Regex ThreeDigits();

    [GeneratedRegex("^[0-9A-Za-z]{1,40}$")]
    private static partial Regex OrganisationCode();
}
