namespace Streaming.Cli.Athena;

/// <summary>A table asked for by name has no schema in the lake.</summary>
internal sealed class UnknownTableException : Exception
{
    public UnknownTableException(IReadOnlyList<string> missing, IReadOnlyList<string> known)
        : base($"no table {string.Join(", ", missing)} in the lake's _schemas/; it has: {(known.Count == 0 ? "none" : string.Join(", ", known))}")
    {
    }
}
