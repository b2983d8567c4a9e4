namespace Streaming.Core.Events;

/// <summary>The JSON kind of one flattened value, before it meets a column type.</summary>
public enum ValueKind : byte
{
    String,
    Int64,
    Double,
    Boolean,
    /// <summary>An array, kept as its JSON text.</summary>
    JsonText,
    /// <summary>A number that fits neither int64 nor a finite double; it can only be rescued.</summary>
    UnrepresentableNumber,
    /// <summary>The event time, milliseconds since the Unix epoch (UTC).</summary>
    Timestamp,
}
