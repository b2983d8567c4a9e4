using System.Text.Json;
using System.Text.RegularExpressions;
using Streaming.TestSupport.Emulators;

namespace Streaming.Deploy.Tests;

/// <summary>
/// docs/iam-policy.json allows exactly the AWS calls <c>streaming run</c> makes, read from the source: the Kinesis
/// operations the consumer's reader calls on the client, the DynamoDB calls of the lease store and the S3 calls of
/// the lake store. A new call without a policy entry, or an entry nothing calls, fails here.
/// </summary>
public sealed partial class IamPolicyTests
{
    private static readonly string Root = RepositoryRoot.Find();

    /// <summary>S3 SDK methods and the IAM action each needs (docs/s3-lake.md, "IAM permissions").</summary>
    private static readonly Dictionary<string, string> S3Actions = new(StringComparer.Ordinal)
    {
        ["GetObject"] = "s3:GetObject",
        ["GetObjectMetadata"] = "s3:GetObject",
        ["PutObject"] = "s3:PutObject",
        ["InitiateMultipartUpload"] = "s3:PutObject",
        ["UploadPart"] = "s3:PutObject",
        ["CompleteMultipartUpload"] = "s3:PutObject",
        ["AbortMultipartUpload"] = "s3:AbortMultipartUpload",
        ["ListObjectsV2"] = "s3:ListBucket",
    };

    private static string Source(string path) => File.ReadAllText(Path.Combine(Root, path));

    /// <summary>The Kinesis operations <c>run</c> reaches: the client methods its reader and service call, mapped to the operation each sends.</summary>
    public static SortedSet<string> KinesisCalls()
    {
        var client = Source("src/Streaming.Aws/Kinesis/KinesisClient.cs");
        var operations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match method in PublicAsyncMethod().Matches(client))
        {
            var body = client[method.Index..];
            var next = PublicAsyncMethod().Match(client, method.Index + method.Length);
            body = next.Success ? client[method.Index..next.Index] : body;
            var operation = OperationConstant().Match(body);
            if (operation.Success)
            {
                operations[method.Groups["name"].Value] = operation.Groups["op"].Value;
            }
        }

        Assert.Contains("GetRecordsAsync", operations.Keys);
        var calls = new SortedSet<string>(StringComparer.Ordinal);
        var runFiles = Directory.GetFiles(Path.Combine(Root, "src/Streaming.Aws/Consumer"), "*.cs")
            .Concat(Directory.GetFiles(Path.Combine(Root, "src/Streaming.Cli/Service"), "*.cs"))
            .Append(Path.Combine(Root, "src/Streaming.Cli/Commands/RunCommand.cs"));
        foreach (var file in runFiles)
        {
            foreach (Match call in ClientCall().Matches(File.ReadAllText(file)))
            {
                if (operations.TryGetValue(call.Groups["name"].Value, out var op))
                {
                    calls.Add($"kinesis:{op}");
                }
            }
        }

        return calls;
    }

    public static SortedSet<string> DynamoDbCalls()
    {
        var calls = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match call in SdkCall().Matches(Source("src/Streaming.Aws/Leases/DynamoDbLeaseStore.cs")))
        {
            calls.Add($"dynamodb:{call.Groups["name"].Value}");
        }

        return calls;
    }

    public static SortedSet<string> S3Calls()
    {
        var calls = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match call in SdkCall().Matches(Source("src/Streaming.Aws/Storage/S3LakeStore.cs")))
        {
            var method = call.Groups["name"].Value;
            Assert.True(S3Actions.TryGetValue(method, out var action), $"S3LakeStore calls {method}Async: add the IAM action it needs to docs/iam-policy.json and to this test's table");
            calls.Add(action!);
        }

        return calls;
    }

    private static List<JsonElement> Statements(string file)
    {
        using var policy = JsonDocument.Parse(Source(file));
        Assert.Equal("2012-10-17", policy.RootElement.GetProperty("Version").GetString());
        return [.. policy.RootElement.GetProperty("Statement").EnumerateArray().Select(s => s.Clone())];
    }

    private static IEnumerable<string> Actions(JsonElement statement) =>
        statement.GetProperty("Action") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().Select(a => a.GetString()!) : [statement.GetProperty("Action").GetString()!];

    [Fact]
    public void The_source_scan_finds_the_calls_run_is_known_to_make()
    {
        // So that a scan that silently stops matching cannot make the policy test pass.
        Assert.Superset(new SortedSet<string> { "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards" }, KinesisCalls());
        Assert.DoesNotContain("kinesis:PutRecords", KinesisCalls());
        Assert.Superset(new SortedSet<string> { "dynamodb:UpdateItem", "dynamodb:Scan", "dynamodb:CreateTable" }, DynamoDbCalls());
        Assert.Superset(new SortedSet<string> { "s3:PutObject", "s3:GetObject", "s3:ListBucket" }, S3Calls());
    }

    [Fact]
    public void The_policy_allows_every_call_run_makes_and_nothing_more()
    {
        var statements = Statements("docs/iam-policy.json");
        Assert.All(statements, s => Assert.Equal("Allow", s.GetProperty("Effect").GetString()));
        var withoutKms = statements.Where(s => s.GetProperty("Sid").GetString() != "OnlyWithSseKms").SelectMany(Actions).ToList();
        Assert.Equal(withoutKms.Count, withoutKms.Distinct(StringComparer.Ordinal).Count());
        var expected = new SortedSet<string>(KinesisCalls().Concat(DynamoDbCalls()).Concat(S3Calls()), StringComparer.Ordinal);
        Assert.Equal(expected, new SortedSet<string>(withoutKms, StringComparer.Ordinal));
    }

    [Fact]
    public void Kms_is_allowed_only_for_the_sse_kms_writes_and_reads_of_the_lake()
    {
        // With aws:kms the store sends the key id on every write; S3 then asks KMS for a data key (write) and to
        // decrypt it (reads, and completing a multipart upload).
        Assert.Contains("ServerSideEncryptionKeyManagementServiceKeyId", Source("src/Streaming.Aws/Storage/S3LakeStore.cs"), StringComparison.Ordinal);
        var kms = Assert.Single(Statements("docs/iam-policy.json"), s => Actions(s).Any(a => a.StartsWith("kms:", StringComparison.Ordinal)));
        Assert.Equal("OnlyWithSseKms", kms.GetProperty("Sid").GetString());
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey"], Actions(kms).Order(StringComparer.Ordinal));
        Assert.StartsWith("s3.", kms.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_statement_names_its_resource_the_stream_the_table_the_lake_prefix_or_the_key()
    {
        var resources = Statements("docs/iam-policy.json").ToDictionary(s => s.GetProperty("Sid").GetString()!, s => s.GetProperty("Resource").GetString()!);
        Assert.DoesNotContain(resources.Values, r => r.Contains('*', StringComparison.Ordinal) && !r.EndsWith("/${Prefix}/*", StringComparison.Ordinal));
        Assert.Equal("arn:aws:kinesis:${Region}:${AccountId}:stream/${StreamName}", resources["ReadTheStream"]);
        Assert.Equal("arn:aws:dynamodb:${Region}:${AccountId}:table/${LeaseTable}", resources["KeepTheLeases"]);
        Assert.Equal("arn:aws:s3:::${Bucket}/${Prefix}/*", resources["WriteTheLake"]);
        Assert.Equal("arn:aws:s3:::${Bucket}", resources["ListTheLake"]);
        var list = Statements("docs/iam-policy.json").Single(s => s.GetProperty("Sid").GetString() == "ListTheLake");
        Assert.Equal("${Prefix}/*", list.GetProperty("Condition").GetProperty("StringLike").GetProperty("s3:prefix")[0].GetString());
    }

    [Fact]
    public void The_trust_policy_lets_only_the_charts_service_account_assume_the_role_through_the_clusters_oidc_provider()
    {
        var statement = Assert.Single(Statements("docs/iam-trust-policy.json"));
        Assert.Equal("sts:AssumeRoleWithWebIdentity", statement.GetProperty("Action").GetString());
        Assert.StartsWith("arn:aws:iam::${AccountId}:oidc-provider/", statement.GetProperty("Principal").GetProperty("Federated").GetString(), StringComparison.Ordinal);
        var conditions = statement.GetProperty("Condition").GetProperty("StringEquals");
        Assert.Equal("sts.amazonaws.com", conditions.GetProperty("${OidcProvider}:aud").GetString());
        Assert.Equal("system:serviceaccount:${Namespace}:${ServiceAccount}", conditions.GetProperty("${OidcProvider}:sub").GetString());
    }

    [Fact]
    public void The_keda_policy_allows_only_the_scalers_shard_count()
    {
        var statement = Assert.Single(Statements("docs/iam-keda-policy.json"));
        Assert.Equal(["kinesis:DescribeStreamSummary"], Actions(statement));
        Assert.Equal("arn:aws:kinesis:${Region}:${AccountId}:stream/${StreamName}", statement.GetProperty("Resource").GetString());
    }

    [GeneratedRegex(@"public\s+async\s+Task<?[^\s(]*>?\s+(?<name>\w+Async)\s*\(")]
    private static partial Regex PublicAsyncMethod();

    [GeneratedRegex(@"const\s+string\s+operation\s*=\s*""(?<op>\w+)""|SendAsync\(\s*""(?<op>\w+)""")]
    private static partial Regex OperationConstant();

    [GeneratedRegex(@"_client\.(?<name>\w+Async)\s*\(")]
    private static partial Regex ClientCall();

    [GeneratedRegex(@"_client\.(?<name>\w+)Async\s*\(")]
    private static partial Regex SdkCall();
}
