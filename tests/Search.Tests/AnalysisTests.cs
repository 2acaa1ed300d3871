using TransferHub.Search.Analysis;

namespace TransferHub.Search.Tests;

/// <summary>Analysis per script on real sentences (issue 5's acceptance: segmentation of th/lo/km/my/zh, folding in vi).</summary>
public sealed class AnalysisTests
{
    private static IReadOnlyList<string> Terms(string language, string text) => new LanguageAnalyzer(language).Terms(text);

    [Fact]
    public void Thai_is_segmented_into_dictionary_words()
    {
        // "green energy technology transfer"
        Assert.Equal(["การ", "ถ่ายทอด", "เทคโนโลยี", "พลังงาน", "สี", "เขียว"], Terms("th", "การถ่ายทอดเทคโนโลยีพลังงานสีเขียว"));
    }

    [Fact]
    public void Lao_is_segmented_and_loanwords_fall_to_syllables()
    {
        var terms = Terms("lo", "ການຖ່າຍທອດເຕັກໂນໂລຊີ");
        Assert.Equal("ການ", terms[0]);
        Assert.Contains("ທອດ", terms);
        Assert.True(terms.Count >= 4, string.Join("|", terms));
    }

    [Fact]
    public void Khmer_is_segmented_into_words()
    {
        Assert.Equal(["ការផ្ទេរ", "បច្ចេកវិទ្យា"], Terms("km", "ការផ្ទេរបច្ចេកវិទ្យា"));
    }

    [Fact]
    public void Burmese_is_segmented_into_words()
    {
        Assert.Equal(["နည်း", "ပညာ", "လွှဲပြောင်း", "ခြင်း"], Terms("my", "နည်းပညာလွှဲပြောင်းခြင်း"));
    }

    [Fact]
    public void Chinese_gets_bigrams_and_unigrams_so_one_character_queries_match()
    {
        var terms = Terms("zh", "高原特色农业");
        Assert.Contains("高原", terms);
        Assert.Contains("特色", terms);
        Assert.Contains("农业", terms);
        Assert.Contains("原特", terms); // bigrams do not know word boundaries
        Assert.Contains("茶", Terms("zh", "普洱茶"));
    }

    [Fact]
    public void Vietnamese_diacritics_fold_so_cong_nghe_finds_cong_nghe()
    {
        Assert.Equal(["cong", "nghe", "xu", "ly", "nuoc", "thai"], Terms("vi", "Công nghệ xử lý nước thải"));
        Assert.Equal(Terms("vi", "công nghệ"), Terms("vi", "cong nghe"));
        Assert.Equal(["duong", "dien"], Terms("vi", "Đường điện"));
    }

    [Fact]
    public void Latin_plurals_lose_their_s_endings_alike_in_the_five_latin_languages()
    {
        Assert.Equal(["lithium", "battery", "roof", "pump"], Terms("en", "Lithium batteries, roofs, pumps"));
        Assert.Equal(Terms("en", "solar panel"), Terms("en", "Solar Panels"));
        // the same analysis for every language of the shared Latin fields (a Malay "proses" meets "prose" on both sides)
        Assert.All(new[] { "vi", "id", "ms", "fil" }, l => Assert.Equal(Terms("en", "proses panels"), Terms(l, "proses panels")));
        Assert.Equal(["class", "virus"], Terms("en", "class virus")); // -ss and -us stay
        Assert.Equal(["ngs", "bms", "ng"], Terms("fil", "NGS BMS ng")); // acronyms in capitals keep their S: NGS is not the Tagalog "ng"
    }

    [Fact]
    public void Latin_words_inside_thai_text_are_lower_cased_and_folded()
    {
        var terms = Terms("th", "แผงโซลาร์ Solar PV ราคาถูก");
        Assert.Contains("solar", terms);
        Assert.Contains("pv", terms);
        Assert.Contains("ราคา", terms);
    }

    [Fact]
    public void Hindi_normalises_nukta_and_variants()
    {
        Assert.Equal(Terms("hi", "ज़मीन"), Terms("hi", "जमीन"));
        Assert.Equal(2, Terms("hi", "प्रौद्योगिकी हस्तांतरण").Count);
    }

    [Theory]
    // Sinhala ශ්‍රී and ක්‍රම (rakāraṁśaya: virama + ZWJ + ra), Devanagari and Bengali half forms: typed with or without
    // the zero-width joiner or non-joiner, one word.
    [InlineData("si", "ශ්\u200Dරී ලංකා ක්\u200Dරමය", "ශ්රී ලංකා ක්රමය")]
    [InlineData("hi", "क्\u200Dष", "क्ष")]
    [InlineData("ne", "प्\u200Cरविधि", "प्रविधि")]
    [InlineData("bn", "র\u200D্যাব", "র্যাব")]
    public void Zero_width_joiners_do_not_split_a_word_from_its_plain_spelling(string language, string joined, string plain)
    {
        Assert.Contains(joined, c => c is '\u200C' or '\u200D');
        Assert.Equal(Terms(language, plain), Terms(language, joined));
        Assert.DoesNotContain(Terms(language, joined), t => t.Contains('\u200C') || t.Contains('\u200D'));
    }

    [Fact]
    public void Urdu_normalises_arabic_and_persian_letter_forms()
    {
        // Arabic kaf/yeh and their Persian/Urdu forms (ک ی) index as one term
        Assert.Equal(Terms("ur", "كتاب"), Terms("ur", "کتاب"));
        Assert.Equal(3, Terms("ur", "ٹیکنالوجی کی منتقلی").Count);
    }

    [Theory]
    [InlineData("ශ්‍රී ලංකා තාක්ෂණය", 3)]
    [InlineData("தொழில்நுட்ப பரிமாற்றம்", 2)]
    [InlineData("প্রযুক্তি হস্তান্তর", 2)]
    [InlineData("teknologi tepat guna", 3)]
    public void Spaced_scripts_are_split_at_spaces(string text, int count)
    {
        var language = Scripts.DetectLanguage(text);
        Assert.Equal(count, Terms(language == "en" ? "id" : language, text).Count);
    }

    [Theory]
    [InlineData("การถ่ายทอดเทคโนโลยี", "th")]
    [InlineData("ການຖ່າຍທອດເຕັກໂນໂລຊີ", "lo")]
    [InlineData("ការផ្ទេរបច្ចេកវិទ្យា", "km")]
    [InlineData("နည်းပညာလွှဲပြောင်းခြင်း", "my")]
    [InlineData("高原特色农业技术转移", "zh")]
    [InlineData("Công nghệ xử lý nước thải", "vi")]
    [InlineData("Solar water pump for highland farms", "en")]
    [InlineData("प्रौद्योगिकी हस्तांतरण", "hi")]
    [InlineData("প্রযুক্তি হস্তান্তর", "bn")]
    [InlineData("ශ්‍රී ලංකා තාක්ෂණය", "si")]
    [InlineData("தொழில்நுட்ப பரிமாற்றம்", "ta")]
    [InlineData("ٹیکنالوجی کی منتقلی", "ur")]
    [InlineData("太阳能 solar 水泵", "zh")]
    public void The_language_of_a_text_without_one_is_taken_from_its_script(string text, string language)
    {
        Assert.Equal(language, Scripts.DetectLanguage(text));
    }

    [Fact]
    public void An_unknown_language_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new LanguageAnalyzer("xx"));
    }
}
