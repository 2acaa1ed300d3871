namespace TransferHub.Search.Analysis;

/// <summary>The writing systems of the 16 languages (DOMAIN.md), as analysis needs them.</summary>
public enum Script
{
    Unknown,
    Latin,
    Han,
    Thai,
    Lao,
    Khmer,
    Myanmar,
    Devanagari,
    Bengali,
    Sinhala,
    Tamil,
    Arabic,
}

/// <summary>Finds the script of a text, and the language to analyse it as when its field does not say.</summary>
public static class Scripts
{
    public static Script Of(char c) => c switch
    {
        >= '\u0E00' and <= '\u0E7F' => Script.Thai,
        >= '\u0E80' and <= '\u0EFF' => Script.Lao,
        >= '\u1780' and <= '\u17FF' or >= '\u19E0' and <= '\u19FF' => Script.Khmer,
        >= '\u1000' and <= '\u109F' or >= '\uAA60' and <= '\uAA7F' or >= '\uA9E0' and <= '\uA9FF' => Script.Myanmar,
        >= '\u0900' and <= '\u097F' => Script.Devanagari,
        >= '\u0980' and <= '\u09FF' => Script.Bengali,
        >= '\u0D80' and <= '\u0DFF' => Script.Sinhala,
        >= '\u0B80' and <= '\u0BFF' => Script.Tamil,
        >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF' => Script.Arabic,
        >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF' => Script.Han,
        _ when char.IsLetter(c) && c <= '\u024F' || c is >= '\u1E00' and <= '\u1EFF' => Script.Latin,
        _ => Script.Unknown,
    };

    /// <summary>
    /// The script most of the text's letters are written in. Latin words are common inside Asian-script texts (brand
    /// names, units, "solar"), so another script wins once it has at least half as many letters as Latin.
    /// </summary>
    public static Script Dominant(string text)
    {
        Span<int> counts = stackalloc int[Enum.GetValues<Script>().Length];
        foreach (var c in text)
        {
            counts[(int)Of(c)]++;
        }
        var other = Script.Unknown;
        for (var s = (int)Script.Han; s < counts.Length; s++)
        {
            if (counts[s] > 0 && (other == Script.Unknown || counts[s] > counts[(int)other]))
            {
                other = (Script)s;
            }
        }
        var latin = counts[(int)Script.Latin];
        return other != Script.Unknown && counts[(int)other] * 2 >= latin ? other
            : latin > 0 ? Script.Latin
            : other;
    }

    /// <summary>
    /// The language to analyse a text as when its field gives none: the script decides (Devanagari → Hindi, Arabic →
    /// Urdu); Latin text with Vietnamese letters (ă â đ ê ô ơ ư and tone marks) is Vietnamese, other Latin English.
    /// </summary>
    public static string DetectLanguage(string text) => Dominant(text) switch
    {
        Script.Han => "zh",
        Script.Thai => "th",
        Script.Lao => "lo",
        Script.Khmer => "km",
        Script.Myanmar => "my",
        Script.Devanagari => "hi",
        Script.Bengali => "bn",
        Script.Sinhala => "si",
        Script.Tamil => "ta",
        Script.Arabic => "ur",
        _ => text.Any(IsVietnamese) ? "vi" : "en",
    };

    /// <summary>
    /// The languages whose documents can contain the words of <paramref name="text"/>: those written in its scripts
    /// (Thai words only in Thai text, Devanagari in Hindi and Nepali …), and every language for Latin words, digits or
    /// anything else (Latin names, acronyms and units appear in texts of every language).
    /// </summary>
    public static IReadOnlySet<string> LanguagesFor(string text)
    {
        var languages = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in text)
        {
            switch (Of(c))
            {
                case Script.Unknown when !char.IsLetterOrDigit(c):
                    break;
                case Script.Han: languages.Add("zh"); break;
                case Script.Thai: languages.Add("th"); break;
                case Script.Lao: languages.Add("lo"); break;
                case Script.Khmer: languages.Add("km"); break;
                case Script.Myanmar: languages.Add("my"); break;
                case Script.Devanagari: languages.Add("hi"); languages.Add("ne"); break;
                case Script.Bengali: languages.Add("bn"); break;
                case Script.Sinhala: languages.Add("si"); break;
                case Script.Tamil: languages.Add("ta"); break;
                case Script.Arabic: languages.Add("ur"); break;
                default: return Analysis.LanguageAnalyzer.Languages.ToHashSet(StringComparer.Ordinal);
            }
        }
        return languages;
    }

    private static bool IsVietnamese(char c) =>
        c is 'ă' or 'Ă' or 'đ' or 'Đ' or 'ơ' or 'Ơ' or 'ư' or 'Ư' || c is >= '\u1EA0' and <= '\u1EF9';
}
