using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Streaming.Core.Configuration;
using Streaming.Core.Lake;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Lake;

/// <summary>Records that once stopped a shard or flooded _errors: each ends as rows or bounded error records, and the events after it land.</summary>
public sealed class HostileRecordTests
{
    private static string Event(int i) => $$"""{"id":"{{i}}","type":"t","date":"2021-09-16T05:00:00Z"}""";

    private static async Task<TestLake> RouteAsync(LakeOptions? options, params byte[][] records)
    {
        var lake = await TestLake.CreateAsync(options);
        var sequence = 100;
        foreach (var record in records)
        {
            lake.Writer.AppendPayload(record, "shard-1", (sequence++).ToString(System.Globalization.CultureInfo.InvariantCulture), TestLake.Now.ToUnixTimeMilliseconds());
        }

        await lake.FlushAsync();
        return lake;
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gz.Write(data);
        }

        return output.ToArray();
    }

    [Fact]
    public async Task A_gzip_bomb_is_one_too_large_error_with_a_bounded_raw_and_the_events_behind_it_land()
    {
        var bomb = Gzip(new byte[20 * 1024 * 1024]);
        var lake = await RouteAsync(new LakeOptions { MaxEventSize = ByteSize.MiB(1) }, bomb, Encoding.UTF8.GetBytes(Event(1)), Encoding.UTF8.GetBytes(Event(2)));
        Assert.Equal(["1", "2"], lake.Files.AllRows.Select(r => (string)r["id"]!));
        var error = Assert.Single(lake.Rejected());
        Assert.Equal("too_large", error.GetProperty("reason").GetString());
        Assert.Contains("MaxEventSize", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(bomb, Convert.FromBase64String(error.GetProperty("raw_base64").GetString()!));
    }

    [Fact]
    public async Task A_record_of_random_bytes_is_one_error_record_not_one_per_newline_byte()
    {
        var random = new byte[1024 * 1024];
        new Random(3).NextBytes(random);
        random[0] = 0x00;
        var lake = await RouteAsync(null, random, Encoding.UTF8.GetBytes(Event(1)));
        Assert.Equal(["1"], lake.Files.AllRows.Select(r => (string)r["id"]!));
        var error = Assert.Single(lake.Rejected());
        Assert.Equal("invalid_utf8", error.GetProperty("reason").GetString());
        Assert.Equal(random.Length, error.GetProperty("raw_truncated_from_bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(random)), error.GetProperty("raw_sha256").GetString());
        var kept = Convert.FromBase64String(error.GetProperty("raw_base64").GetString()!);
        Assert.True(kept.Length <= 64 * 1024 && kept.Length > 60 * 1024, $"{kept.Length} bytes kept");
        Assert.Equal(random.AsSpan(0, kept.Length).ToArray(), kept);
    }

    [Fact]
    public async Task An_event_larger_than_the_limit_keeps_a_prefix_that_is_whole_characters_its_length_and_its_hash()
    {
        var huge = $$"""{"type":"t","pad":"{{string.Concat(Enumerable.Repeat("日本", 400_000))}}"}""";
        var bytes = Encoding.UTF8.GetBytes(huge);
        var lake = await RouteAsync(new LakeOptions { MaxEventSize = ByteSize.MiB(1) }, bytes);
        var error = Assert.Single(lake.Rejected());
        Assert.Equal("too_large", error.GetProperty("reason").GetString());
        var raw = error.GetProperty("raw").GetString()!;
        Assert.StartsWith("{\"type\":\"t\",\"pad\":\"日本", raw, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(raw) <= 64 * 1024);
        Assert.Equal(bytes.Length, error.GetProperty("raw_truncated_from_bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), error.GetProperty("raw_sha256").GetString());
    }

    [Fact]
    public async Task Blank_records_are_counted_and_make_no_row_and_no_error()
    {
        var lake = await RouteAsync(null, "\n"u8.ToArray(), " \r\n\t"u8.ToArray(), [], Encoding.UTF8.GetBytes(Event(1)));
        Assert.Equal(3, lake.Writer.Stats.BlankRecords);
        Assert.Single(lake.Files.AllRows);
        Assert.Empty(lake.Rejected());
    }

    [Fact]
    public async Task Records_of_text_with_a_bad_line_still_reject_only_that_line()
    {
        var mixed = Encoding.UTF8.GetBytes(Event(1) + "\n").Concat(new byte[] { 0xff, 0xfe, (byte)'\n' }).Concat(Encoding.UTF8.GetBytes(Event(2))).ToArray();
        var lake = await RouteAsync(null, mixed);
        Assert.Equal(["1", "2"], lake.Files.AllRows.Select(r => (string)r["id"]!));
        Assert.Equal("invalid_utf8", Assert.Single(lake.Rejected()).GetProperty("reason").GetString());
    }
}
