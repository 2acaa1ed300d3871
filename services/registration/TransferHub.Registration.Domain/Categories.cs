namespace TransferHub.Registration.Domain;

/// <summary>Who provides the technology in a contract, and therefore registers it (DOMAIN.md: "who registers where").</summary>
public enum ProvidingRole
{
    /// <summary>研究开发人: the developer of a development contract.</summary>
    Developer,

    /// <summary>让与人 / 许可人: the transferor of a transfer, the licensor of a licence.</summary>
    Transferor,

    /// <summary>受托人: the commissioned party of a consulting or technical-service contract.</summary>
    CommissionedParty,

    /// <summary>The trainer of a technical-training contract.</summary>
    Trainer,

    /// <summary>The intermediary of a technical-intermediary contract.</summary>
    Intermediary,
}

/// <summary>One sub-category of a contract category, with the party that provides the technology in it.</summary>
public sealed record SubCategory(string Code, string NameZh, string NameEn, ProvidingRole Provider);

/// <summary>A contract category (技术开发 / 转让 / 许可 / 咨询 / 服务) and its sub-categories.</summary>
public sealed record ContractCategory(string Code, string NameZh, string NameEn, IReadOnlyList<SubCategory> SubCategories)
{
    public SubCategory? Find(string? subCategory) => SubCategories.FirstOrDefault(s => s.Code == subCategory);
}

/// <summary>
/// The categories of the certification rules as reference data. The default catalogue follows DOMAIN.md; a station
/// configures more forms of transfer (e.g. new plant varieties) by building its own catalogue.
/// </summary>
public sealed class CategoryCatalog(IReadOnlyList<ContractCategory> categories)
{
    public static readonly CategoryCatalog Default = new(
    [
        new("development", "技术开发", "Technology development",
        [
            new("commissioned", "委托开发", "Commissioned development", ProvidingRole.Developer),
            new("cooperative", "合作开发", "Cooperative development", ProvidingRole.Developer),
        ]),
        new("transfer", "技术转让", "Technology transfer",
        [
            new("patent-right", "专利权转让", "Patent right", ProvidingRole.Transferor),
            new("patent-application-right", "专利申请权转让", "Patent application right", ProvidingRole.Transferor),
            new("technical-secret", "技术秘密转让", "Technical secret", ProvidingRole.Transferor),
        ]),
        new("licensing", "技术许可", "Technology licensing",
        [
            new("patent-exclusive", "专利独占许可", "Patent licence, exclusive", ProvidingRole.Transferor),
            new("patent-sole", "专利排他许可", "Patent licence, sole", ProvidingRole.Transferor),
            new("patent-ordinary", "专利普通许可", "Patent licence, ordinary", ProvidingRole.Transferor),
            new("secret-exclusive", "技术秘密独占许可", "Technical-secret licence, exclusive", ProvidingRole.Transferor),
            new("secret-sole", "技术秘密排他许可", "Technical-secret licence, sole", ProvidingRole.Transferor),
            new("secret-ordinary", "技术秘密普通许可", "Technical-secret licence, ordinary", ProvidingRole.Transferor),
        ]),
        new("consulting", "技术咨询", "Technology consulting",
        [
            new("consulting", "技术咨询", "Technology consulting", ProvidingRole.CommissionedParty),
        ]),
        new("service", "技术服务", "Technology service",
        [
            new("technical-service", "技术服务", "Technical service", ProvidingRole.CommissionedParty),
            new("technical-training", "技术培训", "Technical training", ProvidingRole.Trainer),
            new("technical-intermediary", "技术中介", "Technical intermediary", ProvidingRole.Intermediary),
        ]),
    ]);

    public IReadOnlyList<ContractCategory> Categories { get; } = categories;

    public ContractCategory? Find(string? category) => Categories.FirstOrDefault(c => c.Code == category);

    /// <summary>The sub-category, or the reason the pair is unknown.</summary>
    public (SubCategory? SubCategory, string? Error) Resolve(string? category, string? subCategory)
    {
        var found = Find(category);
        if (found is null)
        {
            return (null, $"Unknown category '{category}'; use one of {string.Join(", ", Categories.Select(c => c.Code))}.");
        }
        var sub = found.Find(subCategory);
        return sub is null
            ? (null, $"Unknown sub-category '{subCategory}' of {found.Code}; use one of {string.Join(", ", found.SubCategories.Select(s => s.Code))}.")
            : (sub, null);
    }
}
