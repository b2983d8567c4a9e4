namespace Streaming.Cli.Commands;

internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The work failed (I/O, the lake).</summary>
    public const int Failed = 1;

    /// <summary>Bad command line or configuration; nothing was done.</summary>
    public const int Usage = 2;
}
