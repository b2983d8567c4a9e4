namespace Streaming.Cli.Athena;

/// <summary>The years partition projection lets Athena look at, both ends included.</summary>
internal readonly record struct YearRange(int First, int Last)
{
    public bool Contains(int year) => year >= First && year <= Last;
}
