using System.Globalization;
using System.Text;
using QRCoder;

namespace TransferHub.Registration.Api;

/// <summary>
/// The certificate as a one-page A4 PDF, written directly (no PDF library is obtainable here): text in Adobe's
/// predefined Chinese font STSong-Light (Adobe-GB1, UniGB-UTF16-H, not embedded: every PDF reader with the Adobe CJK
/// resources shows it), a ToUnicode map so the text can be searched and copied, and a QR code drawn as squares that
/// points to the public verification URL.
/// </summary>
public static class CertificatePdf
{
    private const double PageWidth = 595.28, PageHeight = 841.89, Margin = 56;

    public static byte[] Render(CertificateView certificate, string verifyUrl)
    {
        var c = certificate.Content;
        var lines = new List<(double Size, string Text)>
        {
            (18, "技术合同登记证明"),
            (12, "Technology Contract Registration Certificate"),
            (6, ""),
            (11, $"登记号 Registration number: {c.RegistrationNumber}"),
        };
        if (c.AmendsNumber is not null)
        {
            lines.Add((11, $"{(c.Kind == "termination" ? "终止 Termination" : "变更 Amendment")} of {c.AmendsNumber}"));
        }
        lines.Add((11, $"合同名称 Contract: {c.Title}"));
        lines.Add((11, $"类别 Category: {c.CategoryNameZh} · {c.SubCategoryNameZh} ({c.Category} / {c.SubCategory})"));
        foreach (var p in c.Parties)
        {
            lines.Add((11, $"当事人 Party ({p.Role}): {p.Name} ({p.Country})"));
        }
        lines.Add((11, $"合同金额 Contract amount: {Amount(c.ContractAmount)} {c.Currency}" + (c.ContractAmountCny is { } cny ? $" = {Amount(cny)} CNY" : "")));
        lines.Add((11, $"技术交易额 Technology transaction amount: {Amount(c.TechnologyTransactionAmount)} {c.Currency}" +
            (c.TechnologyTransactionAmountCny is { } tcny ? $" = {Amount(tcny)} CNY" : "")));
        if (c.ExchangeRate is { } rate)
        {
            lines.Add((11, $"汇率 Exchange rate: 1 {c.Currency} = {rate.Rate.ToString(CultureInfo.InvariantCulture)} CNY ({rate.Date:yyyy-MM-dd})"));
        }
        lines.Add((11, $"技术领域 Field: {c.Field}"));
        lines.Add((11, $"签订日期 Signed: {c.SignedOn:yyyy-MM-dd}    登记日期 Registered: {c.RegisteredOn:yyyy-MM-dd}"));
        lines.Add((11, $"登记机构 Station: {c.StationNameZh} ({c.StationCode})"));
        lines.Add((11, c.StationNameEn));
        if (c.TerminationReason is not null)
        {
            lines.Add((11, $"终止原因 Reason: {c.TerminationReason}"));
        }
        foreach (var note in c.TaxEligibility)
        {
            lines.Add((9, note));
        }
        lines.Add((6, ""));
        lines.Add((9, $"状态 Status: {certificate.Status}"));
        lines.Add((8, $"SHA-256: {certificate.ContentHash}"));
        lines.Add((8, $"ECDSA P-256 signature (key {certificate.KeyId}):"));
        foreach (var chunk in Chunks(certificate.Signature, 90))
        {
            lines.Add((8, chunk));
        }
        lines.Add((8, "核验 Verify:"));
        foreach (var chunk in Chunks(verifyUrl, 90))
        {
            lines.Add((8, chunk));
        }

        var content = new StringBuilder();
        var y = PageHeight - Margin;
        var used = new SortedSet<char>();
        foreach (var (size, text) in lines)
        {
            y -= size * 1.5;
            if (text.Length == 0)
            {
                continue;
            }
            var safe = new string(text.Select(ch => char.IsSurrogate(ch) || char.IsControl(ch) ? '?' : ch).ToArray());
            foreach (var ch in safe)
            {
                used.Add(ch);
            }
            content.Append(CultureInfo.InvariantCulture, $"BT /F1 {size} Tf {Margin} {y:0.##} Td <{Hex(safe)}> Tj ET\n");
        }
        AppendQr(content, verifyUrl, PageWidth - Margin - 130, Margin + 10, 130);

        var objects = new List<byte[]>
        {
            Ascii("<< /Type /Catalog /Pages 2 0 R >>"),
            Ascii("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            Ascii(FormattableString.Invariant($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PageWidth} {PageHeight}] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>")),
            Stream(content.ToString()),
            Ascii("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H /DescendantFonts [6 0 R] /ToUnicode 8 0 R >>"),
            Ascii("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> " +
                  "/FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>"),
            Ascii("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 " +
                  "/Descent -120 /CapHeight 880 /StemV 93 >>"),
            Stream(ToUnicode(used)),
        };
        return Assemble(objects);
    }

    private static void AppendQr(StringBuilder content, string text, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix; // includes the quiet zone
        var module = size / matrix.Count;
        content.Append("0 g\n");
        for (var row = 0; row < matrix.Count; row++)
        {
            for (var col = 0; col < matrix[row].Count; col++)
            {
                if (matrix[row][col])
                {
                    content.Append(CultureInfo.InvariantCulture,
                        $"{x + (col * module):0.###} {y + size - ((row + 1) * module):0.###} {module:0.###} {module:0.###} re\n");
                }
            }
        }
        content.Append("f\n");
    }

    /// <summary>Codes are UTF-16BE code units (UniGB-UTF16-H), so the map from code to Unicode is the identity for the characters used.</summary>
    private static string ToUnicode(IEnumerable<char> used)
    {
        var map = new StringBuilder(
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def " +
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n");
        foreach (var block in used.Chunk(100))
        {
            map.Append(CultureInfo.InvariantCulture, $"{block.Length} beginbfchar\n");
            foreach (var ch in block)
            {
                map.Append(CultureInfo.InvariantCulture, $"<{(int)ch:X4}> <{(int)ch:X4}>\n");
            }
            map.Append("endbfchar\n");
        }
        return map.Append("endcmap CMapName currentdict /CMap defineresource pop end end").ToString();
    }

    private static byte[] Assemble(IReadOnlyList<byte[]> objects)
    {
        using var pdf = new MemoryStream();
        void Write(string s) => pdf.Write(Encoding.ASCII.GetBytes(s));
        Write("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(pdf.Position);
            Write($"{i + 1} 0 obj\n");
            pdf.Write(objects[i]);
            Write("\nendobj\n");
        }
        var xref = pdf.Position;
        Write($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write(offset.ToString("0000000000", CultureInfo.InvariantCulture) + " 00000 n \n");
        }
        Write($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    private static byte[] Stream(string text)
    {
        var body = Encoding.ASCII.GetBytes(text);
        return [.. Encoding.ASCII.GetBytes($"<< /Length {body.Length} >>\nstream\n"), .. body, .. Encoding.ASCII.GetBytes("\nendstream")];
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static string Hex(string text) => Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text));

    private static string Amount(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
