namespace Streaming.Core.Schema;

/// <summary>Another writer saved a different schema version first.</summary>
public sealed class SchemaConflictException : Exception
{
    public SchemaConflictException(string message)
        : base(message)
    {
    }
}
