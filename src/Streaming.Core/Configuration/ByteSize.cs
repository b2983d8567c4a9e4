using System.ComponentModel;
using System.Globalization;

namespace Streaming.Core.Configuration;

/// <summary>A size in bytes written as <c>134217728</c>, <c>128MiB</c>, <c>512KB</c>, <c>1GiB</c> (KB = KiB = 1024).</summary>
[TypeConverter(typeof(ByteSizeConverter))]
public readonly record struct ByteSize(long Bytes)
{
    public static ByteSize MiB(long n) => new(n * 1024 * 1024);

    public static bool TryParse(string? text, out ByteSize size)
    {
        size = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var split = s.Length;
        while (split > 0 && char.IsLetter(s[split - 1]))
        {
            split--;
        }

        var multiplier = s[split..].ToUpperInvariant() switch
        {
            "" or "B" => 1L,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            _ => 0L,
        };
        if (multiplier == 0 || !double.TryParse(s[..split].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            || n < 0 || double.IsNaN(n) || n * multiplier > long.MaxValue)
        {
            return false;
        }

        size = new ByteSize((long)(n * multiplier));
        return true;
    }

    public static ByteSize Parse(string text) =>
        TryParse(text, out var size) ? size : throw new FormatException($"'{text}' is not a size: use bytes or a unit, for example 128MiB");

    public override string ToString() => Bytes switch
    {
        >= 1L << 30 when Bytes % (1L << 30) == 0 => $"{Bytes >> 30}GiB",
        >= 1L << 20 when Bytes % (1L << 20) == 0 => $"{Bytes >> 20}MiB",
        >= 1L << 10 when Bytes % (1L << 10) == 0 => $"{Bytes >> 10}KiB",
        _ => Bytes.ToString(CultureInfo.InvariantCulture),
    };
}

internal sealed class ByteSizeConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string s ? ByteSize.Parse(s) : base.ConvertFrom(context, culture, value);
}
