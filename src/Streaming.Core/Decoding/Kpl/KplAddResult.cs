namespace Streaming.Core.Decoding.Kpl;

/// <summary>What <see cref="KplAggregator.TryAdd"/> did with a user record.</summary>
public enum KplAddResult
{
    /// <summary>The record is in the aggregate.</summary>
    Added,

    /// <summary>The record would push the aggregate over its size limit: take the aggregate with <see cref="KplAggregator.Flush"/>, then add again.</summary>
    Full,

    /// <summary>The record does not fit even in an empty aggregate; nothing was added. Send it as an ordinary record, if it fits one, or drop it.</summary>
    TooLarge,
}
