using System.Text;
using Microsoft.Extensions.Time.Testing;
using Streaming.Cli.Athena;
using Streaming.Core.Configuration;
using Streaming.Core.Ingest;
using Streaming.Core.Lake;
using Streaming.Parquet;
using Streaming.Storage.Local;

namespace Streaming.Lake.Tests.Athena;

/// <summary>
/// A lake made by the real pipeline whose schemas exercise the DDL: the seed's reserved <c>date</c>, params named after
/// reserved words (<c>order</c>, <c>user</c>, <c>select</c>), one starting with a digit, the lake's own <c>_rescued</c> and
/// <c>_date_raw</c>, a second schema version, and partitions in two years (one only through a UTC offset).
/// </summary>
internal static class DdlLake
{
    public const string Location = "s3://analytics-lake/events";
    public const string Database = "analytics";
    public const int CurrentYear = 2024;
    public const int YearsAhead = 5;

    public static readonly string[] Version1 =
    [
        """{"id":"p1","date":"2021-09-16T05:57:27Z","type":"payment","user_id":1,"locale":"ja","country_code":"JP","params":{"amount":1200,"currency":"JPY","card":{"brand":"visa"}}}""",
        """{"id":"p2","date":"2022-01-01T00:30:00+09:00","type":"payment","user_id":2,"locale":"en","country_code":"US","params":{"amount":9.99,"currency":"USD","order":7,"user":"u2","9lives":true}}""",
        """{"id":"p3","date":"2022-03-01T10:00:00.123Z","type":"payment","user_id":3,"country_code":"FR","params":{"amount":79.99,"currency":"EUR","card":{"brand":"amex"}}}""",
        """{"id":"r1","date":"2021-09-15T23:00:00Z","type":"user_registration","user_id":1,"locale":"ja","country_code":"JP","params":{"provider":"twitter","comment":"hi"}}""",
        """{"id":"r2","date":"2021-12-31T23:59:59Z","type":"user_registration","user_id":2,"locale":"en","country_code":"US","params":{"provider":"google","comment":"new year"}}""",
    ];

    /// <summary>Converted after <see cref="Version1"/>: new fields make payment's schema version 2.</summary>
    public static readonly string[] Version2 =
    [
        """{"id":"p4","date":"2022-03-02T11:00:00Z","type":"payment","user_id":1,"country_code":"JP","hour":11,"params":{"amount":"n/a","currency":"JPY","coupons":["WELCOME10"],"refund":false,"select":"all"}}""",
        """{"id":"p5","date":"yesterday","type":"payment","user_id":2,"country_code":"US","params":{"amount":19.5,"currency":"USD","refund":true}}""",
    ];

    /// <summary>When the conversions "run": the event whose date is "yesterday" lands in this hour.</summary>
    public static readonly DateTimeOffset ArrivalTime = new(2022, 3, 3, 8, 30, 0, TimeSpan.Zero);

    /// <summary>Makes the lake in <paramref name="directory"/>: two conversions, so payment has versions 1 and 2.</summary>
    public static async Task CreateAsync(string directory)
    {
        await ConvertAsync(directory, Version1, "v1.ndjson");
        await ConvertAsync(directory, Version2, "v2.ndjson");
    }

    /// <summary>The real pipeline (Parquet.Net, local store) on a fixed clock, so the lake is the same every year.</summary>
    private static async Task ConvertAsync(string directory, IEnumerable<string> lines, string source)
    {
        var options = new LakeOptions();
        var writer = await LakeWriter.OpenAsync(new LocalLakeStore(directory), new ParquetFileWriter(options), options);
        var text = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        await NdjsonIngest.IngestAsync(new MemoryStream(text), source, writer, options.MaxEventSize.Bytes, new FakeTimeProvider(ArrivalTime));
        await writer.FlushAllAsync(FlushReason.EndOfInput, CancellationToken.None);
    }

    public static Task<IReadOnlyList<AthenaTable>> DescribeAsync(string directory, params string[] only) =>
        AthenaCatalog.DescribeAsync(new LocalLakeStore(directory), only, Location, YearsAhead, CurrentYear, CancellationToken.None);
}
