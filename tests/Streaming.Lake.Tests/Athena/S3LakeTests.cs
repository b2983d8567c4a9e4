using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Streaming.Lake.Tests.Support;
using Streaming.TestSupport.Emulators;

namespace Streaming.Lake.Tests.Athena;

/// <summary><c>streaming ddl</c> and <c>streaming query</c> on a lake in S3 (s3rver), read through the project's S3 store.</summary>
public sealed class S3LakeTests : IClassFixture<S3LakeFixture>
{
    private readonly S3LakeFixture _s3;

    public S3LakeTests(S3LakeFixture s3)
    {
        _s3 = s3;
    }

    [Fact]
    public async Task Ddl_of_an_s3_lake_points_at_its_root_and_equals_the_ddl_of_the_same_lake_on_disk()
    {
        var s3 = await StreamingProcess.RunAsync(["ddl", "--lake", S3LakeFixture.Lake + "/", "--database", "analytics"], environment: _s3.Environment);
        var local = await StreamingProcess.RunAsync(["ddl", "--lake", _s3.LocalLake, "--location", S3LakeFixture.Lake, "--database", "analytics"], environment: _s3.Environment);

        Assert.True(s3.ExitCode == 0, s3.Stderr);
        Assert.True(local.ExitCode == 0, local.Stderr);
        Assert.Equal(local.Stdout, s3.Stdout);
        var create = DdlText.Creates(s3.Stdout)["payment"];
        Assert.Equal($"{S3LakeFixture.Lake}/payment/", DdlText.Location(create));
        Assert.Equal($"2021,{DateTime.UtcNow.Year + 5}", DdlText.Properties(create)["projection.year.range"]);
        Assert.Equal(7, DdlText.Creates(s3.Stdout).Count);
        await SqlValidators.AssertValidAsync("hive", "s3.sql", s3.Stdout);
    }

    [Fact]
    public async Task A_query_on_an_s3_lake_downloads_only_the_tables_it_names_and_gives_the_known_answer()
    {
        var sql = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "docs", "queries", "paying-users-by-country.sql"));

        var (code, stdout, stderr) = await StreamingProcess.RunAsync(["query", "--lake", S3LakeFixture.Lake, "--format", "json", sql], environment: _s3.Environment);

        Assert.True(code == 0, stderr);
        var expected = ExpectedAnswers.PayingUsersByCountry(_s3.Events);
        var actual = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)
            .Select(r => new object[] { r.GetProperty("country").GetString()!, r.GetProperty("paying_users").GetInt64(), r.GetProperty("payments").GetInt64() })
            .ToList();
        Assert.Equal(expected.Select(r => string.Join('|', r)), actual.Select(r => string.Join('|', r)));
        var paymentFiles = Directory.EnumerateFiles(Path.Combine(_s3.LocalLake, "payment"), "*.parquet", SearchOption.AllDirectories).Count();
        var read = Regex.Match(stderr, @"read (\d+) files \(");
        Assert.True(read.Success, stderr);
        Assert.Equal(paymentFiles, int.Parse(read.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_missing_bucket_is_a_configuration_error_exit_code_2_in_one_line()
    {
        var query = await StreamingProcess.RunAsync(["query", "--lake", "s3://no-such-bucket/x", "SELECT 1"], environment: _s3.Environment);
        var ddl = await StreamingProcess.RunAsync(["ddl", "--lake", "s3://no-such-bucket/x"], environment: _s3.Environment);

        foreach (var (code, _, stderr) in new[] { query, ddl })
        {
            Assert.Equal(2, code);
            Assert.Contains("NoSuchBucket", stderr, StringComparison.Ordinal);
            Assert.Contains("create the bucket", stderr, StringComparison.Ordinal);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    /// <summary>A loopback port nobody listens on.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task An_s3_lake_that_does_not_answer_is_exit_code_1()
    {
        var environment = new Dictionary<string, string>(_s3.Environment)
        {
            ["Streaming__S3__ServiceUrl"] = $"http://127.0.0.1:{ClosedPort()}",
            ["Streaming__S3__MaxRetries"] = "0",
        };

        var (code, _, stderr) = await StreamingProcess.RunAsync(["query", "--lake", S3LakeFixture.Lake, "SELECT 1"], environment: environment);

        Assert.Equal(1, code);
        Assert.Contains("S3 lake unavailable", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
