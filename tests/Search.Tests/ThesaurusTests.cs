using TransferHub.Search.Analysis;
using TransferHub.Search.Concepts;

namespace TransferHub.Search.Tests;

/// <summary>Concept matching in each writing system, on a small thesaurus written for the test.</summary>
public sealed class ThesaurusTests
{
    internal static readonly Thesaurus Small = new(
    [
        new Concept("energy.solar-dryer", "green-energy", new Dictionary<string, IReadOnlyList<string>>
        {
            ["zh"] = ["太阳能干燥", "太阳能烘干"], ["en"] = ["solar dryer", "solar drying"], ["th"] = ["เครื่องอบแห้งพลังงานแสงอาทิตย์"],
            ["vi"] = ["máy sấy năng lượng mặt trời"], ["my"] = ["နေရောင်ခြည်သုံး အခြောက်ခံစက်"],
        }),
        new Concept("agri.coffee", "plateau-agriculture", new Dictionary<string, IReadOnlyList<string>>
        {
            ["zh"] = ["咖啡"], ["en"] = ["coffee"], ["th"] = ["กาแฟ"], ["vi"] = ["cà phê"], ["lo"] = ["ກາເຟ"], ["km"] = ["កាហ្វេ"],
        }),
        new Concept("agri.tea", "plateau-agriculture", new Dictionary<string, IReadOnlyList<string>>
        {
            ["zh"] = ["茶叶"], ["en"] = ["tea"], ["th"] = ["ชา"], ["vi"] = ["chè", "trà"],
        }),
        new Concept("energy.solar", "green-energy", new Dictionary<string, IReadOnlyList<string>>
        {
            ["en"] = ["solar energy"], ["zh"] = ["太阳能"],
        }),
    ]);

    [Fact]
    public void Chinese_labels_are_found_inside_running_text_and_the_longest_label_wins()
    {
        var found = Small.FindIn("一种用于咖啡豆的太阳能干燥设备", "zh").Select(m => m.ConceptId).ToList();
        Assert.Equal(["agri.coffee", "energy.solar-dryer"], found);
    }

    [Fact]
    public void A_document_mentions_the_concepts_of_all_its_texts_and_is_about_those_of_its_titles_and_keywords()
    {
        var document = new SearchDocument("d", 1,
        [
            new LocalizedText("zh", "咖啡豆太阳能干燥设备", "适合茶叶。", ["咖啡"]),
            new LocalizedText("en", "Solar dryer", "Also dries tea.", []),
        ], new Dictionary<string, IReadOnlyList<string>>());
        var concepts = Small.ConceptsOf(document);
        Assert.Equal(["agri.coffee", "energy.solar-dryer", "agri.tea"], concepts["zh"].Mentioned);
        Assert.Equal(["agri.coffee", "energy.solar-dryer"], concepts["zh"].About);
        Assert.Equal(["energy.solar-dryer", "agri.tea"], concepts["en"].Mentioned);
        Assert.Equal(["energy.solar-dryer"], concepts["en"].About);
    }

    [Fact]
    public void Latin_labels_read_as_chinese_match_whole_latin_words_only()
    {
        var rpa = new Thesaurus([new Concept("digital.rpa", "digital-economy", new Dictionary<string, IReadOnlyList<string>> { ["zh"] = ["RPA", "机器人流程自动化"] })]);
        Assert.Empty(rpa.FindIn("trak na may freezer para sa isda", "zh")); // e-r-p-a across "freezer para"
        Assert.Equal(["digital.rpa"], rpa.FindIn("基于RPA的财务流程", "zh").Select(m => m.ConceptId));
        Assert.Equal(["digital.rpa"], rpa.FindIn("RPA software", "zh").Select(m => m.ConceptId));
    }

    [Fact]
    public void In_languages_that_write_endings_onto_words_a_label_word_matches_with_its_ending()
    {
        var waste = new Thesaurus([new Concept("env.medical-waste-treatment", "environment", new Dictionary<string, IReadOnlyList<string>>
        {
            ["bn"] = ["হাসপাতাল বর্জ্য", "জল"], ["ne"] = ["होटल फोहोर"], ["en"] = ["solar pump"],
        })]);
        // হাসপাতালের = হাসপাতাল + genitive -এর; होटलको = होटल + को
        Assert.Equal(["env.medical-waste-treatment"], waste.FindIn("হাসপাতালের বর্জ্য পোড়ানোর চুল্লি", "bn").Select(m => m.ConceptId));
        Assert.Equal(["env.medical-waste-treatment"], waste.FindIn("होटलको फोहोर व्यवस्थापन", "ne").Select(m => m.ConceptId));
        // not in English (its plurals are the analyser's), and not for a label word shorter than four units
        Assert.Empty(waste.FindIn("solar pumpkin", "en"));
        Assert.Empty(waste.FindIn("জলবায়ু পরিবর্তন", "bn")); // জল "water" (2 units) is not in জলবায়ু "climate"
    }

    [Fact]
    public void Thai_labels_match_on_word_boundaries_only()
    {
        Assert.Equal(["agri.coffee"], Small.FindIn("การแปรรูปกาแฟอาราบิกา", "th").Select(m => m.ConceptId));
        Assert.Equal(["agri.tea"], Small.FindIn("การแปรรูปใบชาอัสสัม", "th").Select(m => m.ConceptId));
        // ชา ("tea") inside ชาวนา ("farmers") is not tea.
        Assert.Empty(Small.FindIn("ชาวนาในภาคเหนือ", "th"));
    }

    [Fact]
    public void Latin_labels_match_whole_words_with_case_and_diacritics_folded()
    {
        Assert.Equal(["energy.solar-dryer"], Small.FindIn("A Solar Dryer for mangoes", "en").Select(m => m.ConceptId));
        Assert.Equal(["agri.coffee"], Small.FindIn("Chế biến CA PHE ướt", "vi").Select(m => m.ConceptId));
        Assert.Empty(Small.FindIn("teapot steam", "en"));
    }

    [Fact]
    public void A_query_of_unknown_language_is_read_as_every_language()
    {
        Assert.Equal(["agri.coffee"], Small.FindInQuery("ກາເຟ").Select(m => m.ConceptId));
        Assert.Equal(["agri.coffee"], Small.FindInQuery("កាហ្វេ").Select(m => m.ConceptId));
        Assert.Contains(Small.FindInQuery("máy sấy năng lượng mặt trời"), m => m.ConceptId == "energy.solar-dryer");
    }

    [Fact]
    public void Zawgyi_text_finds_unicode_labels()
    {
        // နေ (sun) in Zawgyi stores the e-vowel first: ေန.
        var zawgyi = "\u1031\u1014\u1031\u101B\u102C\u1004\u1039\u103B\u1001\u100A\u1039\u101E\u102F\u1036\u1038\u0020\u1021\u1031\u103B\u1001\u102C\u1000\u1039\u1001\u1036\u1005\u1000\u1039";
        Assert.Equal("\u1014\u1031\u101B\u1031\u102C\u1004\u103A\u1001\u103C\u100A\u103A\u101E\u102F\u1036\u1038\u0020\u1021\u1001\u103C\u1031\u102C\u1000\u103A\u1001\u1036\u1005\u1000\u103A",
            Zawgyi.ToUnicode(zawgyi));
        Assert.Equal(["energy.solar-dryer"], Small.FindIn(zawgyi, "my").Select(m => m.ConceptId));
    }

    [Fact]
    public void Malay_and_filipino_texts_are_also_read_with_indonesian_and_english_labels_but_vietnamese_is_not()
    {
        var thesaurus = new Thesaurus(
        [
            new Concept("energy.photovoltaics", "green-energy", new Dictionary<string, IReadOnlyList<string>>
            {
                ["en"] = ["solar panel"], ["id"] = ["panel surya"], ["ms"] = ["panel solar"], ["hi"] = ["सौर पैनल"], ["ne"] = ["सोलार प्यानल"],
            }),
            new Concept("mat.gallium-nitride", "new-materials", new Dictionary<string, IReadOnlyList<string>> { ["en"] = ["GaN"] }),
        ]);
        Assert.Equal(["energy.photovoltaics"], thesaurus.FindIn("Pemasangan panel surya di bumbung", "ms").Select(m => m.ConceptId));
        Assert.Equal(["energy.photovoltaics"], thesaurus.FindIn("Solar panel para sa bahay", "fil").Select(m => m.ConceptId));
        Assert.Equal(["energy.photovoltaics"], thesaurus.FindIn("घरको छानामा सौर पैनल", "ne").Select(m => m.ConceptId));
        Assert.Equal(["energy.photovoltaics"], thesaurus.FindIn("छत पर सोलार प्यानल", "hi").Select(m => m.ConceptId));
        // "gan" is liver in Vietnamese: English labels are not read into Vietnamese text
        Assert.Empty(thesaurus.FindIn("điều trị ung thư gan", "vi"));
        Assert.Equal(["mat.gallium-nitride"], thesaurus.FindIn("GaN power devices", "en").Select(m => m.ConceptId));
    }

    [Fact]
    public void Lao_typed_with_decomposed_letters_finds_labels_written_with_the_composed_ones()
    {
        var thesaurus = Thesaurus.Load(SeedPath("thesaurus"));
        // ການນຳພລາສຕິກກັບມາໃຊ້ໃໝ່ typed with nikhahit + aa for ຳ and ຫ + ມ for ໝ
        var typed = "ໂຮງງານ ການນ\u0ECD\u0EB2ພລາສຕິກກັບມາໃຊ້ໃ\u0EAB\u0EA1\u0EC8";
        Assert.Contains("env.plastic-recycling", thesaurus.FindIn(typed, "lo").Select(m => m.ConceptId));
        Assert.Equal("ໝາກໄມ້ ໜ້າ ຫຼາຍ ນຳ", TextNormalization.LaoComposed("ຫມາກໄມ້ ຫນ້າ ຫລາຍ ນໍາ"));
        const string thai = "ทำ น้ำ";
        Assert.Same(thai, TextNormalization.LaoComposed(thai));
    }

    [Fact]
    public void Sinhala_typed_without_zero_width_joiners_finds_labels_written_with_them()
    {
        var thesaurus = Thesaurus.Load(SeedPath("thesaurus"));
        var label = thesaurus.Find("env.solid-waste-treatment")!.Labels["si"].First(l => l.Contains('\u200D'));
        var plain = label.Replace("\u200D", "");
        Assert.Contains("env.solid-waste-treatment", thesaurus.FindIn($"නව {plain} ක්රමය", "si").Select(m => m.ConceptId));
        Assert.Contains("env.solid-waste-treatment", thesaurus.FindIn(label, "si").Select(m => m.ConceptId));
    }

    [Fact]
    public void The_shipped_thesaurus_has_400_concepts_with_labels_in_all_16_languages_in_their_own_scripts()
    {
        var thesaurus = Thesaurus.Load(SeedPath("thesaurus"));
        Assert.True(thesaurus.Concepts.Count >= 400, $"{thesaurus.Concepts.Count} concepts");
        var problems = new List<string>();
        foreach (var concept in thesaurus.Concepts)
        {
            foreach (var language in LanguageAnalyzer.Languages)
            {
                var labels = concept.Labels.GetValueOrDefault(language) ?? [];
                var expected = ExpectedScript(language);
                if (labels.Count == 0)
                {
                    problems.Add($"{concept.Id}: no {language} label");
                }
                else if (expected != Script.Latin && !labels[0].Any(c => Scripts.Of(c) == expected))
                {
                    problems.Add($"{concept.Id}: {language} label '{labels[0]}' is not in {expected} script");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(30)));
    }

    private static Script ExpectedScript(string language) => language switch
    {
        "zh" => Script.Han, "th" => Script.Thai, "lo" => Script.Lao, "km" => Script.Khmer, "my" => Script.Myanmar,
        "hi" or "ne" => Script.Devanagari, "bn" => Script.Bengali, "si" => Script.Sinhala, "ta" => Script.Tamil, "ur" => Script.Arabic,
        _ => Script.Latin,
    };

    /// <summary>seeds/&lt;name&gt; of the repository this test runs from.</summary>
    internal static string SeedPath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "seeds", name);
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "TransferHub.sln")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"seeds/{name} not found above {AppContext.BaseDirectory}");
    }
}
