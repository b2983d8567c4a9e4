namespace Streaming.Core.Decoding.Kpl;

/// <summary>A tag the KPL lets a producer attach to a user record (<c>Tag { required string key = 1; optional string value = 2; }</c>).</summary>
public readonly record struct KplTag(string Key, string? Value = null);
