namespace Streaming.Core.Lake;

/// <summary>
/// Where the lake's objects live (a directory, an S3 prefix). Keys are relative, <c>/</c>-separated, and
/// built only by <see cref="LakePaths"/>. Writes are atomic: a reader never sees half an object.
/// </summary>
public interface ILakeStore
{
    /// <summary>A human-readable location of the lake root, for logs and messages.</summary>
    string Root { get; }

    /// <summary>Creates the object unless one exists under that key; never overwrites.</summary>
    Task<PutOutcome> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken);

    /// <summary>Creates or replaces an object. Used only for convenience copies (the latest schema), never for data.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The content of an object, or null when there is none.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>All keys that start with <paramref name="prefix"/>.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken);
}

public enum PutOutcome
{
    Created,
    AlreadyExists,
}
