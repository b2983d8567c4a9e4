using System.Globalization;
using Streaming.Cli.Athena;
using Streaming.Lake.Tests.Support;
using Streaming.Storage.Local;

namespace Streaming.Lake.Tests.Athena;

/// <summary>How far partition projection reaches: from the first year a table has data to a few years past the later of now and its last.</summary>
public sealed class ProjectionRangeTests
{
    private static string Event(string id, string date) =>
        $$$"""{"id":"{{{id}}}","date":"{{{date}}}","type":"page_view","user_id":1,"params":{"path":"/"}}""";

    [Fact]
    public async Task The_range_covers_the_first_and_last_year_of_the_lake_found_with_a_few_listings()
    {
        using var dir = new TempDirectory();
        var hours = Enumerable.Range(0, 300).Select(i => Event($"n{i}", $"2021-09-{1 + (i / 24):D2}T{i % 24:D2}:00:00Z"));
        await LakeFixture.ConvertAsync(dir.Path, [Event("old", "1999-12-31T23:30:00-01:00"), .. hours, Event("future", "2087-06-01T00:00:00Z")]);
        var store = new CountingStore(new LocalLakeStore(dir.Path));

        var table = Assert.Single(await AthenaCatalog.DescribeAsync(store, [], "s3://b-b/p", yearsAhead: 3, currentYear: 2024, CancellationToken.None));

        // 1999-12-31T23:30-01:00 is 2000-01-01T00:30 in UTC.
        Assert.Equal(new YearRange(2000, 2090), table.Years);
        var files = Directory.EnumerateFiles(dir.File("page_view"), "*.parquet", SearchOption.AllDirectories).Count();
        Assert.True(files > 300, $"{files} files");
        Assert.True(store.Listings < 30, $"{store.Listings} listings");
        Assert.True(store.KeysRead < 30, $"{store.KeysRead} keys read of {files}");
    }

    [Theory]
    [InlineData(2021, 2024, 5, 2029)]
    [InlineData(2021, 2030, 5, 2035)]
    [InlineData(2024, 2024, 0, 2024)]
    public async Task The_last_projected_year_is_years_ahead_of_the_later_of_now_and_the_last_year(int lastYearInLake, int currentYear, int yearsAhead, int expected)
    {
        using var dir = new TempDirectory();
        await LakeFixture.ConvertAsync(dir.Path, [Event("a", "2021-01-01T00:00:00Z"), Event("b", string.Create(CultureInfo.InvariantCulture, $"{lastYearInLake}-03-01T00:00:00Z"))]);

        var table = Assert.Single(await AthenaCatalog.DescribeAsync(new LocalLakeStore(dir.Path), [], "s3://b-b/p", yearsAhead, currentYear, CancellationToken.None));

        Assert.Equal(new YearRange(2021, expected), table.Years);
    }

    [Fact]
    public async Task A_table_with_a_schema_but_no_files_yet_projects_from_this_year()
    {
        using var dir = new TempDirectory();
        await LakeFixture.ConvertAsync(dir.Path, [Event("a", "2021-01-01T00:00:00Z")]);
        Directory.Delete(dir.File("page_view"), recursive: true);

        var table = Assert.Single(await AthenaCatalog.DescribeAsync(new LocalLakeStore(dir.Path), [], "s3://b-b/p", 2, 2024, CancellationToken.None));

        Assert.Equal(new YearRange(2024, 2026), table.Years);
    }

    [Theory]
    [InlineData("page_view/year=2021/month=09/day=16/hour=05/part-a.parquet", true)]
    [InlineData("page_view/year=2021/month=09/day=16/hour=05/.tmp-123", false)]
    [InlineData("page_view/year=2021/month=09/day=16/hour=05/_SUCCESS", false)]
    [InlineData("page_view/year=21/month=09/day=16/hour=05/part-a.parquet", false)]
    [InlineData("page_view/year=abcd/month=09/day=16/hour=05/part-a.parquet", false)]
    [InlineData("payment/year=2021/month=09/day=16/hour=05/part-a.parquet", false)]
    [InlineData("page_view/year=2021/part-a.parquet", false)]
    public void Only_data_files_of_the_table_count(string key, bool counts) =>
        Assert.Equal(counts, PartitionYears.TryParseYear(key, "page_view", out _));
}
