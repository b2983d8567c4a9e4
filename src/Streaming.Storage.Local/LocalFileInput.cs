using System.Globalization;
using Streaming.Core.Backfill;

namespace Streaming.Storage.Local;

/// <summary>
/// A local file as a <c>convert</c> input. Its identity is the full path, the size and the modification time: editing
/// or replacing the file makes it a new input (its done-marker no longer matches).
/// </summary>
public sealed class LocalFileInput : IConvertInput
{
    private readonly string _path;

    public LocalFileInput(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"input {path}: no such file", path);
        }

        _path = info.FullName;
        Length = info.Length;
        ModifiedMs = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds();
    }

    public string Name => _path;

    public string Identity => string.Create(CultureInfo.InvariantCulture, $"{_path} size {Length} mtime {ModifiedMs}");

    public long? Length { get; }

    public long ModifiedMs { get; }

    public bool CanSeek => true;

    public Task<Stream> OpenAsync(long offset, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            if (offset > 0)
            {
                stream.Seek(offset, SeekOrigin.Begin);
            }

            return Task.FromResult<Stream>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new InputUnreadableException(_path, e.Message, e);
        }
    }
}
