using System.Security.Cryptography;
using System.Text;
using Streaming.Core.Diagnostics;
using Streaming.Core.Lake;

namespace Streaming.Core.Backfill;

/// <summary>
/// Done-markers in the lake: <c>_convert/&lt;sha256 of the piece's identity&gt;.json</c>, created (if absent) after every
/// file of the piece is in the lake. A later run skips the pieces whose marker it finds. Like <c>_errors</c> and
/// <c>_schemas</c>, the folder starts with <c>_</c>, so it is never a table. The marker holds only what the input
/// determines (no times, no counts of files found already present), so two runs that do the same work write the same
/// bytes.
/// </summary>
internal sealed class ConvertLedger
{
    public const string Prefix = "_convert";

    private readonly ILakeStore _store;
    private readonly HashSet<string> _done;

    private ConvertLedger(ILakeStore store, HashSet<string> done)
    {
        _store = store;
        _done = done;
    }

    /// <summary>Reads which markers the lake holds (one listing).</summary>
    public static async Task<ConvertLedger> LoadAsync(ILakeStore store, CancellationToken cancellationToken)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in store.ListAsync(Prefix + "/", cancellationToken).ConfigureAwait(false))
        {
            done.Add(key);
        }

        return new ConvertLedger(store, done);
    }

    public static string MarkerKey(string identity)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(identity), hash);
        return $"{Prefix}/{Convert.ToHexStringLower(hash[..16])}.json";
    }

    public bool IsDone(string identity)
    {
        lock (_done)
        {
            return _done.Contains(MarkerKey(identity));
        }
    }

    /// <summary>Records that every file of the piece is in the lake.</summary>
    public async Task MarkDoneAsync(string identity, string source, LakeWriterStats stats, CancellationToken cancellationToken)
    {
        var key = MarkerKey(identity);
        var content = JsonText.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["identity"] = identity,
            ["source"] = source,
            ["events"] = stats.Events,
            ["rows"] = stats.Rows,
            ["rejected"] = stats.Rejected,
        });
        await _store.PutIfAbsentAsync(key, content, null, cancellationToken).ConfigureAwait(false);
        lock (_done)
        {
            _done.Add(key);
        }
    }
}
