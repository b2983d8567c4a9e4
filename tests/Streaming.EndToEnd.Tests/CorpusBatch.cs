using System.Text;

namespace Streaming.EndToEnd.Tests;

/// <summary>Lines put into a stream together: valid events, and lines that must be rejected.</summary>
internal sealed record CorpusBatch(IReadOnlyList<string> Events, IReadOnlyList<byte[]> Hostile)
{
    /// <summary><paramref name="events"/> events of <see cref="Corpus.Events"/>, and every hostile line once.</summary>
    public static CorpusBatch Create(string name, int events, int seed, bool hostile = true) =>
        new(Corpus.Events(name, events, seed), hostile ? HostileLines.Create(name) : []);

    /// <summary>Events that carry values of another type than their column's; see <see cref="Corpus.Conflicts"/>.</summary>
    public static CorpusBatch Conflicts(string name, int events, int seed) => new(Corpus.Conflicts(name, events, seed), []);

    /// <summary>Every line as <c>convert</c> reads it from a file.</summary>
    public IEnumerable<byte[]> Lines => Events.Select(Encoding.UTF8.GetBytes).Concat(Hostile);
}
