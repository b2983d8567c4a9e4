namespace Streaming.Aws.Tests.Storage;

/// <summary>S3 lake store tests share one s3rver and run one after another; each writes under a prefix of its own.</summary>
[CollectionDefinition(Name)]
public sealed class S3EmulatorCollection : ICollectionFixture<S3EmulatorFixture>
{
    public const string Name = "s3rver";
}
