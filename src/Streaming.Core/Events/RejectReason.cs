namespace Streaming.Core.Events;

/// <summary>Why an event did not become a row. The codes are written into <c>_errors</c> and metrics.</summary>
public enum RejectReason
{
    InvalidUtf8,
    InvalidJson,
    NotAnObject,
    MissingType,
    InvalidType,
    TooLarge,
    DecompressionFailed,

    /// <summary>Handling the event failed in a way that is a bug of ours; the event is kept with the exception's message.</summary>
    InternalError,
}

public static class RejectReasonCodes
{
    public static string Code(this RejectReason reason) => reason switch
    {
        RejectReason.InvalidUtf8 => "invalid_utf8",
        RejectReason.InvalidJson => "invalid_json",
        RejectReason.NotAnObject => "not_an_object",
        RejectReason.MissingType => "missing_type",
        RejectReason.InvalidType => "invalid_type",
        RejectReason.TooLarge => "too_large",
        RejectReason.DecompressionFailed => "decompression_failed",
        RejectReason.InternalError => "internal_error",
        _ => "unknown",
    };
}
