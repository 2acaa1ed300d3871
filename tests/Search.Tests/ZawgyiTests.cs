using TransferHub.Search.Analysis;

namespace TransferHub.Search.Tests;

/// <summary>Burmese in the legacy Zawgyi encoding is recognised and converted; Unicode Burmese is left alone.</summary>
public sealed class ZawgyiTests
{
    public static TheoryData<string, string, string> Words => new()
    {
        // meaning, Zawgyi (visual order, Zawgyi code points), Unicode
        { "Myanmar", "\u103B\u1019\u1014\u1039\u1019\u102C", "\u1019\u103C\u1014\u103A\u1019\u102C" },
        { "country", "\u108F\u102D\u102F\u1004\u1039\u1004\u1036", "\u1014\u102D\u102F\u1004\u103A\u1004\u1036" },
        { "school", "\u1031\u1000\u103A\u102C\u1004\u1039\u1038", "\u1000\u103B\u1031\u102C\u1004\u103A\u1038" },
        { "say", "\u1031\u103B\u1015\u102C", "\u1015\u103C\u1031\u102C" },
        { "research", "\u101E\u102F\u1031\u1010\u101E\u1014", "\u101E\u102F\u1010\u1031\u101E\u1014" },
        { "technology", "\u1014\u100A\u1039\u1038\u1015\u100A\u102C", "\u1014\u100A\u103A\u1038\u1015\u100A\u102C" },
        { "world (stacked bha)", "\u1000\u1019\u107B\u102C", "\u1000\u1019\u1039\u1018\u102C" },
        { "English (kinzi)", "\u1021\u1002\u1064\u101C\u102D\u1015\u1039", "\u1021\u1004\u103A\u1039\u1002\u101C\u102D\u1015\u103A" },
        { "have (medial ha)", "\u101B\u103D\u102D\u101E\u100A\u1039", "\u101B\u103E\u102D\u101E\u100A\u103A" },
        { "come out (medial wa)", "\u1011\u103C\u1000\u1039", "\u1011\u103D\u1000\u103A" },
    };

    [Theory]
    [MemberData(nameof(Words))]
    public void Zawgyi_is_detected_and_converted_to_unicode(string meaning, string zawgyi, string unicode)
    {
        Assert.True(Zawgyi.IsZawgyi(zawgyi), meaning);
        Assert.Equal(unicode, Zawgyi.ToUnicode(zawgyi));
    }

    [Theory]
    [MemberData(nameof(Words))]
    public void Unicode_burmese_is_not_taken_for_zawgyi(string meaning, string zawgyi, string unicode)
    {
        _ = zawgyi;
        Assert.Equal(unicode, Zawgyi.ToUnicode(unicode));
        Assert.False(Zawgyi.IsZawgyi(unicode + " " + unicode), meaning);
    }

    [Fact]
    public void A_zawgyi_sentence_becomes_the_unicode_sentence_and_other_scripts_are_untouched()
    {
        // "Myanmar technology research" in each encoding.
        const string zawgyi = "\u103B\u1019\u1014\u1039\u1019\u102C \u1014\u100A\u1039\u1038\u1015\u100A\u102C \u101E\u102F\u1031\u1010\u101E\u1014";
        const string unicode = "\u1019\u103C\u1014\u103A\u1019\u102C \u1014\u100A\u103A\u1038\u1015\u100A\u102C \u101E\u102F\u1010\u1031\u101E\u1014";
        Assert.Equal(unicode, Zawgyi.ToUnicode(zawgyi));
        Assert.Equal("การถ่ายทอดเทคโนโลยี", Zawgyi.ToUnicode("การถ่ายทอดเทคโนโลยี"));
        Assert.Equal("solar dryer 太阳能", Zawgyi.ToUnicode("solar dryer 太阳能"));
    }
}
