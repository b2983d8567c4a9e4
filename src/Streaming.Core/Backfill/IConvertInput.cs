namespace Streaming.Core.Backfill;

/// <summary>
/// One object <c>convert</c> reads: a local file, an S3 object, standard input. The core sees only this; the
/// adapters (local files in the CLI, S3 in Streaming.Aws) implement it.
/// </summary>
public interface IConvertInput
{
    /// <summary>Where it is, for people and for file names: the full path, or <c>s3://bucket/key</c>.</summary>
    string Name { get; }

    /// <summary>
    /// <see cref="Name"/> plus what tells one version of it from another (an S3 ETag; a file's size and modification
    /// time), or null when the input cannot be recognised again (standard input): then no done-marker is kept.
    /// </summary>
    string? Identity { get; }

    /// <summary>The size in bytes (compressed, as stored), or null when unknown.</summary>
    long? Length { get; }

    /// <summary>
    /// When the object was written (S3 LastModified, a file's modification time), in Unix milliseconds: the arrival
    /// time of its events, so that events without a usable date land in the same hour on every run.
    /// </summary>
    long ModifiedMs { get; }

    /// <summary>True when <see cref="OpenAsync"/> can start at any byte (a file, a ranged GET).</summary>
    bool CanSeek { get; }

    /// <summary>A stream of the stored bytes from <paramref name="offset"/> to the end; read it sequentially.</summary>
    Task<Stream> OpenAsync(long offset, CancellationToken cancellationToken);
}
