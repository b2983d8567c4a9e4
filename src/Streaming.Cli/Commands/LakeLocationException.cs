namespace Streaming.Cli.Commands;

internal sealed class LakeLocationException : Exception
{
    public LakeLocationException(string message)
        : base(message)
    {
    }
}
