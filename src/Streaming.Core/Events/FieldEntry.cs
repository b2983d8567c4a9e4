namespace Streaming.Core.Events;

/// <summary>One flattened value of the event being normalised. Lives in a reused array: no allocation per event.</summary>
internal struct FieldEntry
{
    public string Column;

    /// <summary>Interned id of <see cref="Column"/> (see <see cref="ColumnNameIds"/>).</summary>
    public int ColumnId;
    public FieldPath? Path;
    public ValueKind Kind;

    /// <summary>Int64 value, boolean (0/1), or timestamp milliseconds.</summary>
    public long Int64;

    public double Double;

    /// <summary>Where the UTF-8 content of a string (or the JSON text of an array) is.</summary>
    public int ValueStart;

    public int ValueLength;
    public bool ValueInScratch;

    /// <summary>The value exactly as it was written in the input, for <c>_rescued</c>.</summary>
    public int RawStart;

    public int RawLength;
    public bool RawInScratch;

    /// <summary>Set when the value cannot get its own column and goes to <c>_rescued</c> under <see cref="RescueKey"/>.</summary>
    public string? RescueKey;
}
