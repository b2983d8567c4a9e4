namespace Streaming.Aws.Tests.Interop;

/// <summary>One answer of codec.js: user records for a deaggregate request, aggregates for an aggregate request.</summary>
internal sealed record CodecAnswer(bool Ok, string? Error, List<ReferenceUserRecord>? Records, List<ReferenceAggregate>? Aggregates);
