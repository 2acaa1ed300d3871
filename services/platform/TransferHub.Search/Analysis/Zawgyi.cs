using System.Text;
using System.Text.RegularExpressions;

namespace TransferHub.Search.Analysis;

/// <summary>
/// Burmese in the legacy Zawgyi font encoding, still common in Myanmar: detected and converted to Unicode before analysis
/// (documents and queries), so "ျမန္မာ" (Zawgyi) and "မြန်မာ" (Unicode) are the same word.
/// <para>
/// Zawgyi reuses the Myanmar block with other meanings: it stores text in visual order (the vowel sign E ေ and the medial
/// ra ြ before the consonant, kinzi after it), uses U+1039 as the killer (asat) and U+103A–U+103D for the medials ya, ra,
/// wa, ha (Unicode: U+103A asat, U+103B–U+103E medials, U+1039 the stacking virama), and puts stacked consonants and
/// glyph variants at U+1060–U+1097 (in Unicode those are letters of Shan, Mon and Karen, never written in Burmese).
/// These rules were written from that description of the encoding.
/// </para>
/// </summary>
public static partial class Zawgyi
{
    private const string Consonants = "\u1000-\u1021\u103F";

    /// <summary>One Zawgyi code point → its Unicode sequence (stacks, glyph variants, the reassigned medials and killer).</summary>
    private static readonly Dictionary<char, string> Map = new()
    {
        ['\u1039'] = "\u103A", // killer (asat)
        ['\u103A'] = "\u103B", // medial ya
        ['\u103B'] = "\u103C", // medial ra
        ['\u103C'] = "\u103D", // medial wa
        ['\u103D'] = "\u103E", // medial ha
        ['\u107E'] = "\u103C", ['\u107F'] = "\u103C", ['\u1080'] = "\u103C", ['\u1081'] = "\u103C",
        ['\u1082'] = "\u103C", ['\u1083'] = "\u103C", ['\u1084'] = "\u103C", // medial ra, wide and narrow glyphs
        ['\u1033'] = "\u102F", ['\u1034'] = "\u1030", // long-tailed u, uu
        ['\u1087'] = "\u103E", ['\u1088'] = "\u103E\u102F", ['\u1089'] = "\u103E\u1030", ['\u108A'] = "\u103D\u103E",
        ['\u1094'] = "\u1037", ['\u1095'] = "\u1037", // dot below, shifted
        ['\u105A'] = "\u102B\u103A", // tall aa with killer
        ['\u1086'] = "\u103F", // great sa
        ['\u108F'] = "\u1014", ['\u1090'] = "\u101B", ['\u106A'] = "\u1009", ['\u106B'] = "\u100A", // letter variants
        ['\u1060'] = "\u1039\u1000", ['\u1061'] = "\u1039\u1001", ['\u1062'] = "\u1039\u1002", ['\u1063'] = "\u1039\u1003",
        ['\u1065'] = "\u1039\u1005", ['\u1066'] = "\u1039\u1006", ['\u1067'] = "\u1039\u1006", ['\u1068'] = "\u1039\u1007",
        ['\u1069'] = "\u1039\u1008", ['\u106C'] = "\u1039\u100B", ['\u106D'] = "\u1039\u100C", ['\u1070'] = "\u1039\u100F",
        ['\u1071'] = "\u1039\u1010", ['\u1072'] = "\u1039\u1010", ['\u1073'] = "\u1039\u1011", ['\u1074'] = "\u1039\u1011",
        ['\u1075'] = "\u1039\u1012", ['\u1076'] = "\u1039\u1013", ['\u1077'] = "\u1039\u1014", ['\u1078'] = "\u1039\u1015",
        ['\u1079'] = "\u1039\u1016", ['\u107A'] = "\u1039\u1017", ['\u107B'] = "\u1039\u1018", ['\u1093'] = "\u1039\u1018",
        ['\u107C'] = "\u1039\u1019", ['\u1085'] = "\u1039\u101C", ['\u1096'] = "\u1039\u1010\u103D",
        ['\u106E'] = "\u100D\u1039\u100D", ['\u106F'] = "\u100D\u1039\u100E", ['\u1091'] = "\u100F\u1039\u100D",
        ['\u1092'] = "\u100B\u1039\u100C", ['\u1097'] = "\u100B\u1039\u100B",
    };

    /// <summary>Kinzi (ng + killer written over the next consonant) and its ligatures with i, ii and anusvara.</summary>
    private static readonly Dictionary<char, (string Before, string After)> Kinzi = new()
    {
        ['\u1064'] = ("\u1004\u103A\u1039", ""),
        ['\u108B'] = ("\u1004\u103A\u1039", "\u102D"),
        ['\u108C'] = ("\u1004\u103A\u1039", "\u102E"),
        ['\u108D'] = ("\u1004\u103A\u1039", "\u1036"),
    };

    /// <summary>True when <paramref name="text"/> is Burmese in Zawgyi rather than Unicode (more Zawgyi-only than Unicode-only patterns).</summary>
    public static bool IsZawgyi(string text)
    {
        if (!text.Any(c => c is >= '\u1000' and <= '\u109F'))
        {
            return false;
        }
        var zawgyi = ZawgyiOnly().Count(text) + ZawgyiVariants().Count(text);
        var unicode = UnicodeOnly().Count(text);
        return zawgyi > unicode;
    }

    /// <summary>The text in Unicode: converted when it is Zawgyi, returned unchanged otherwise (so it can be applied to any text).</summary>
    public static string ToUnicode(string text)
    {
        if (!IsZawgyi(text))
        {
            return text;
        }
        var mapped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            mapped.Append(Map.TryGetValue(c, out var replacement) ? replacement : c);
        }
        // Visual → logical order: [e-vowel][medial ra] consonant [kinzi] [stack] [medials] → kinzi consonant stack medials e-vowel.
        var ordered = Syllable().Replace(DigitZeroAsWa().Replace(mapped.ToString(), "\u101D"), m =>
        {
            var kinzi = m.Groups["kinzi"].Success ? Kinzi[m.Groups["kinzi"].Value[0]] : ("", "");
            var medials = string.Concat((m.Groups["ra"].Value + m.Groups["medials"].Value).Order());
            return kinzi.Item1 + m.Groups["consonant"].Value + m.Groups["stack"].Value + medials + m.Groups["e"].Value + kinzi.Item2;
        });
        return ordered.Replace("\u103A\u1037", "\u1037\u103A", StringComparison.Ordinal)
            .Replace("\u102F\u102D", "\u102D\u102F", StringComparison.Ordinal)
            .Replace("\u1036\u102F", "\u102F\u1036", StringComparison.Ordinal);
    }

    // Zawgyi-only: stacks and glyph variants (U+1060–U+1097); e-vowel at the start of a syllable (after a space, punctuation,
    // another vowel sign or the start); the killer U+1039 not followed by a consonant; medial ra (U+103B) before a consonant.
    [GeneratedRegex("[\u1060-\u1097]")]
    private static partial Regex ZawgyiVariants();

    [GeneratedRegex("(?:^|[^" + Consonants + "\u1039\u103A-\u103E])\u1031|\u1039(?![" + Consonants + "])|(?:^|[^" + Consonants + "])\u103B(?=[" + Consonants + "])")]
    private static partial Regex ZawgyiOnly();

    // Unicode-only: ng + asat (the commonest Unicode final); medial ha U+103E; asat ending a word or after the dot below;
    // the virama after ng + asat (kinzi). A virama between consonants is both a Unicode stack and a Zawgyi killer: no evidence.
    [GeneratedRegex("\u1004\u103A|\u103E|\u103A(?=$|[\\s\u1038\u104A\u104B])|\u1037\u103A|\u103A\u1039")]
    private static partial Regex UnicodeOnly();

    [GeneratedRegex("(?<e>\u1031)?(?<ra>\u103C)?(?<consonant>[" + Consonants + "])(?<kinzi>[\u1064\u108B\u108C\u108D])?(?<stack>\u1039[" + Consonants + "])?(?<medials>[\u103B\u103D\u103E]*)")]
    private static partial Regex Syllable();

    [GeneratedRegex("\u1040(?=[\u102B-\u103E])|(?<=\u1031)\u1040")]
    private static partial Regex DigitZeroAsWa();
}
