using System.Collections.Frozen;

namespace TransferHub.Listing.Contracts;

/// <summary>The languages TransferHub content may be written in (ISO 639 codes as used on the platform).</summary>
public static class ContentLanguages
{
    public static readonly IReadOnlyList<string> All =
        ["zh", "en", "vi", "th", "lo", "km", "my", "id", "ms", "fil", "hi", "ne", "bn", "si", "ta", "ur"];
}

/// <summary>A field of technology: the six priority fields of the programme first, then a general taxonomy.</summary>
public sealed record FieldOfTechnology(string Code, string NameEn, string NameZh, bool Priority);

/// <summary>
/// The listing vocabulary (reference data). Kept in code so producer and consumers agree on every value; served to
/// clients at <c>GET /api/listings/reference</c>. Adding a value is a code change reviewed like any other.
/// </summary>
public static class ListingReferenceData
{
    public static readonly IReadOnlyList<FieldOfTechnology> Fields =
    [
        new("new-materials", "New materials", "新材料", true),
        new("green-energy", "Green energy", "绿色能源", true),
        new("digital-economy", "Digital economy", "数字经济", true),
        new("advanced-manufacturing", "Advanced manufacturing", "先进制造", true),
        new("plateau-agriculture", "Plateau characteristic agriculture", "高原特色农业", true),
        new("biomedicine", "Biomedicine", "生物医药", true),
        new("agriculture-food", "Agriculture and food processing", "农业与食品加工", false),
        new("environment", "Environmental protection", "环境保护", false),
        new("water", "Water resources and treatment", "水资源与水处理", false),
        new("mining-metallurgy", "Mining and metallurgy", "采矿与冶金", false),
        new("chemicals", "Chemical engineering", "化学工程", false),
        new("electronics", "Electronics and instruments", "电子与仪器仪表", false),
        new("information-communication", "Information and communication", "信息与通信", false),
        new("transport", "Transport and logistics", "交通运输与物流", false),
        new("construction", "Construction and building materials", "建筑与建材", false),
        new("light-industry", "Textiles and light industry", "纺织与轻工", false),
        new("medical-devices", "Medical devices", "医疗器械", false),
        new("traditional-medicine", "Traditional and ethnic medicine", "中医药与民族医药", false),
        new("conventional-energy", "Conventional energy and power", "传统能源与电力", false),
        new("forestry-ecology", "Forestry and ecology", "林业与生态", false),
        new("public-safety", "Public safety and disaster prevention", "公共安全与防灾减灾", false),
        new("other", "Other", "其他", false),
    ];

    public static readonly FrozenSet<string> FieldCodes = Fields.Select(f => f.Code).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Chinese development stages: 实验室 / 小试 / 中试 / 产业化.</summary>
    public static readonly IReadOnlyList<string> Stages = ["laboratory", "small-pilot", "pilot", "industrialised"];

    public static readonly IReadOnlyList<string> TransferModes =
        ["assignment", "exclusive-licence", "sole-licence", "non-exclusive-licence", "joint-development", "technical-service", "equity"];

    public static readonly IReadOnlyList<string> IpTypes =
        ["invention-patent", "utility-model", "design", "software-copyright", "plant-variety", "ic-layout", "know-how"];

    public static readonly IReadOnlyList<string> IpStatuses = ["pending", "granted", "lapsed", "expired", "invalidated"];

    /// <summary>协议定价 / 挂牌 / 拍卖.</summary>
    public static readonly IReadOnlyList<string> PricingModes = ["negotiated", "listed", "auction"];

    /// <summary>The lifecycle of a technology.</summary>
    public static readonly IReadOnlyList<string> Statuses =
        ["draft", "submitted", "returned", "published", "under-negotiation", "transferred", "withdrawn", "expired"];

    /// <summary>The lifecycle of a need: as a technology's, ending in <c>fulfilled</c> instead of <c>transferred</c>.</summary>
    public static readonly IReadOnlyList<string> NeedStatuses =
        ["draft", "submitted", "returned", "published", "under-negotiation", "fulfilled", "withdrawn", "expired"];

    /// <summary>The states of a proposal answering an open call.</summary>
    public static readonly IReadOnlyList<string> ProposalStatuses = ["submitted", "shortlisted", "selected", "rejected", "withdrawn"];

    /// <summary>ISO 3166-1 alpha-2 country codes (Debian iso-codes 4.15).</summary>
    public static readonly FrozenSet<string> Countries = new[]
    {
        "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE",
        "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD",
        "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
        "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
        "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU",
        "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
        "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME",
        "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
        "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
        "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI",
        "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK",
        "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
        "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>ISO 4217 currency codes in circulation (Debian iso-codes; without metals, fund and test codes).</summary>
    public static readonly FrozenSet<string> Currencies = new[]
    {
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV",
        "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE",
        "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD",
        "HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
        "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN",
        "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
        "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS",
        "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST",
        "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
    }.ToFrozenSet(StringComparer.Ordinal);
}
