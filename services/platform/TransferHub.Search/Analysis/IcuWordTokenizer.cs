using System.Globalization;
using ICU4N.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace TransferHub.Search.Analysis;

/// <summary>
/// Words by ICU's dictionary-based word break iterator: Thai, Lao, Khmer and Burmese have no spaces between words
/// (Lucene's StandardTokenizer returns a whole phrase as one token). Segments without a letter or digit (spaces,
/// punctuation) are skipped. The field's text is read whole (listings are short documents).
/// </summary>
public sealed class IcuWordTokenizer : Tokenizer
{
    private readonly ICharTermAttribute term;
    private readonly IOffsetAttribute offset;
    private readonly BreakIterator words;
    private string text = "";
    private int start;
    private int end;
    private int finalOffset;

    public IcuWordTokenizer(TextReader input, CultureInfo? culture = null) : base(input)
    {
        term = AddAttribute<ICharTermAttribute>();
        offset = AddAttribute<IOffsetAttribute>();
        words = BreakIterator.GetWordInstance(culture ?? CultureInfo.InvariantCulture);
    }

    public override bool IncrementToken()
    {
        ClearAttributes();
        while (end != BreakIterator.Done)
        {
            var (from, to) = (start, end);
            start = end;
            end = words.Next();
            if (!IsWord(from, to))
            {
                continue;
            }
            term.SetEmpty().Append(text, from, to - from);
            offset.SetOffset(CorrectOffset(from), CorrectOffset(to));
            return true;
        }
        return false;
    }

    /// <summary>A segment with any letter or digit is a word.</summary>
    private bool IsWord(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (char.IsLetterOrDigit(text[i]))
            {
                return true;
            }
        }
        return false;
    }

    public override void Reset()
    {
        base.Reset();
        text = m_input.ReadToEnd();
        words.SetText(text);
        start = words.First();
        end = words.Next();
        finalOffset = CorrectOffset(text.Length);
    }

    public override void End()
    {
        base.End();
        offset.SetOffset(finalOffset, finalOffset);
    }
}
