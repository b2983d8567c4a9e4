using System.Text;
using Streaming.Core.Backfill;
using Streaming.Core.Events;
using Streaming.Core.Lake;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Backfill;

public sealed class ConvertLedgerTests
{
    [Fact]
    public async Task A_marked_identity_is_done_for_a_later_run_and_another_version_of_the_object_is_not()
    {
        var store = new InMemoryLakeStore();
        var first = await ConvertLedger.LoadAsync(store, CancellationToken.None);
        Assert.False(first.IsDone("s3://b/k etag e1"));
        await first.MarkDoneAsync("s3://b/k etag e1", "s3://b/k", new LakeWriterStats(), CancellationToken.None);
        Assert.True(first.IsDone("s3://b/k etag e1"));

        var later = await ConvertLedger.LoadAsync(store, CancellationToken.None);
        Assert.True(later.IsDone("s3://b/k etag e1"));
        Assert.False(later.IsDone("s3://b/k etag e2"));
        Assert.False(later.IsDone("s3://b/k etag e1#bytes=0-99"));
    }

    [Fact]
    public async Task The_marker_lives_under_a_folder_that_is_never_a_table_and_holds_what_the_input_determines()
    {
        var store = new InMemoryLakeStore();
        var ledger = await ConvertLedger.LoadAsync(store, CancellationToken.None);
        await ledger.MarkDoneAsync("/data/a.ndjson size 10 mtime 5", "/data/a.ndjson", new LakeWriterStats(), CancellationToken.None);
        var (key, content) = Assert.Single(store.Objects);
        Assert.Equal(ConvertLedger.MarkerKey("/data/a.ndjson size 10 mtime 5"), key);
        Assert.StartsWith("_convert/", key, StringComparison.Ordinal);
        Assert.False(TableNames.IsValid(key.Split('/')[0]));
        Assert.Equal("{\"identity\":\"/data/a.ndjson size 10 mtime 5\",\"source\":\"/data/a.ndjson\",\"events\":0,\"rows\":0,\"rejected\":0}", Encoding.UTF8.GetString(content));
    }

    [Fact]
    public void Marker_keys_are_stable_and_differ_per_identity()
    {
        Assert.Equal(ConvertLedger.MarkerKey("x"), ConvertLedger.MarkerKey("x"));
        Assert.NotEqual(ConvertLedger.MarkerKey("x"), ConvertLedger.MarkerKey("y"));
        Assert.Matches("^_convert/[0-9a-f]{32}\\.json$", ConvertLedger.MarkerKey("x"));
    }
}
